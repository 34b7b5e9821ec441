/**
 * `npm run bench` works from a checkout: a tiny run (discovery, JWKS, opaque and JWT client
 * credentials, refresh; one second each, ten seeded tokens, a hundred refresh tokens) starts
 * Propusk from its bundle and both baselines pinned as in a real run, and writes the report with
 * its ratios, the floors (signatures of each JWT algorithm included), the JWT rows' comparison with
 * the opaque row, and with `--cpu-prof` one profile per measured row. No figure is judged here:
 * speed targets are the benchmark's business (bench/README.md), not a test's.
 *
 * The same run asks for `--peer glewlwyd` with PROPUSK_BENCH_GLEWLWYD pointing at a missing binary,
 * so the "not installed" case is always covered (CI does not install Glewlwyd): the run still
 * succeeds and the report says the peer was not run and how to install it. When Debian's package
 * is installed (/usr/bin/glewlwyd), a second tiny run measures the peer itself.
 */
import { describe, it, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../../..');
const JWT_ROWS = ['client-credentials-jwt-rs256', 'client-credentials-jwt-es256', 'client-credentials-jwt-eddsa'];
/** The opaque row at the JWT rows' rate, and the JWT rows. */
const JWT_COST_ROWS = ['client-credentials-paced', ...JWT_ROWS];

interface Report {
  rows: Array<{ scenario: string; server: string; measurement?: { rps: number }; problem?: string; skipped?: string; cpuUsPerRequest?: number; ratioBareHttp?: number; cpuRatioBareOidcProvider?: number; ratioGlewlwyd?: number; cpuRatioGlewlwyd?: number; signatureUs?: number }>;
  floors?: Array<{ rs256Us: number; es256Us: number; eddsaUs: number; argon2idMs: number }>;
  notes: string[];
  settings: { tokens: number; scenarios: string[] };
  peer?: { name: string; ran: boolean; reason?: string; scenarios: string[] };
}

/** Runs the bench with these arguments and environment; the report is read from `<dir>/r.json`. */
async function runBench(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; output: string; report: Report | undefined }> {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args, '--out', join(dir, 'r.md')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  const report = existsSync(join(dir, 'r.json')) ? (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report) : undefined;
  return { status, output, report };
}

/** Debian's Glewlwyd binary, which the bench runs by default for `--peer glewlwyd`. */
const GLEWLWYD = '/usr/bin/glewlwyd';

describe('npm run bench (smoke run)', () => {
  let dir: string;
  let status: number | null;
  let output = '';
  let report: Report;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-bench-smoke-'));
    const args = ['--only', `discovery,jwks,client-credentials,${JWT_COST_ROWS.join(',')},refresh-token`, '--duration', '1', '--warmup', '0', '--tokens', '10', '--refresh-tokens', '100', '--connections', '10', '--cpu-prof', join(dir, 'prof'), '--peer', 'glewlwyd'];
    // "Not installed", whatever this machine has: the peer's binary is a path that does not exist.
    const run = await runBench(dir, args, { PROPUSK_BENCH_GLEWLWYD: join(dir, 'no-such-glewlwyd') });
    ({ status, output } = run);
    if (run.report) report = run.report;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and measures every row it was asked for', () => {
    assert.equal(status, 0, output);
    const rows = report.rows.map((r) => `${r.server}/${r.scenario}`);
    for (const want of ['bare-http/hello (first)', 'propusk/discovery', 'bare-oidc-provider/discovery', 'propusk/jwks', 'bare-oidc-provider/jwks', 'propusk/client-credentials', ...JWT_COST_ROWS.map((r) => `propusk/${r}`), 'bare-oidc-provider/client-credentials', 'propusk/refresh-token', 'bare-oidc-provider/refresh-token', 'bare-http/hello (last)']) {
      assert.ok(rows.includes(want), `${want} in ${rows.join(', ')}`);
    }
    for (const r of report.rows) {
      assert.equal(r.problem ?? r.skipped, undefined, `${r.server}/${r.scenario}`);
      assert.ok(r.measurement && r.measurement.rps > 0, `${r.server}/${r.scenario} has requests/s`);
      assert.ok(r.cpuUsPerRequest && r.cpuUsPerRequest > 0, `${r.server}/${r.scenario} has CPU per request`);
    }
  });

  it('gives Propusk its ratios to both baselines', () => {
    for (const scenario of ['discovery', 'jwks', 'client-credentials', 'refresh-token']) {
      const row = report.rows.find((r) => r.server === 'propusk' && r.scenario === scenario)!;
      assert.ok(row.ratioBareHttp! > 0 && row.ratioBareHttp! < (scenario === 'discovery' || scenario === 'jwks' ? 5 : 1), `${scenario}: ratio to bare-http ${row.ratioBareHttp}`);
      assert.ok(row.cpuRatioBareOidcProvider! > 0, `${scenario}: CPU ratio to bare oidc-provider ${row.cpuRatioBareOidcProvider}`);
    }
  });

  it('reports the floors measured at the start and the end of the run', () => {
    assert.equal(report.floors?.length, 2);
    for (const f of report.floors!) {
      assert.ok(f.rs256Us > 10 && f.rs256Us < 100_000, `RS256 ${f.rs256Us} µs`);
      assert.ok(f.es256Us > 1 && f.es256Us < 100_000, `ES256 ${f.es256Us} µs`);
      assert.ok(f.eddsaUs > 1 && f.eddsaUs < 100_000, `EdDSA ${f.eddsaUs} µs`);
      assert.ok(f.argon2idMs > 1 && f.argon2idMs < 10_000, `argon2id ${f.argon2idMs} ms`);
    }
    assert.match(readFileSync(join(dir, 'r.md'), 'utf8'), /floors on the server core \(after the first → after the last bare-http row\): signatures RS256 \d[\d,]* → \d[\d,]* µs, ES256 [\d.,]+ → [\d.,]+ µs, EdDSA [\d.,]+ → [\d.,]+ µs/);
  });

  it('compares each JWT row with the opaque row and its signature floor', () => {
    for (const row of JWT_ROWS) {
      const note = report.notes.find((n) => n.startsWith(`${row}:`));
      assert.ok(note, `a note for ${row} in ${report.notes.join(' | ')}`);
      assert.match(note, /µs of CPU per JWT access token against \d+ µs per opaque one \(client-credentials-paced, the same rate\) and [\d.]+ µs per (RS256|ES256|EdDSA) signature inside the server \(its metric; measured alone: [\d.]+ µs\)/);
      const measured = report.rows.find((r) => r.server === 'propusk' && r.scenario === row)!;
      assert.ok(measured.signatureUs! > 0, `${row}: the signature time read from Propusk's metric`);
      assert.match(note, /target at most 40 µs beyond: (met|not met)\.$/);
    }
  });

  it('goes on without the peer when Glewlwyd is not installed, and says how to install it', () => {
    assert.equal(report.peer?.name, 'glewlwyd');
    assert.equal(report.peer.ran, false);
    assert.match(report.peer.reason ?? '', /not installed .*apt-get install glewlwyd/);
    assert.ok(!report.rows.some((r) => r.server === 'glewlwyd'), 'no glewlwyd rows');
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    assert.match(md, /÷ glewlwyd \| ÷ glewlwyd \(CPU\) \|/);
    assert.match(md, /peer glewlwyd: NOT RUN — not installed .*`apt-get install glewlwyd`/);
    assert.match(output, /peer glewlwyd: NOT RUN/);
  });

  it('writes one CPU profile per measured server row, named after it', () => {
    for (const name of ['propusk-discovery', 'propusk-client-credentials', 'bare-oidc-provider-discovery', 'bare-oidc-provider-client-credentials']) {
      const profile = JSON.parse(readFileSync(join(dir, 'prof', `${name}.cpuprofile`), 'utf8')) as { nodes: unknown[]; samples: unknown[] };
      assert.ok(profile.nodes.length > 0 && profile.samples.length > 0, `${name}: a V8 CPU profile with samples`);
    }
  });
});

