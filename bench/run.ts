/**
 * `npm run bench [-- options]`: measures Propusk (production configuration, one pinned core) and,
 * in the same run and on the same core, the baselines its figures are divided by. See README.md.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { scenarios as allScenarios, selectScenarios, type Scenario, type Target } from './scenarios/index.ts';
import { bareHttp, bareOidcProvider } from './baselines/index.ts';
import { measure, probe, type LoadRequest } from './lib/autocannon.ts';
import { cleanup, installSignalHandlers } from './lib/cleanup.ts';
import { pinSelf, pinningPlan, LOAD_CPU, SERVER_CPU, type Pinning } from './lib/processes.ts';
import { sampleRss } from './lib/rss.ts';
import { cpuSeconds } from './lib/cpu.ts';
import { addRatios, describeMachine, judge, renderText, writeReport, type Report, type Row, type ServerFacts, type ServerName } from './lib/report.ts';
import { DEFAULT_POSTGRES_URL, type DbKind } from './lib/seed.ts';
import { startBareHttp, startBareOidcProvider, startPropusk, type RunningServer, type RunningTarget, type StartOptions } from './lib/targets.ts';

const USAGE = `usage: npm run bench [-- options]

  --duration <s>      measured seconds per scenario and server (default 10)
  --warmup <s>        unmeasured seconds before each measurement (default 2)
  --connections <n>   concurrent autocannon connections (default 50)
  --db <kind>         sqlite (default) or postgres
  --postgres-url <u>  server for --db postgres (default ${DEFAULT_POSTGRES_URL}); a fresh schema is created and dropped
  --only <a,b>        scenarios to run (${allScenarios.map((s) => s.name).join(', ')})
  --tokens <n>        live access tokens seeded for introspection (default 2000; issue 10 asks for 100000)
  --no-oidc-baseline  skip the bare oidc-provider baseline
  --out <file.md>     report file (default bench/results.md; the JSON goes next to it)
  --cpu-prof <dir>    write a V8 CPU profile of each server to <dir> (open in Chrome DevTools or speedscope);
                      combine with --only to profile one scenario
`;

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  db: DbKind;
  postgresUrl: string;
  only: string | undefined;
  tokens: number;
  oidcBaseline: boolean;
  out: string;
  cpuProfDir: string | undefined;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options | undefined {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        duration: { type: 'string', default: '10' },
        warmup: { type: 'string', default: '2' },
        connections: { type: 'string', default: '50' },
        db: { type: 'string', default: 'sqlite' },
        'postgres-url': { type: 'string', default: DEFAULT_POSTGRES_URL },
        only: { type: 'string' },
        tokens: { type: 'string', default: '2000' },
        'no-oidc-baseline': { type: 'boolean', default: false },
        out: { type: 'string', default: resolve(import.meta.dirname, 'results.md') },
        'cpu-prof': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.help) return undefined;
  const int = (name: string, v: string, min: number, max: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in ${min}..${max} (got ${JSON.stringify(v)})`);
    return n;
  };
  if (parsed.db !== 'sqlite' && parsed.db !== 'postgres') throw new UsageError(`--db must be sqlite or postgres (got ${JSON.stringify(parsed.db)})`);
  const out = resolve(parsed.out);
  if (!out.endsWith('.md')) throw new UsageError('--out must name a .md file');
  return {
    duration: int('duration', parsed.duration, 1, 600),
    warmup: int('warmup', parsed.warmup, 0, 60),
    connections: int('connections', parsed.connections, 1, 10_000),
    db: parsed.db,
    postgresUrl: parsed['postgres-url'],
    only: parsed.only,
    tokens: int('tokens', parsed.tokens, 1, 1_000_000),
    oidcBaseline: !parsed['no-oidc-baseline'],
    out,
    cpuProfDir: parsed['cpu-prof'] !== undefined ? resolve(parsed['cpu-prof']) : undefined,
  };
}

async function main(): Promise<number> {
  let options: Options | undefined;
  try {
    options = parseOptions(process.argv.slice(2));
    if (options) selectScenarios(options.only);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }

  const plan = pinningPlan();
  const pinnedCopy = await pinSelf(plan);
  if (pinnedCopy !== undefined) return pinnedCopy;

  installSignalHandlers();
  try {
    return await bench(options, plan);
  } catch (err) {
    console.error(`\nbench: FAILED: ${(err as Error).stack ?? String(err)}`);
    return 1;
  } finally {
    await cleanup();
  }
}

/**
 * Starts every server (they idle on the server core while another is measured), then measures in
 * an interleaved order so that a noisy neighbour hits Propusk and its baselines alike:
 * bare-http, then per scenario Propusk and bare-oidc-provider back to back, then bare-http again.
 */
