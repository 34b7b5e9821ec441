/**
 * `npm run bench [-- options]`: measures Propusk (production configuration, one pinned core) and,
 * in the same run and on the same core, the baselines its figures are divided by. See README.md.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { scenarios as allScenarios, selectScenarios, type CustomRun, type FixtureKind, type LoadScenario, type Scenario, type Target } from './scenarios/index.ts';
import { bareHttp, bareOidcProvider } from './baselines/index.ts';
import { probe, type LoadRequest } from './lib/autocannon.ts';
import { cleanup, installSignalHandlers } from './lib/cleanup.ts';
import { pinSelf, pinningPlan, LOAD_CPU, SERVER_CPU, type Pinning } from './lib/processes.ts';
import { measureLoadRow } from './lib/rows.ts';
import { addRatios, describeMachine, peerLine, renderText, writeReport, PEERS, type PeerName, type PeerStatus, type Report, type Row, type ServerFacts, type ServerName } from './lib/report.ts';
import { GLEWLWYD_BINARY_ENV, GLEWLWYD_INSTALL_HINT, glewlwydMissing } from './lib/glewlwyd.ts';
import { DEFAULT_POSTGRES_URL, type DbKind } from './lib/seed.ts';
import { floorMean, measureFloor, type Floor } from './lib/floors.ts';
import { JWT_ALGS } from './scenarios/jwt-algs.ts';
import { jwtScenarioName } from './scenarios/client-credentials-jwt.ts';
import { startBareHttp, startBareOidcProvider, startGlewlwyd, startPropusk, type RunningServer, type RunningTarget, type StartOptions } from './lib/targets.ts';

const USAGE = `usage: npm run bench [-- options]

  --duration <s>      measured seconds per scenario and server (default 10)
  --warmup <s>        unmeasured seconds before each measurement (default 2)
  --connections <n>   concurrent autocannon connections (default 50)
  --db <kind>         sqlite (default) or postgres
  --postgres-url <u>  server for --db postgres (default ${DEFAULT_POSTGRES_URL}); a fresh schema is created and dropped
  --only <a,b>        scenarios to run (${allScenarios.map((s) => s.name).join(', ')})
  --tokens <n>        live access tokens seeded for introspection (default 100000, as the performance targets ask)
  --refresh-tokens <n> refresh tokens seeded for refresh-token, each used once (default 2000)
  --device-codes <n>  pending device codes polled by device-poll (default 10000, the performance targets' figure)
  --assertions <n>    partner JWTs pre-signed for trusted, each used once (default 6000)
  --no-oidc-baseline  skip the bare oidc-provider baseline
  --peer <name>       also measure another OpenID provider on the scenarios it serves alike, on the same core,
                      with ÷ <name> columns; known: ${PEERS.join(', ')}. glewlwyd: Debian's package
                      (apt-get install glewlwyd; discovery, jwks, client-credentials). When it is not
                      installed the run goes on and the report says so (${GLEWLWYD_BINARY_ENV}=<path>
                      names another binary; a missing path simulates "not installed")
  --out <file.md>     report file (default bench/results.md; the JSON goes next to it)
  --cpu-prof <dir>    write a V8 CPU profile of each measured row to <dir>, named <server>-<scenario>.cpuprofile
                      (the measured seconds only: no start-up, seeding or warm-up; open in Chrome DevTools or speedscope)
`;

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  db: DbKind;
  postgresUrl: string;
  only: string | undefined;
  tokens: number;
  refreshTokens: number;
  deviceCodes: number;
  assertions: number;
  oidcBaseline: boolean;
  peer: PeerName | undefined;
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
        tokens: { type: 'string', default: '100000' },
        'refresh-tokens': { type: 'string', default: '2000' },
        'device-codes': { type: 'string', default: '10000' },
        assertions: { type: 'string', default: '6000' },
        'no-oidc-baseline': { type: 'boolean', default: false },
        peer: { type: 'string' },
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
  if (parsed.peer !== undefined && !PEERS.includes(parsed.peer as PeerName)) throw new UsageError(`unknown --peer ${JSON.stringify(parsed.peer)} (known: ${PEERS.join(', ')})`);
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
    refreshTokens: int('refresh-tokens', parsed['refresh-tokens'], 100, 1_000_000),
    deviceCodes: int('device-codes', parsed['device-codes'], 100, 1_000_000),
    assertions: int('assertions', parsed.assertions, 100, 1_000_000),
    oidcBaseline: !parsed['no-oidc-baseline'],
    peer: parsed.peer as PeerName | undefined,
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
  // The peer: run only when asked for and installed; otherwise the report says why and how to get it.
  let peer: PeerStatus | undefined;
  let peerScenarios: Scenario[] = [];
  if (options.peer === 'glewlwyd') {
    const missing = glewlwydMissing();
    peerScenarios = missing ? [] : scenarios.filter((s) => s.comparableOn.includes('glewlwyd'));
    const comparable = allScenarios.filter((s) => s.comparableOn.includes('glewlwyd')).map((s) => s.name).join(', ');
    peer = missing
      ? { name: 'glewlwyd', ran: false, reason: `not installed (${missing}); ${GLEWLWYD_INSTALL_HINT}`, scenarios: [] }
      : peerScenarios.length
        ? { name: 'glewlwyd', ran: true, scenarios: peerScenarios.map((s) => s.name) }
        : { name: 'glewlwyd', ran: false, reason: `none of the selected scenarios is comparable on it (it runs ${comparable})`, scenarios: [] };
    if (!peer.ran) console.log(`${peerLine(peer)}\n`);
  }
  // login-storm measures twice (alone, during the storm).
  const rowCount = scenarios.length + oidcScenarios.length + peerScenarios.length + 2 + (scenarios.some((s) => s.name === 'login-storm') ? 1 : 0);
  console.log(`Propusk benchmark — ${scenarios.map((s) => s.name).join(', ')} on ${options.db}`);
  console.log(`pinning: ${pinning}`);
  console.log(`load: ${options.connections} connections, ${options.warmup} s warm-up + ${options.duration} s per row, ${rowCount} rows (≈${Math.ceil((rowCount * (options.warmup + options.duration)) / 60)} min plus seeding)\n`);

  const needs = new Set<FixtureKind>(scenarios.flatMap((s) => s.needs));
  const startOptions: StartOptions = {
    cpu: plan.enabled ? SERVER_CPU : undefined,
    tokens: needs.has('tokens') ? options.tokens : 0,
    connections: options.connections,
    cpuProfDir: options.cpuProfDir,
    needs,
    refreshTokens: options.refreshTokens,
    deviceCodes: options.deviceCodes,
    assertions: options.assertions,
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
  const glewlwyd = peerScenarios.length ? await tryStart('glewlwyd', peerScenarios, (facts) => startGlewlwyd(startOptions, facts)) : undefined;
  if (peer?.ran && !glewlwyd) peer = { ...peer, ran: false, reason: 'installed, but it failed to start or answer its discovery URL (see the skipped rows)' };
  const bare = await tryStart('bare-http', [], (facts) => startBareHttp(startOptions, facts));

  const floors: Floor[] = [];
  const readFloor = async () => {
    try {
      const floor = await measureFloor(startOptions.cpu);
      console.log(`  floors on the server core: signatures RS256 ${floor.rs256Us} µs, ES256 ${floor.es256Us} µs, EdDSA ${floor.eddsaUs} µs, argon2id verification ${floor.argon2idMs} ms (CPU)`);
      floors.push(floor);
    } catch (err) {
      notes.push(`Floors not measured: ${(err as Error).message}`);
    }
  };
  if (bare) rows.push(await measureHello(options, bare, 'hello (first)'));
  await readFloor();
  for (const scenario of scenarios) {
    if (scenario.kind === 'custom') {
      if (propusk) rows.push(...(await runCustom(options, scenario, propusk, startOptions.cpu, servers, notes)));
      continue;
    }
    if (propusk) rows.push(await measureScenario(options, scenario, propusk));
    if (oidc && oidcScenarios.includes(scenario)) rows.push(await measureScenario(options, scenario, oidc));
    if (glewlwyd && peerScenarios.includes(scenario)) rows.push(await measureScenario(options, scenario, glewlwyd));
  }
  if (bare) rows.push(await measureHello(options, bare, 'hello (last)'));
  await readFloor();
  if (floors.length) notes.push(...floorNotes(rows, floors));

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
  notes.push('Propusk runs from its esbuild bundle (packages/server/dist/main.js, built first when stale), as `npm start` does; the baselines and the demo API run through tsx.');

  const report: Report = {
    date: new Date().toISOString(),
    machine: describeMachine(),
    settings: {
      duration: options.duration,
      warmup: options.warmup,
      connections: options.connections,
      db: options.db,
      tokens: startOptions.tokens,
      scenarios: scenarios.map((s) => s.name),
      ...(needs.has('refresh-tokens') ? { refreshTokens: options.refreshTokens } : {}),
      ...(needs.has('device-codes') ? { deviceCodes: options.deviceCodes } : {}),
      ...(needs.has('trusted-assertions') ? { assertions: options.assertions } : {}),
    },
    pinning,
    database,
    servers,
    rows: addRatios(rows),
    ...(peer ? { peer } : {}),
    ...(floors.length ? { floors } : {}),
    legend: Object.fromEntries([
      ['hello', `${bareHttp.name}: ${bareHttp.summary}`],
      ...scenarios.map((s) => [s.name, s.summary]),
      [bareOidcProvider.name, bareOidcProvider.summary],
      ...(peer?.ran ? [['glewlwyd', 'peer: Glewlwyd (Debian package, C) on SQLite, oidc plugin under /api/oidc/ (RS256 key, JWT access tokens), same scope and client_secret_post client']] : []),
    ]),
    notes,
  };
  const jsonPath = options.out.replace(/\.md$/, '.json');
  console.log(`\n${renderText(report)}`);
  writeReport(report, options.out, jsonPath);
  console.log(`wrote ${options.out} and ${jsonPath}`);
  if (options.cpuProfDir) console.log(`CPU profiles in ${options.cpuProfDir}`);
  return report.rows.some((r) => r.problem || r.skipped) ? 1 : 0;
}

/**
 * What the floors (lib/floors.ts) take of the rows that contain them: one RS256 signature per
 * refresh rotation (its id_token), one argon2id verification and one RS256 signature per sign-in flow,
 * one signature of the API's algorithm per JWT access token (beyond what an opaque token costs).
 */
