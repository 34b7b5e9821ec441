/**
 * The servers under test, each started as a child process on the server core: Propusk in its
 * production configuration on a freshly seeded database, and the two baselines. Each comes back
 * with the facts the report shows (ready time, RSS) and a stop() that records the rest.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_PATHS, type Target, type Credentials, type FixtureKind, type Fixtures } from '../scenarios/types.ts';
import { bareHttp, bareOidcProvider } from '../baselines/index.ts';
import { freePort, startServer, type ChildServer } from './processes.ts';
import { readMemory } from './rss.ts';
import { profileRowsOf, rowProfilerSetup } from './row-profile.ts';
import type { ServerFacts, ServerName } from './report.ts';
import { GLEWLWYD_PLUGIN, glewlwydBinary, prepareGlewlwyd } from './glewlwyd.ts';
import { JWT_ALGS, jwtApiScope } from '../scenarios/jwt-algs.ts';
import { issueDeviceCodes, issueRefreshTokens, issueTokens, prepareDatabase, seedPropusk, signAssertions, tempDir, type DbKind, type PropuskSeed } from './seed.ts';

/** Production serves an https issuer; behind a TLS-terminating proxy each request says so. */
export const FORWARDED_HTTPS = { 'x-forwarded-proto': 'https' };

export interface StartOptions {
  /** Core to pin the server to; undefined runs it unpinned. */
  cpu: number | undefined;
  /** Live tokens to issue before the measured phase (0: none). */
  tokens: number;
  /** autocannon connections used to issue them. */
  connections: number;
  /** Directory for V8 CPU profiles (--cpu-prof), or undefined. */
  cpuProfDir: string | undefined;
  /** Fixture kinds the selected scenarios need (besides `tokens`, counted above). */
  needs: ReadonlySet<FixtureKind>;
  /** Refresh tokens, pending device codes and trusted assertions to prepare when needed. */
  refreshTokens: number;
  deviceCodes: number;
  assertions: number;
  /** Extra Node options and environment for Propusk (`npm run bench:memory`'s probe), if any. */
  extra?: { nodeOptions: string[]; env: Record<string, string> };
}

export interface RunningServer {
  name: ServerName;
  server: ChildServer;
  facts: ServerFacts;
  /** Stops the server, recording its peak RSS and what it logged at warn level or above. */
  stop(): Promise<void>;
}

export interface RunningTarget extends RunningServer {
  target: Target;
}

function running(name: ServerName, server: ChildServer, facts: ServerFacts): RunningServer {
  facts.readyMs = server.readyMs;
  facts.idleRssMb = readMemory(server.pid)?.rssMb;
  console.log(`${name}: pid ${server.pid}, ready in ${Math.round(server.readyMs)} ms, idle RSS ${facts.idleRssMb?.toFixed(1) ?? '?'} MiB`);
  return {
    name,
    server,
    facts,
    stop: async () => {
      facts.hwmMb = readMemory(server.pid)?.hwmMb;
      const logged = loggedProblems(server.output());
      if (logged.length) facts.logged = logged;
      await server.stop();
    },
  };
}