async function bench(options: Options, plan: Pinning): Promise<number> {
  const scenarios = selectScenarios(options.only);
  const pinning = plan.enabled
    ? `servers on core ${SERVER_CPU} (taskset -c ${SERVER_CPU}), autocannon on core ${LOAD_CPU} (bench process allowed CPUs: ${plan.benchCpus})`
    : `OFF — ${plan.reason}`;
  const notes: string[] = [];
  if (!plan.enabled) notes.push(`Not pinned: ${plan.reason}. Figures are not per-core.`);
  const servers: Partial<Record<ServerName, ServerFacts>> = {};
  const rows: Row[] = [];
  const started: RunningServer[] = [];

  const oidcScenarios = options.oidcBaseline ? scenarios.filter((s) => s.comparableOn.includes('bare-oidc-provider')) : [];
  const rowCount = scenarios.length + oidcScenarios.length + 2;
  console.log(`Propusk benchmark — ${scenarios.map((s) => s.name).join(', ')} on ${options.db}`);
  console.log(`pinning: ${pinning}`);
  console.log(`load: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per row, ${rowCount} rows (≈${Math.ceil((rowCount * (options.warmup + options.duration)) / 60)} min plus seeding)\n`);

  const startOptions: StartOptions = {
    cpu: plan.enabled ? SERVER_CPU : undefined,
    tokens: scenarios.some((s) => s.needs.includes('tokens')) ? options.tokens : 0,
    connections: options.connections,
    cpuProfDir: options.cpuProfDir,
  };

  /** Starts one server; a failure is printed loudly and its rows are marked skipped. */
  async function tryStart<T extends RunningServer>(name: ServerName, its: Scenario[], start: (facts: ServerFacts) => Promise<T>): Promise<T | undefined> {
    const facts: ServerFacts = {};
    servers[name] = facts;
    try {
      const r = await start(facts);
      started.push(r);
      return r;
    } catch (err) {
      const message = (err as Error).message;
      console.error(`\n!! ${name}: FAILED to start or seed; its rows are skipped:\n!! ${message.split('\n').join('\n!! ')}\n`);
      for (const s of its) rows.push({ scenario: s.name, server: name, skipped: `${name} failed to start or seed: ${message.split('\n')[0]}` });
      return undefined;
    }
  }

  let database: string = options.db;
  const propusk = await tryStart('propusk', scenarios, async (facts) => {
    const r = await startPropusk(options.db, options.postgresUrl, startOptions, facts);
    database = r.database;
    return r;
  });
  if (!propusk && options.db === 'postgres') notes.push('PostgreSQL storage could not be benchmarked: Propusk failed to start or seed on it (see the skipped rows).');
  const oidc = oidcScenarios.length ? await tryStart('bare-oidc-provider', oidcScenarios, (facts) => startBareOidcProvider(startOptions, facts)) : undefined;
  const bare = await tryStart('bare-http', [], (facts) => startBareHttp(startOptions, facts));

  if (bare) rows.push(await measureHello(options, bare, 'hello (first)'));
  for (const scenario of scenarios) {
    if (propusk) rows.push(await measureScenario(options, scenario, propusk));
    if (oidc && oidcScenarios.includes(scenario)) rows.push(await measureScenario(options, scenario, oidc));
  }
  if (bare) rows.push(await measureHello(options, bare, 'hello (last)'));

  for (const r of started.reverse()) await r.stop();

  const hellos = rows.filter((r) => r.server === 'bare-http' && r.measurement);
  if (hellos.length === 2) {
    const [a, b] = hellos.map((r) => r.measurement!.rps) as [number, number];
    const drift = Math.abs(a - b) / Math.max(a, b);
    if (drift > 0.15) notes.push(`bare-http moved ${(drift * 100).toFixed(0)}% between the first and the last measurement: the machine is noisy; trust the ratios more than the req/s.`);
  }
  if (plan.enabled && startOptions.cpu !== undefined) {
    notes.push('On two cores autocannon (one core, one thread) may itself be the limit for bare-http; then the bare-http ratio overstates Propusk (a conservative ceiling).');
  }
  notes.push('Servers run TypeScript through tsx (`node --import tsx`), which adds start-up time and a few tens of MiB to RSS compared with compiled JavaScript.');

  const report: Report = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings: { duration: options.duration, warmup: options.warmup, connections: options.connections, db: options.db, tokens: startOptions.tokens, scenarios: scenarios.map((s) => s.name) },
    pinning,
    database,
    servers,
    rows: addRatios(rows),
    legend: Object.fromEntries([['hello', `${bareHttp.name}: ${bareHttp.summary}`], ...scenarios.map((s) => [s.name, s.summary]), [bareOidcProvider.name, bareOidcProvider.summary]]),
    notes,
  };
  const jsonPath = options.out.replace(/\.md$/, '.json');
  console.log(`\n${renderText(report)}`);
  writeReport(report, options.out, jsonPath);
  console.log(`wrote ${options.out} and ${jsonPath}`);
  if (options.cpuProfDir) console.log(`CPU profiles in ${options.cpuProfDir}`);
  return report.rows.some((r) => r.problem || r.skipped) ? 1 : 0;
}

