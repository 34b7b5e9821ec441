/**
 * autocannon, in this (load-generator) process: a timed measurement reduced to the figures we
 * report, a fixed-count run that collects response bodies (seeding), and a one-request probe that
 * checks a scenario answers what a real client expects before it is measured.
 */
import autocannon from 'autocannon';

export type LoadRequest = autocannon.Request;

export interface Load {
  /** Base URL of the server, e.g. http://127.0.0.1:41234. */
  url: string;
  connections: number;
  /** Seconds (ignored when `amount` is set, except as the bound of a stuck run). */
  duration: number;
  /** The request sequence every connection cycles through (setupRequest may vary each one). */
  requests: LoadRequest[];
  /** Send exactly this many requests instead of running for `duration` (rounded down to a multiple of `connections`). */
  amount?: number;
  /** Requests per second over all connections (autocannon `overallRate`). */
  overallRate?: number;
  /**
   * Checks every response: undefined when it is what a client expects. Non-2xx answers it accepts
   * are counted in `expectedNon2xx`; answers it refuses in `wrong`.
   */
  check?: (status: number, body: string) => string | undefined;
}

export interface Measurement {
  /** Mean of the per-second request counts (autocannon's requests.average), 2xx and non-2xx alike. */
  rps: number;
  /** Latency percentiles and mean, in milliseconds. */
  p50: number;
  p99: number;
  latencyMean: number;
  /** Responses received. */
  total: number;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  timeouts: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Count per status code, e.g. { "200": 51234 }. */
  statusCodes: Record<string, number>;
  /** Mean response size in bytes (headers included): a quick way to see two servers answer alike. */
  bytesPerResponse: number;
  /** Seconds actually measured. */
  duration: number;
  /** Non-2xx responses that were the scenario's expected answer (Load.check accepted them), e.g. `authorization_pending`. */
  expectedNon2xx?: number;
  /** Responses Load.check refused (2xx or not), with a few examples. */
  wrong?: number;
  wrongExamples?: string[];
}

function run(opts: autocannon.Options, maxSeconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err, result) => {
      clearTimeout(guard);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(result);
    });
    // autocannon stops on its own after `duration` or `amount`; this guard bounds a stuck run.
    const guard = setTimeout(() => instance.stop(), maxSeconds * 1000);
  });
}

/** Runs the load for `duration` seconds (or `amount` requests) and returns the figures we report. */
export async function measure(load: Load): Promise<Measurement> {
  let expectedNon2xx = 0;
  let wrong = 0;
  const wrongExamples: string[] = [];
  const check = load.check;
  // autocannon ends a fixed-amount run only at its next 1 s sampling tick, so its finish time can
  // be up to a second late: the rate of such a run is measured to the last response instead.
  let lastResponseAt = 0;
  const requests = check || load.amount !== undefined
    ? load.requests.map((r) => ({
        ...r,
        onResponse: (status: number, body: string) => {
          lastResponseAt = Date.now();
          if (!check) return;
          const problem = check(status, body);
          if (problem === undefined) {
            if (status < 200 || status >= 300) expectedNon2xx++;
          } else {
            wrong++;
            if (wrongExamples.length < 3) wrongExamples.push(problem.slice(0, 300));
          }
        },
      }))
    : load.requests;
  const amount = load.amount !== undefined ? Math.max(load.connections, Math.floor(load.amount / load.connections) * load.connections) : undefined;
  const result = await run(
    {
      url: load.url,
      connections: load.connections,
      requests,
      ...(amount !== undefined ? { amount } : { duration: load.duration }),
      ...(load.overallRate !== undefined ? { overallRate: load.overallRate } : {}),
      // Keep non-2xx in the latency figures (the default); they are flagged separately.
      excludeErrorStats: false,
    },
    load.duration + 30,
  );
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  const seconds = ((lastResponseAt || result.finish.getTime()) - result.start.getTime()) / 1000;
  return {
    // A fixed amount ends inside a second: its last per-second count would pull the mean down,
    // and so would autocannon's finish time (see lastResponseAt).
    rps: amount !== undefined && seconds > 0 ? result.requests.total / seconds : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyMean: result.latency.mean,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
    duration: amount !== undefined ? seconds : result.duration,
    ...(check ? { expectedNon2xx, wrong, wrongExamples } : {}),
  };
}

/**
 * Sends `amount` requests over `connections` connections and returns every 2xx body (seeding, e.g.
 * issuing the tokens introspection will rotate through). Throws when a response is not 2xx.
 */
export async function collect(opts: { url: string; connections: number; amount: number; request: LoadRequest; maxSeconds: number }): Promise<string[]> {
  const bodies: string[] = [];
  const failures: string[] = [];
  const result = await run(
    {
      url: opts.url,
      connections: opts.connections,
      amount: opts.amount,
      requests: [
        {
          ...opts.request,
          onResponse: (status: number, body: string) => {
            if (status >= 200 && status < 300) bodies.push(body);
            else if (failures.length < 3) failures.push(`${status} ${body.slice(0, 300)}`);
          },
        },
      ],
    },
    opts.maxSeconds,
  );
  if (failures.length > 0) throw new Error(`${result.non2xx} of ${result.requests.total} responses were not 2xx, e.g.:\n  ${failures.join('\n  ')}`);
  if (bodies.length < opts.amount) {
    throw new Error(`only ${bodies.length} of ${opts.amount} responses arrived within ${opts.maxSeconds} s (${result.errors} connection errors)`);
  }
  return bodies;
}

export interface ProbeResult {
  status: number;
  body: string;
}

/** Sends the first request of a scenario once (after its setupRequest, if any) with fetch. */
export async function probe(url: string, request: LoadRequest): Promise<ProbeResult> {
  const prepared = typeof request.setupRequest === 'function' ? request.setupRequest({ ...request }, {}) : request;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(prepared.headers ?? {})) if (v !== undefined) headers[k] = String(v);
  const res = await fetch(url + (prepared.path ?? '/'), {
    method: prepared.method ?? 'GET',
    headers,
    ...(prepared.body !== undefined ? { body: prepared.body } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.text() };
}
