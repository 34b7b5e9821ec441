/**
 * Measuring one row: warm-up, then the measured phase while the server's RSS is sampled and its
 * CPU time read before and after. For autocannon loads (scenario requests) and for custom loops.
 */
import { measure, type LoadRequest, type Measurement } from './autocannon.ts';
import { cpuSeconds } from './cpu.ts';
import { judge, type Row } from './report.ts';
import { sampleRss } from './rss.ts';
import { startRowProfile } from './row-profile.ts';

export interface RowSettings {
  duration: number;
  warmup: number;
  connections: number;
}

export interface LoadRowOptions {
  connections?: number;
  overallRate?: number;
  /** Checks every response (Load.check). */
  check?: (status: number, body: string) => string | undefined;
  /** Items of a consumable pool left for this row: ~10 % warm up, the rest is measured (fixed amounts). */
  pool?: number;
}

/** Share of a consumable pool spent on the warm-up. */
const POOL_WARMUP_SHARE = 0.1;

/**
 * Measures a phase with the RSS sampler and CPU clock of `pid` around it. `cpu: false` leaves the
 * CPU per request out (when the process does other work meanwhile).
 */
export async function withServerClock(base: Row, pid: number, phase: () => Promise<Measurement>, options: { cpu?: boolean } = {}): Promise<Row> {
  const stopProfile = await startRowProfile(pid);
  const sampler = sampleRss(pid);
  const cpuBefore = cpuSeconds(pid);
  const measurement = await phase();
  const cpuAfter = cpuSeconds(pid);
  const peakRssMb = sampler.stop();
  await stopProfile?.(`${base.server}-${base.scenario}`);
  const cpuUsPerRequest = options.cpu !== false && cpuBefore !== undefined && cpuAfter !== undefined && measurement.total > 0 ? ((cpuAfter - cpuBefore) * 1e6) / measurement.total : undefined;
  const row = judge({ ...base, measurement, ...(peakRssMb !== undefined ? { peakRssMb } : {}), ...(cpuUsPerRequest !== undefined ? { cpuUsPerRequest } : {}) });
  console.log(progressLine(row));
  return row;
}

/** One autocannon row: optional warm-up, then `duration` seconds (or the rest of a pool) while sampling the server. */
export async function measureLoadRow(settings: RowSettings, base: Row, url: string, pid: number, requests: LoadRequest[], options: LoadRowOptions = {}): Promise<Row> {
  const connections = options.connections ?? settings.connections;
  const load = {
    url,
    connections,
    requests,
    ...(options.overallRate !== undefined ? { overallRate: options.overallRate } : {}),
    ...(options.check ? { check: options.check } : {}),
  };
  let measuredAmount: number | undefined;
  if (options.pool !== undefined) {
    const warm = settings.warmup > 0 ? Math.floor(options.pool * POOL_WARMUP_SHARE / connections) * connections : 0;
    measuredAmount = Math.floor((options.pool - warm) / connections) * connections;
    if (measuredAmount <= 0) throw new Error(`a pool of ${options.pool} is too small for ${connections} connections`);
    if (warm > 0) await measure({ ...load, duration: settings.duration, amount: warm });
  } else if (settings.warmup > 0) {
    await measure({ ...load, duration: settings.warmup });
  }
  const row = { ...base, ...(options.overallRate !== undefined ? { offeredRate: options.overallRate } : {}) };
  return withServerClock(row, pid, () => measure({ ...load, duration: settings.duration, ...(measuredAmount !== undefined ? { amount: measuredAmount } : {}) }));
}

/** One custom-loop row: `phase(seconds)` runs the load for that long; warm-up first, then measured. */
export async function measureLoopRow(settings: RowSettings, base: Row, pid: number, phase: (seconds: number) => Promise<Measurement>): Promise<Row> {
  if (settings.warmup > 0) await phase(settings.warmup);
  return withServerClock(base, pid, () => phase(settings.duration));
}

export function progressLine(row: Row): string {
  const m = row.measurement!;
  const ms = (v: number) => v.toFixed(m.p99 < 1 ? 3 : 1);
  const cpu = row.cpuUsPerRequest === undefined ? '?' : row.cpuUsPerRequest < 10 ? row.cpuUsPerRequest.toFixed(2) : row.cpuUsPerRequest.toFixed(0);
  const head = `  ${row.server.padEnd(18)} ${row.scenario.padEnd(30)} ${m.rps.toFixed(m.rps < 100 ? 1 : 0).padStart(7)} ${row.unit ?? 'req'}/s  p50 ${ms(m.p50)} ms  p99 ${ms(m.p99)} ms  RSS ${row.peakRssMb?.toFixed(0) ?? '?'} MiB  CPU ${cpu} µs/req`;
  return row.problem ? `${head}\n  !! INVALID: ${row.problem}` : head;
}