/** One measured row: optional warm-up, then `duration` seconds while sampling the server's RSS. */
async function measureRow(options: Options, base: Row, url: string, pid: number, requests: LoadRequest[]): Promise<Row> {
  const load = { url, connections: options.connections, requests };
  if (options.warmup > 0) await measure({ ...load, duration: options.warmup });
  const sampler = sampleRss(pid);
  const cpuBefore = cpuSeconds(pid);
  const measurement = await measure({ ...load, duration: options.duration });
  const cpuAfter = cpuSeconds(pid);
  const peakRssMb = sampler.stop();
  const cpuUsPerRequest = cpuBefore !== undefined && cpuAfter !== undefined && measurement.total > 0 ? ((cpuAfter - cpuBefore) * 1e6) / measurement.total : undefined;
  const row = judge({ ...base, measurement, ...(peakRssMb !== undefined ? { peakRssMb } : {}), ...(cpuUsPerRequest !== undefined ? { cpuUsPerRequest } : {}) });
  console.log(progressLine(row));
  return row;
}

/** Checks one response of the scenario first: a wrong answer is reported, never measured. */
async function measureScenario(options: Options, scenario: Scenario, running: RunningTarget): Promise<Row> {
  const target: Target = running.target;
  const base: Row = { scenario: scenario.name, server: running.name };
  if (running.server.exitCode() !== null) return { ...base, skipped: `${running.name} exited with code ${running.server.exitCode()}` };
  let requests: LoadRequest[];
  try {
    requests = scenario.requests(target);
    const first = await probe(target.url, requests[0]!);
    const wrong = scenario.check(first.status, first.body);
    if (wrong) {
      console.error(`!! ${running.name} / ${scenario.name}: check failed, not measured: ${wrong}`);
      return { ...base, skipped: `check failed: ${wrong}` };
    }
  } catch (err) {
    console.error(`!! ${running.name} / ${scenario.name}: ${(err as Error).message}`);
    return { ...base, skipped: (err as Error).message };
  }
  return measureRow(options, base, target.url, running.server.pid, requests);
}

async function measureHello(options: Options, running: RunningServer, label: string): Promise<Row> {
  return measureRow(options, { scenario: label, server: 'bare-http' }, running.server.url, running.server.pid, [{ method: 'GET', path: '/' }]);
}

function progressLine(row: Row): string {
  const m = row.measurement!;
  const head = `  ${row.server.padEnd(18)} ${row.scenario.padEnd(20)} ${Math.round(m.rps).toString().padStart(7)} req/s  p50 ${m.p50.toFixed(1)} ms  p99 ${m.p99.toFixed(1)} ms  RSS ${row.peakRssMb?.toFixed(0) ?? '?'} MiB  CPU ${row.cpuUsPerRequest?.toFixed(0) ?? '?'} µs/req`;
  return row.problem ? `${head}\n  !! INVALID: ${row.problem}` : head;
}

process.exitCode = await main();
// autocannon and fetch may keep sockets open for a moment; the run is over.
process.exit();