/** CPU µs a JWT access token may cost beyond an opaque one and its signature. */
const JWT_OVERHEAD_TARGET_US = 40;

function floorNotes(rows: readonly Row[], floors: readonly Floor[]): string[] {
  const rs256 = floorMean(floors, (f) => f.rs256Us);
  const argon2id = floorMean(floors, (f) => f.argon2idMs) * 1000;
  const cpuOf = (scenario: string) => rows.find((r) => r.scenario === scenario && r.server === 'propusk' && r.measurement && !r.problem)?.cpuUsPerRequest;
  const pct = (part: number, whole: number) => `${Math.round((part / whole) * 100)} %`;
  const out: string[] = [];
  const refresh = cpuOf('refresh-token');
  if (refresh) out.push(`refresh-token: ${Math.round(refresh)} µs of CPU per rotation; one RS256 signature (its id_token) costs ${Math.round(rs256)} µs on this core in this run (${pct(rs256, refresh)}), everything else ${Math.round(refresh - rs256)} µs.`);
  const flow = cpuOf('code-flow');
  if (flow) {
    const rest = flow - argon2id - rs256;
    out.push(`code-flow: ${(flow / 1000).toFixed(1)} ms of CPU per flow; one argon2id verification costs ${(argon2id / 1000).toFixed(1)} ms alone on this core in this run (${pct(argon2id, flow)}) and one RS256 signature ${(rs256 / 1000).toFixed(2)} ms, everything else (8 HTTP requests) ${(rest / 1000).toFixed(1)} ms.`);
  }
  const opaque = cpuOf('client-credentials-paced');
  for (const alg of JWT_ALGS) {
    const jwt = cpuOf(jwtScenarioName(alg));
    if (!jwt) continue;
    const floor = floorMean(floors, (f) => (alg === 'RS256' ? f.rs256Us : alg === 'ES256' ? f.es256Us : f.eddsaUs));
    if (!opaque) {
      out.push(`${jwtScenarioName(alg)}: ${Math.round(jwt)} µs of CPU per token; run it with client-credentials-paced to compare with opaque tokens at the same rate.`);
      continue;
    }
    const inServer = rows.find((r) => r.scenario === jwtScenarioName(alg) && r.server === 'propusk')?.signatureUs;
    // The signature as the server paid for it (its metric), else the floor measured alone.
    const signature = inServer ?? floor;
    const beyond = jwt - opaque - signature;
    const where = inServer === undefined ? `${floor.toFixed(1)} µs per ${alg} signature measured alone` : `${inServer.toFixed(1)} µs per ${alg} signature inside the server (its metric; measured alone: ${floor.toFixed(1)} µs)`;
    out.push(
      `${jwtScenarioName(alg)}: ${Math.round(jwt)} µs of CPU per JWT access token against ${Math.round(opaque)} µs per opaque one (client-credentials-paced, the same rate) and ${where}: ` +
        `${beyond >= 0 ? `${Math.round(beyond)} µs beyond opaque + signature` : `${Math.round(-beyond)} µs below opaque + signature (no token row written)`}; target at most ${JWT_OVERHEAD_TARGET_US} µs beyond: ${beyond <= JWT_OVERHEAD_TARGET_US ? 'met' : 'not met'}.`,
    );
  }
  return out;
}

