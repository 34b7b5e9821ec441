/**
 * `npm run bench` works from a checkout: a tiny run (discovery, JWKS, opaque and JWT client
 * credentials, refresh; one second each, ten seeded tokens, a hundred refresh tokens) starts
 * Propusk from its bundle and both baselines pinned as in a real run, and writes the report with
 * its ratios, the floors (signatures of each JWT algorithm included), the JWT rows' comparison with
 * the opaque row, and with `--cpu-prof` one profile per measured row. No figure is judged here:
 * speed targets are the benchmark's business (bench/README.md), not a test's.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../../..');
const JWT_ROWS = ['client-credentials-jwt-rs256', 'client-credentials-jwt-es256', 'client-credentials-jwt-eddsa'];

interface Report {
  rows: Array<{ scenario: string; server: string; measurement?: { rps: number }; problem?: string; skipped?: string; cpuUsPerRequest?: number; ratioBareHttp?: number; cpuRatioBareOidcProvider?: number }>;
  floors?: Array<{ rs256Us: number; es256Us: number; eddsaUs: number; argon2idMs: number }>;
  notes: string[];
  settings: { tokens: number; scenarios: string[] };
}

describe('npm run bench (smoke run)', () => {
  let dir: string;
  let status: number | null;
  let output = '';
  let report: Report;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-bench-smoke-'));
    const args = ['--import', 'tsx', 'bench/run.ts', '--only', `discovery,jwks,client-credentials,${JWT_ROWS.join(',')},refresh-token`, '--duration', '1', '--warmup', '0', '--tokens', '10', '--refresh-tokens', '100', '--connections', '10', '--out', join(dir, 'r.md'), '--cpu-prof', join(dir, 'prof')];
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    status = await new Promise<number | null>((done) => child.on('close', done));
    if (existsSync(join(dir, 'r.json'))) report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and measures every row it was asked for', () => {
    assert.equal(status, 0, output);
    const rows = report.rows.map((r) => `${r.server}/${r.scenario}`);
    for (const want of ['bare-http/hello (first)', 'propusk/discovery', 'bare-oidc-provider/discovery', 'propusk/jwks', 'bare-oidc-provider/jwks', 'propusk/client-credentials', ...JWT_ROWS.map((r) => `propusk/${r}`), 'bare-oidc-provider/client-credentials', 'propusk/refresh-token', 'bare-oidc-provider/refresh-token', 'bare-http/hello (last)']) {
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
      assert.match(note, /µs of CPU per JWT access token against \d+ µs per opaque one \(client-credentials\) and [\d.]+ µs per (RS256|ES256|EdDSA) signature/);
      assert.match(note, /target at most 40 µs beyond: (met|not met)\.$/);
    }
  });

  it('writes one CPU profile per measured server row, named after it', () => {
    for (const name of ['propusk-discovery', 'propusk-client-credentials', 'bare-oidc-provider-discovery', 'bare-oidc-provider-client-credentials']) {
      const profile = JSON.parse(readFileSync(join(dir, 'prof', `${name}.cpuprofile`), 'utf8')) as { nodes: unknown[]; samples: unknown[] };
      assert.ok(profile.nodes.length > 0 && profile.samples.length > 0, `${name}: a V8 CPU profile with samples`);
    }
  });
});
