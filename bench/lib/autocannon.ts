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
  /** Seconds. */
  duration: number;
  /** The request sequence every connection cycles through (setupRequest may vary each one). */
  requests: LoadRequest[];
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

/** Runs the load for `duration` seconds and returns the figures we report. */
export async function measure(load: Load): Promise<Measurement> {
  const result = await run(
    {
      url: load.url,
      connections: load.connections,
      duration: load.duration,
      requests: load.requests,
      // Keep non-2xx in the latency figures (the default); they are flagged separately.
      excludeErrorStats: false,
    },
    load.duration + 30,
  );
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stat.count ?? 0;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    latencyMean: result.latency.mean,
    total: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
    bytesPerResponse: result.requests.total > 0 ? Math.round(result.throughput.total / result.requests.total) : 0,
    duration: result.duration,
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
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: await res.text() };
}