/** Checks one response of the scenario first: a wrong answer is reported, never measured. */
async function measureScenario(options: Options, scenario: LoadScenario, running: RunningTarget): Promise<Row> {
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
  const shape = scenario.load;
  const signatures = scenario.signs && running.name === 'propusk' ? await signatureTotals(target.url, scenario.signs) : undefined;
  const row = await measureLoadRow(options, base, target.url, running.server.pid, requests, {
    ...(shape?.connections !== undefined ? { connections: shape.connections } : {}),
    ...(shape?.overallRate ? { overallRate: shape.overallRate(target) } : {}),
    ...(shape?.checkEveryResponse ? { check: scenario.check } : {}),
    ...(shape?.pool ? { pool: shape.pool(target) } : {}),
  });
  if (!signatures || !scenario.signs) return row;
  const after = await signatureTotals(target.url, scenario.signs);
  const count = (after?.count ?? 0) - signatures.count;
  return count > 0 ? { ...row, signatureUs: (((after?.seconds ?? 0) - signatures.seconds) / count) * 1e6 } : row;
}

/**
 * Propusk's JWS signatures of `alg` so far (count and seconds), from its Prometheus metrics
 * (`/metrics` answers loopback requests without forwarding headers); undefined when unreadable.
 */
async function signatureTotals(url: string, alg: string): Promise<{ count: number; seconds: number } | undefined> {
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    const read = (suffix: string) => Number(text.match(new RegExp(`^propusk_jws_signature_seconds_${suffix}\\{alg="${alg}"\\} (\\S+)$`, 'm'))?.[1] ?? 0);
    return { count: read('count'), seconds: read('sum') };
  } catch {
    return undefined;
  }
}

