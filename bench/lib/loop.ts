/**
 * A small load loop for what autocannon cannot drive (multi-step flows, in-process calls): a fixed
 * number of workers run a step again and again; each step's latency is recorded and the result is
 * reduced to the same figures as an autocannon row (lib/autocannon.ts `Measurement`).
 */
import type { Measurement } from './autocannon.ts';

export interface LoopOptions {
  /** Workers running `step` concurrently. */
  concurrency: number;
  /** One unit of work (a whole sign-in flow, one verify call); a rejection counts as a failed step. */
  step: (worker: number) => Promise<void>;
  /** Stop starting new steps after this many seconds… */
  seconds?: number;
  /** …or when this signal aborts (whichever comes first). */
  signal?: AbortSignal;
  /**
   * Operations one step performs (default 1), for very short operations (in-process calls) timed in
   * batches: throughput counts operations, and each step's latency ÷ batch is recorded per operation.
   */
  batch?: number;
}

/** Percentile of sorted values (nearest rank). */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs the loop; steps in flight when time is up are awaited and counted. */
export async function runLoop(opts: LoopOptions): Promise<Measurement> {
  const batch = opts.batch ?? 1;
  const latencies: number[] = [];
  let failures = 0;
  const examples: string[] = [];
  const started = performance.now();
  const deadline = opts.seconds !== undefined ? started + opts.seconds * 1000 : Infinity;
  const done = () => performance.now() >= deadline || opts.signal?.aborted === true;
  const worker = async (n: number) => {
    while (!done()) {
      const t0 = performance.now();
      try {
        await opts.step(n);
        latencies.push((performance.now() - t0) / batch);
      } catch (err) {
        failures++;
        if (examples.length < 3) examples.push(((err as Error).message ?? String(err)).slice(0, 300));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN;
  return {
    rps: (sorted.length * batch) / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    latencyMean: mean,
    total: (sorted.length + failures) * batch,
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    statusCodes: {},
    bytesPerResponse: NaN,
    duration: seconds,
    wrong: failures,
    wrongExamples: examples,
  };
}

export interface PacedOptions {
  /** Requests per second, sent evenly (one every 1000 ÷ rate ms), whatever the answers' latency. */
  rate: number;
  seconds: number;
  /**
   * Sends request number `i`; resolves when the answer has arrived with its HTTP status and what is
   * wrong with it (undefined: a right answer), or rejects (no answer).
   */
  send: (i: number) => Promise<{ status: number; problem?: string | undefined }>;
}

/**
 * Open-loop load at a steady rate (unlike autocannon's `overallRate`, which sends each second's
 * quota in a burst at the start of the second): request i is due at start + i ÷ rate and its
 * latency counts from then, so a server that falls behind shows it (no coordinated omission).
 */
export async function runPaced(opts: PacedOptions): Promise<Measurement> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let wrong = 0;
  const examples: string[] = [];
  const count = Math.max(1, Math.round(opts.rate * opts.seconds));
  const interval = 1000 / opts.rate;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      opts.send(i).then(
        ({ status, problem }) => {
          latencies.push(performance.now() - due);
          statusCodes[status] = (statusCodes[status] ?? 0) + 1;
          if (problem && status >= 200 && status < 300) {
            wrong++;
            if (examples.length < 3) examples.push(problem);
          }
        },
        (err: unknown) => {
          errors++;
          if (examples.length < 3) examples.push((err as Error).message);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const non2xx = Object.entries(statusCodes).filter(([c]) => !c.startsWith('2')).reduce((a, [, n]) => a + n, 0);
  return {
    rps: sorted.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    latencyMean: sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : NaN,
    total: sorted.length,
    errors,
    timeouts: 0,
    non2xx,
    statusCodes,
    bytesPerResponse: NaN,
    duration: seconds,
    wrong,
    wrongExamples: examples,
  };
}
