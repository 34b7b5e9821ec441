/**
 * The report: one row per (scenario, server), the ratios, and the machine it ran on — printed as
 * a table and written to bench/results.md and bench/results.json. A row with errors, non-2xx
 * responses or a failed check is invalid: its req/s is shown struck out and never enters a ratio.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import os from 'node:os';
import type { Measurement } from './autocannon.ts';
import { floorRange, type Floor } from './floors.ts';

/**
 * Who answered a row: a server process, or `in-process` for calls inside the bench process itself
 * (the resource-server library's verifier).
 */
export type ServerName = 'propusk' | 'bare-oidc-provider' | 'bare-http' | 'extern-api' | 'glewlwyd' | 'in-process';

/** Servers whose rows get the ÷ bare-http ratios. */
const RATIOED: readonly ServerName[] = ['propusk', 'extern-api', 'glewlwyd'];

/** Optional peers (`--peer`): another OpenID provider measured on the same scenarios and core. */
export type PeerName = 'glewlwyd';
export const PEERS: readonly PeerName[] = ['glewlwyd'];

/** What became of the peer asked for: measured, or not run (and how to get it). */
export interface PeerStatus {
  name: PeerName;
  ran: boolean;
  /** Why it did not run and how to install it. */
  reason?: string;
  /** Scenarios it was measured on. */
  scenarios: string[];
}

export interface Row {
  scenario: string;
  server: ServerName;
  measurement?: Measurement;
  /** Highest VmRSS of the server process while this scenario ran (MiB). */
  peakRssMb?: number;
  /** CPU time (user + system) the server used per response during the measured seconds, in µs (lib/cpu.ts). */
  cpuUsPerRequest?: number;
  /** Mean time of one JWS signature inside the server over the row (warm-up included), from its `propusk_jws_signature_seconds` metric. */
  signatureUs?: number;
  /** Why there is no measurement. */
  skipped?: string;
  /**
   * Requests per second the load was held at (autocannon `overallRate`), when fixed: such a row's
   * req/s says how much was offered, not what the server can do, so it gets no req/s ratio.
   */
  offeredRate?: number;
  /** What the row counts when not HTTP requests (`flows`: whole sign-in flows; `calls`: in-process calls): no ratios. */
  unit?: 'flows' | 'calls';
  /** What was wrong with the responses (failed check, non-2xx, connection errors). */
  problem?: string;
  /** Propusk and extern-api rows: req/s ÷ bare-http req/s. */
  ratioBareHttp?: number;
  /** Propusk and extern-api rows: bare-http's CPU per request ÷ this row's (the same ratio from CPU time). */
  cpuRatioBareHttp?: number;
  /** Propusk rows: req/s ÷ bare-oidc-provider req/s on the same scenario. */
  ratioBareOidcProvider?: number;
  /** Propusk rows: bare-oidc-provider's CPU per request ÷ Propusk's (the same ratio, from CPU time: steadier on a busy machine). */
  cpuRatioBareOidcProvider?: number;
  /** Propusk rows with `--peer glewlwyd`: req/s ÷ Glewlwyd's req/s on the same scenario. */
  ratioGlewlwyd?: number;
  /** Propusk rows with `--peer glewlwyd`: Glewlwyd's CPU per request ÷ Propusk's. */
  cpuRatioGlewlwyd?: number;
}