/** A scenario that drives its own load on Propusk (flows, in-process calls, extra servers). */
async function runCustom(options: Options, scenario: Scenario & { kind: 'custom' }, running: RunningTarget, cpu: number | undefined, servers: Partial<Record<ServerName, ServerFacts>>, notes: string[]): Promise<Row[]> {
  if (running.server.exitCode() !== null) return [{ scenario: scenario.name, server: running.name, skipped: `${running.name} exited with code ${running.server.exitCode()}` }];
  const bench: CustomRun = {
    target: running.target,
    pid: running.server.pid,
    settings: { duration: options.duration, warmup: options.warmup, connections: options.connections },
    serverCpu: cpu,
    facts: (name) => (servers[name] ??= {}),
    note: (text) => notes.push(text),
  };
  try {
    return await scenario.run(bench);
  } catch (err) {
    console.error(`!! ${scenario.name}: ${(err as Error).stack ?? String(err)}`);
    return [{ scenario: scenario.name, server: running.name, skipped: (err as Error).message }];
  }
}

async function measureHello(options: Options, running: RunningServer, label: string): Promise<Row> {
  return measureLoadRow(options, { scenario: label, server: 'bare-http' }, running.server.url, running.server.pid, [{ method: 'GET', path: '/' }]);
}

process.exitCode = await main();
// autocannon and fetch may keep sockets open for a moment; the run is over.
process.exit();