async function withTokens(r: RunningServer, client: Credentials, introspector: Credentials, opts: StartOptions): Promise<RunningTarget> {
  let tokens: string[] = [];
  if (opts.tokens > 0) {
    const t0 = performance.now();
    tokens = await issueTokens({ url: r.server.url, headers: FORWARDED_HTTPS, client, count: opts.tokens, connections: opts.connections });
    console.log(`${r.name}: issued ${tokens.length} live tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  r.facts.seededRssMb = readMemory(r.server.pid)?.rssMb;
  const name = r.name as Target['name'];
  const fixtures: Fixtures = { client, introspector, tokens, users: [], refreshTokens: [], deviceCodes: [] };
  return { ...r, target: { name, url: r.server.url, issuer: issuerOf(r.server.url), headers: FORWARDED_HTTPS, paths: DEFAULT_PATHS, fixtures } };
}

/** The https issuer a server on http://127.0.0.1:<port> serves behind the bench (the TLS proxy). */
function issuerOf(url: string): string {
  return `https://localhost:${new URL(url).port}`;
}

/** Propusk's other fixtures, over HTTP once it runs (after the tokens and the RSS reading after them). */
async function withPropuskFixtures(r: RunningTarget, seed: PropuskSeed, opts: StartOptions): Promise<RunningTarget> {
  const f = r.target.fixtures;
  f.users = seed.users;
  if (seed.web) f.web = seed.web;
  if (seed.jwt) f.jwt = { client: seed.jwt, scopes: Object.fromEntries(JWT_ALGS.map((alg) => [alg, jwtApiScope(alg)])) };
  const timed = async <T>(what: string, make: () => Promise<T[]>): Promise<T[]> => {
    const t0 = performance.now();
    const items = await make();
    console.log(`propusk: ${what}: ${items.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return items;
  };
  if (opts.needs.has('refresh-tokens')) f.refreshTokens = await timed('refresh tokens (code flows on signed-in sessions)', () => issueRefreshTokens(r.target, opts.refreshTokens));
  if (opts.needs.has('device-codes') && seed.device) {
    f.device = seed.device;
    const device = seed.device;
    f.deviceCodes = await timed('pending device codes', () => issueDeviceCodes({ url: r.server.url, headers: FORWARDED_HTTPS, device, count: opts.deviceCodes, connections: opts.connections }));
  }
  if (opts.needs.has('trusted-assertions') && seed.partner) {
    const partner = seed.partner;
    f.trusted = { client: partner.client, assertions: await timed('trusted assertions signed (RS256, jose)', () => signAssertions(partner, opts.assertions)) };
  }
  return r;
}

/**
 * Propusk as deployed: NODE_ENV=production (master key set, https issuer behind a trusted proxy,
 * no demo data), log level warn, on a fresh database seeded through its services.
 */
export async function startPropusk(db: DbKind, postgresUrl: string, opts: StartOptions, facts: ServerFacts): Promise<RunningTarget & { database: string }> {
  const prepared = await prepareDatabase(db, tempDir(), postgresUrl);
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(port),
    PROPUSK_HOST: '127.0.0.1',
    PROPUSK_ISSUER: `https://localhost:${port}`,
    PROPUSK_TRUST_PROXY: '1',
    PROPUSK_MASTER_KEY: randomBytes(32).toString('base64'),
    DATABASE_URL: prepared.url,
    PROPUSK_LOG_LEVEL: 'warn',
    PROPUSK_DEMO: '0',
    // The per-client token limit (default 200/s) stays on, so that its cost is measured, but never bites.
    PROPUSK_TOKEN_RATE_LIMIT: '1000000000',
    // Device codes are seeded before the first scenario and polled minutes later: they must stay
    // pending for the whole run (default lifetime 300 s). The poll interval stays the default 3 s.
    PROPUSK_DEVICE_CODE_TTL: '3600',
  };
  console.log(`propusk: seeding ${prepared.description}`);
  const seed = await seedPropusk(env, opts.needs);
  const profiler = rowProfilerSetup(opts.cpuProfDir);
  const server = await startServer({
    name: 'propusk',
    entry: 'packages/server/src/main.ts',
    port,
    env: { ...env, ...profiler.env, ...opts.extra?.env },
    cpu: opts.cpu,
    readyPath: '/healthz',
    headers: FORWARDED_HTTPS,
    nodeOptions: [...profiler.nodeOptions, ...(opts.extra?.nodeOptions ?? [])],
  });
  profileRowsOf(server.pid, opts.cpuProfDir);
  const r = await withPropuskFixtures(await withTokens(running('propusk', server, facts), seed.client, seed.introspector, opts), seed, opts);
  return { ...r, database: prepared.description };
}

/** oidc-provider alone (baselines/bare-oidc-provider.ts) with random static client secrets. */
export async function startBareOidcProvider(opts: StartOptions, facts: ServerFacts): Promise<RunningTarget> {
  const port = await freePort();
  const client = { clientId: 'bench.service', secret: randomBytes(18).toString('base64url') };
  const introspector = { clientId: 'rs.extern.api', secret: randomBytes(18).toString('base64url') };
  const web = { clientId: 'bench.web', secret: randomBytes(18).toString('base64url'), redirectUri: 'https://localhost/cb', scope: 'openid profile extern.api' };
  const profiler = rowProfilerSetup(opts.cpuProfDir);
  const server = await startServer({
    name: bareOidcProvider.name,
    entry: bareOidcProvider.entry,
    port,
    env: { NODE_ENV: 'production', BENCH_PORT: String(port), BENCH_CLIENT_ID: client.clientId, BENCH_CLIENT_SECRET: client.secret, BENCH_RS_ID: introspector.clientId, BENCH_RS_SECRET: introspector.secret, BENCH_WEB_ID: web.clientId, BENCH_WEB_SECRET: web.secret, ...profiler.env },
    cpu: opts.cpu,
    readyPath: '/.well-known/openid-configuration',
    headers: FORWARDED_HTTPS,
    nodeOptions: profiler.nodeOptions,
  });
  profileRowsOf(server.pid, opts.cpuProfDir);
  const r = await withTokens(running('bare-oidc-provider', server, facts), client, introspector, opts);
  if (opts.needs.has('refresh-tokens')) {
    const t0 = performance.now();
    const response = await fetch(`${r.server.url}/bench/refresh-tokens?count=${opts.refreshTokens}`, { method: 'POST' });
    if (!response.ok) throw new Error(`minting refresh tokens: ${response.status} ${await response.text()}`);
    r.target.fixtures.web = web;
    r.target.fixtures.refreshTokens = (await response.json()) as string[];
    console.log(`bare-oidc-provider: refresh tokens (minted through its models): ${r.target.fixtures.refreshTokens.length} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return r;
}

/**
 * The peer Glewlwyd (lib/glewlwyd.ts): Debian's binary on a configuration and SQLite database
 * prepared in a temporary directory, pinned like the others, ready when its discovery answers.
 * Only the scenarios that need no seeded tokens are comparable on it (discovery, jwks,
 * client-credentials), so nothing is issued before the measurements.
 */
export async function startGlewlwyd(opts: StartOptions, facts: ServerFacts): Promise<RunningTarget> {
  const port = await freePort();
  const issuer = `https://localhost:${port}`;
  const prepared = prepareGlewlwyd(tempDir(), port, issuer);
  const prefix = `/api/${GLEWLWYD_PLUGIN}`;
  const paths = { discovery: `${prefix}/.well-known/openid-configuration`, jwks: `${prefix}/jwks`, token: `${prefix}/token`, introspection: `${prefix}/introspect` };
  const server = await startServer({
    name: 'glewlwyd',
    command: [glewlwydBinary(), `--config-file=${prepared.configFile}`],
    port,
    env: {},
    cpu: opts.cpu,
    readyPath: paths.discovery,
    headers: FORWARDED_HTTPS,
  });
  const r = running('glewlwyd', server, facts);
  const fixtures: Fixtures = { client: prepared.client, introspector: prepared.client, tokens: [], users: [], refreshTokens: [], deviceCodes: [] };
  return { ...r, target: { name: 'glewlwyd', url: server.url, issuer, headers: FORWARDED_HTTPS, paths, fixtures } };
}

/** The node:http hello world (baselines/bare-http.ts). */
export async function startBareHttp(opts: StartOptions, facts: ServerFacts): Promise<RunningServer> {
  const port = await freePort();
  const server = await startServer({ name: bareHttp.name, entry: bareHttp.entry, port, env: { BENCH_PORT: String(port) }, cpu: opts.cpu, readyPath: '/' });
  return running('bare-http', server, facts);
}

/** Warning-and-above lines of a pino JSON log, and any other line but the ready line (the first few, and how many there were). */
function loggedProblems(output: string): string[] {
  const lines: string[] = [];
  let count = 0;
  for (const line of output.split('\n')) {
    if (!line.trim()) continue;
    let entry: { level?: number; msg?: string; err?: { message?: string } } | undefined;
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      entry = undefined;
    }
    if (entry && (entry.level ?? 0) < 40) continue;
    // The one plain line Propusk prints when it is ready (for people starting it by hand).
    if (!entry && /^Listening on https?:\/\/\S+$/.test(line.trim())) continue;
    count++;
    if (lines.length < 5) lines.push(entry ? `[${entry.level}] ${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}` : line.slice(0, 300));
  }
  if (count > lines.length) lines.push(`… ${count - lines.length} more`);
  return lines;
}