export interface ServerFacts {
  /** Spawn to first healthy answer, ms (includes tsx compiling TypeScript on the fly). */
  readyMs?: number;
  /** VmRSS once ready, before any load (MiB). */
  idleRssMb?: number;
  /** VmRSS after seeding (tokens issued), before the measured scenarios (MiB). */
  seededRssMb?: number;
  /** VmHWM at the end: peak resident size over the whole life of the process (MiB). */
  hwmMb?: number;
  /** Warnings and errors the server logged during the run (first few). */
  logged?: string[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  os: string;
  node: string;
}

export interface Report {
  date: string;
  machine: Machine;
  settings: { duration: number; warmup: number; connections: number; db: string; tokens: number; scenarios: string[]; refreshTokens?: number; deviceCodes?: number; assertions?: number };
  pinning: string;
  database: string;
  servers: Partial<Record<ServerName, ServerFacts>>;
  rows: Row[];
  /** The peer asked for with `--peer`, whether it ran. */
  peer?: PeerStatus;
  /** RS256 and argon2id on the server core after the first and after the last bare-http row (lib/floors.ts). */
  floors?: Floor[];
  legend: Record<string, string>;
  notes: string[];
}

export function describeMachine(): Machine {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpu;
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpu,
    // os.cpus() lists the machine's cores; availableParallelism() would say 1 in the pinned bench process.
    cores: os.cpus().length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

export function isValid(row: Row): boolean {
  return row.measurement !== undefined && row.problem === undefined;
}

/** Marks a row invalid when its responses were not all 2xx or connections failed. */
export function judge(row: Row): Row {
  const m = row.measurement;
  if (!m || row.problem) return row;
  const issues: string[] = [];
  if (unexpectedNon2xx(m) > 0) {
    const codes = Object.entries(m.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${n}× ${c}`);
    issues.push(`${unexpectedNon2xx(m)} unexpected non-2xx responses (${codes.join(', ')})`);
  }
  if (m.wrong) issues.push(`${m.wrong} wrong answers, e.g. ${m.wrongExamples?.join(' / ') ?? ''}`);
  if (m.errors > 0) issues.push(`${m.errors} connection errors (${m.timeouts} timeouts)`);
  if (m.total === 0) issues.push('no responses');
  return issues.length ? { ...row, problem: issues.join('; ') } : row;
}

/** Non-2xx responses that were not the scenario's expected answer. */
export function unexpectedNon2xx(m: Measurement): number {
  return Math.max(0, m.non2xx - (m.expectedNon2xx ?? 0));
}

/**
 * Fills the ratio columns of the Propusk rows: against the mean of the valid bare-http rows
 * (measured first and last), and against bare-oidc-provider on the same scenario.
 */
export function addRatios(rows: Row[]): Row[] {
  const bare = rows.filter((r) => r.server === 'bare-http' && isValid(r)).map((r) => r.measurement!.rps);
  const bareRps = bare.length ? bare.reduce((a, b) => a + b, 0) / bare.length : undefined;
  const bareCpu = rows.filter((r) => r.server === 'bare-http' && isValid(r) && r.cpuUsPerRequest).map((r) => r.cpuUsPerRequest!);
  const bareCpuUs = bareCpu.length ? bareCpu.reduce((a, b) => a + b, 0) / bareCpu.length : undefined;
  return rows.map((r) => {
    if (!RATIOED.includes(r.server) || !isValid(r) || r.unit) return r;
    const rps = r.offeredRate === undefined ? r.measurement!.rps : undefined;
    const same = (server: ServerName) => (r.server === 'propusk' ? rows.find((o) => o.server === server && o.scenario === r.scenario && isValid(o)) : undefined);
    const oidc = same('bare-oidc-provider');
    const glewlwyd = same('glewlwyd');
    return {
      ...r,
      ...(bareRps && rps ? { ratioBareHttp: rps / bareRps } : {}),
      ...(bareCpuUs && r.cpuUsPerRequest ? { cpuRatioBareHttp: bareCpuUs / r.cpuUsPerRequest } : {}),
      ...(oidc && rps ? { ratioBareOidcProvider: rps / oidc.measurement!.rps } : {}),
      ...(oidc?.cpuUsPerRequest && r.cpuUsPerRequest ? { cpuRatioBareOidcProvider: oidc.cpuUsPerRequest / r.cpuUsPerRequest } : {}),
      ...(glewlwyd && rps ? { ratioGlewlwyd: rps / glewlwyd.measurement!.rps } : {}),
      ...(glewlwyd?.cpuUsPerRequest && r.cpuUsPerRequest ? { cpuRatioGlewlwyd: glewlwyd.cpuUsPerRequest / r.cpuUsPerRequest } : {}),
    };
  });
}

const HEADERS = ['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'non-2xx', 'peak RSS MiB', 'bytes/resp', 'CPU µs/req', '÷ bare-http', '÷ bare-http (CPU)', '÷ bare-oidc-provider', '÷ bare-oidc-provider (CPU)'];
/** Columns added when a peer was asked for (`--peer glewlwyd`), measured or not. */
const PEER_HEADERS = ['÷ glewlwyd', '÷ glewlwyd (CPU)'];

const headersOf = (report: Report) => (report.peer ? [...HEADERS, ...PEER_HEADERS] : HEADERS);

const num = (v: number | undefined, digits = 0) => (v === undefined || !Number.isFinite(v) ? '–' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3));

function cells(row: Row, strike: (s: string) => string, peer: boolean): string[] {
  const m = row.measurement;
  const peerCells = peer ? [ratio(row.ratioGlewlwyd), ratio(row.cpuRatioGlewlwyd)] : [];
  if (!m) return [row.scenario, row.server, `SKIPPED`, '–', '–', '–', '–', num(row.peakRssMb), '–', '–', '–', '–', '–', '–', ...peerCells];
  const figure = `${num(m.rps, m.rps < 100 ? 1 : 0)}${row.unit ? ` ${row.unit}/s` : ''}${row.offeredRate !== undefined ? ` (rate ${num(row.offeredRate)})` : ''}`;
  const rps = isValid(row) ? figure : `${strike(figure)} INVALID`;
  const bad = unexpectedNon2xx(m);
  const non2xx = `${bad > 0 ? `${num(bad)} !!` : '0'}${m.expectedNon2xx ? ` (+${num(m.expectedNon2xx)} expected)` : ''}`;
  const digits = m.p99 < 1 ? 3 : 1;
  return [row.scenario, row.server, rps, num(m.p50, digits), num(m.p99, digits), num(m.errors), non2xx, num(row.peakRssMb), num(m.bytesPerResponse), num(row.cpuUsPerRequest, row.cpuUsPerRequest !== undefined && row.cpuUsPerRequest < 10 ? 2 : 0), ratio(row.ratioBareHttp), ratio(row.cpuRatioBareHttp), ratio(row.ratioBareOidcProvider), ratio(row.cpuRatioBareOidcProvider), ...peerCells];
}

function problems(report: Report): string[] {
  return report.rows.filter((r) => r.problem || r.skipped).map((r) => `${r.server} / ${r.scenario}: ${r.problem ?? `skipped: ${r.skipped}`}`);
}

/** The console table (fixed width), problems listed loudly under it. */
export function renderText(report: Report): string {
  const headers = headersOf(report);
  const body = report.rows.map((r) => cells(r, (s) => `(${s})`, report.peer !== undefined));
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((v, i) => (i >= 2 ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join('  ');
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const bad = problems(report);
  if (bad.length) out.push('', `!! ${bad.length} row(s) are NOT valid measurements:`, ...bad.map((p) => `!!   ${p}`));
  if (report.peer) out.push('', peerLine(report.peer));
  out.push('', ...serverFacts(report).map((f) => `${f}`));
  if (report.floors?.length) out.push(floorLine(report.floors));
  return out.join('\n') + '\n';
}

/** The peer's line under the table: measured on which scenarios, or not run and how to install it. */
export function peerLine(peer: PeerStatus): string {
  if (peer.ran) return `peer ${peer.name}: measured on ${peer.scenarios.join(', ') || 'no scenario'}, on its own SQLite file (WAL) (÷ ${peer.name}: Propusk ÷ ${peer.name} on the same scenario; CPU: ${peer.name}'s CPU µs/req ÷ Propusk's)`;
  return `peer ${peer.name}: NOT RUN — ${peer.reason ?? 'unknown reason'}`;
}

function serverFacts(report: Report): string[] {
  const out: string[] = [];
  for (const [name, f] of Object.entries(report.servers)) {
    const parts = [
      f.readyMs !== undefined ? `ready in ${num(f.readyMs)} ms` : undefined,
      f.idleRssMb !== undefined ? `idle RSS ${num(f.idleRssMb, 1)} MiB` : undefined,
      f.seededRssMb !== undefined ? `RSS after seeding ${num(f.seededRssMb, 1)} MiB` : undefined,
      // Target: RSS after issuing 200,000 tokens within 50 MB of idle (run with --tokens 200000).
      f.seededRssMb !== undefined && f.idleRssMb !== undefined && report.settings.tokens > 0
        ? `growth while issuing ${num(report.settings.tokens)} tokens ${num(f.seededRssMb - f.idleRssMb, 1)} MiB`
        : undefined,
      f.hwmMb !== undefined ? `peak RSS (VmHWM) ${num(f.hwmMb, 1)} MiB` : undefined,
    ].filter(Boolean);
    out.push(`${name}: ${parts.join(', ')}`);
    if (f.logged?.length) out.push(`${name} logged warnings/errors during the run:`, ...f.logged.map((l) => `  ${l}`));
  }
  return out;
}

function floorLine(floors: readonly Floor[]): string {
  const when = floors.length > 1 ? ' (after the first → after the last bare-http row)' : '';
  return `floors on the server core${when}: signatures RS256 ${floorRange(floors, (f) => f.rs256Us, 'µs')}, ES256 ${floorRange(floors, (f) => f.es256Us, 'µs', 1)}, EdDSA ${floorRange(floors, (f) => f.eddsaUs, 'µs', 1)}, argon2id verification (m=19 MiB, t=2, p=1) ${floorRange(floors, (f) => f.argon2idMs, 'ms', 1)}, CPU time of one, measured alone`;
}

export function renderMarkdown(report: Report): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const m = report.machine;
  const s = report.settings;
  const out = [
    '# Propusk benchmark results',
    '',
    `Generated by \`npm run bench\` on ${report.date}.`,
    '',
    `- Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB RAM, ${m.os}`,
    `- Node ${m.node}`,
    `- Pinning: ${report.pinning}`,
    `- Database: ${report.database}`,
    `- Load: autocannon, ${s.connections} connections, ${s.warmup} s warm-up then ${s.duration} s measured per row; ${num(s.tokens)} live tokens seeded for introspection`,
    ...(s.refreshTokens || s.deviceCodes || s.assertions
      ? [
          `- Seeded besides: ${[
            s.refreshTokens ? `${num(s.refreshTokens)} refresh tokens (each rotated once: refresh-token sends the pool, ~10 % warm-up, the rest measured)` : undefined,
            s.assertions ? `${num(s.assertions)} pre-signed partner JWTs (trusted, used once each, same split)` : undefined,
            s.deviceCodes ? `${num(s.deviceCodes)} pending device codes (device-poll)` : undefined,
          ]
            .filter(Boolean)
            .join('; ')}`,
        ]
      : []),
    '',
    `| ${headersOf(report).join(' | ')} |`,
    `|${headersOf(report).map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...report.rows.map((r) => `| ${cells(r, (v) => `~~${v}~~`, report.peer !== undefined).map(esc).join(' | ')} |`),
    '',
  ];
  const bad = problems(report);
  if (bad.length) out.push('**Invalid rows (not throughput):**', '', ...bad.map((p) => `- ${esc(p)}`), '');
  if (report.peer) out.push(`- ${peerLine(report.peer)}`, '');
  out.push(...serverFacts(report).map((f) => (f.startsWith('  ') ? `    ${f.trim()}` : `- ${f}`)), '');
  if (report.floors?.length) out.push(`- ${floorLine(report.floors)}`, '');
  out.push('Scenarios:', '', ...Object.entries(report.legend).map(([k, v]) => `- \`${k}\`: ${v}`), '');
  if (report.notes.length) out.push('Notes:', '', ...report.notes.map((n) => `- ${n}`), '');
  out.push(`Ratios: Propusk req/s ÷ the baseline${report.peer ? ' (or peer)' : ''} req/s measured in the same run, on the same core, with the same load settings; the CPU ratio is the baseline's CPU time per request ÷ Propusk's. See bench/README.md.`, '');
  return out.join('\n');
}

export function writeReport(report: Report, mdPath: string, jsonPath: string): void {
  mkdirSync(dirname(mdPath), { recursive: true });
  writeFileSync(mdPath, renderMarkdown(report));
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
}