describe('npm run bench -- --peer', () => {
  it('refuses an unknown peer with a usage error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'propusk-bench-peer-'));
    try {
      const { status, output } = await runBench(dir, ['--peer', 'no-such-provider']);
      assert.equal(status, 2, output);
      assert.match(output, /unknown --peer "no-such-provider" \(known: glewlwyd\)/);
      assert.match(output, /--peer <name>/, 'the usage text follows');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents --peer in --help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'propusk-bench-peer-'));
    try {
      const { status, output } = await runBench(dir, ['--help']);
      assert.equal(status, 0, output);
      assert.match(output, /--peer <name>.*\n(.*\n)*.*apt-get install glewlwyd/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('measures Glewlwyd as a peer when Debian\'s package is installed', async (t: TestContext) => {
    if (!existsSync(GLEWLWYD)) {
      t.skip(`${GLEWLWYD} not found: Glewlwyd is not installed (apt-get install glewlwyd); the not-installed case is covered by the smoke run`);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'propusk-bench-glewlwyd-'));
    try {
      const { status, output, report } = await runBench(dir, ['--peer', 'glewlwyd', '--only', 'discovery,jwks,client-credentials', '--no-oidc-baseline', '--duration', '1', '--warmup', '0', '--tokens', '10', '--connections', '10'], { PROPUSK_BENCH_GLEWLWYD: GLEWLWYD });
      assert.equal(status, 0, output);
      assert.deepEqual(report?.peer, { name: 'glewlwyd', ran: true, scenarios: ['discovery', 'jwks', 'client-credentials'] });
      for (const scenario of ['discovery', 'jwks', 'client-credentials']) {
        const peer = report.rows.find((r) => r.server === 'glewlwyd' && r.scenario === scenario);
        assert.ok(peer?.measurement && peer.measurement.rps > 0 && !peer.problem, `glewlwyd/${scenario} measured: ${JSON.stringify(peer)}`);
        const propusk = report.rows.find((r) => r.server === 'propusk' && r.scenario === scenario)!;
        assert.ok(propusk.ratioGlewlwyd! > 0 && propusk.cpuRatioGlewlwyd! > 0, `${scenario}: ratios to glewlwyd ${propusk.ratioGlewlwyd} / ${propusk.cpuRatioGlewlwyd}`);
      }
      assert.ok(!report.rows.some((r) => r.server === 'glewlwyd' && r.scenario === 'introspection'), 'introspection is not comparable on Glewlwyd');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
