/**
 * On a Node.js older than 24 every entry point (`bin/propusk.js`, `node dist/main.js`) says
 * "Propusk needs Node.js 24 or later (found …)" in one line and exits non-zero: no stack trace,
 * no silent exit 0. Run with an older version simulated (always), and with the machine's own
 * /usr/bin/node when that is older (as on Debian bookworm).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildIfStale, freshBundle } from '../../scripts/build.ts';

const BIN = resolve(import.meta.dirname, '../../bin/propusk.js');
const SIMULATE_20 = `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'20.19.0'})`;

function run(node: string, args: string[], dir: string) {
  const r = spawnSync(node, args, { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, PORT: '9' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertRefused(r: { code: number | null; stdout: string; stderr: string }, found: RegExp) {
  assert.equal(r.code, 1, `exit code; stderr:\n${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `one line:\n${r.stderr}`);
  assert.match(lines[0]!, new RegExp(`^Propusk needs Node\\.js 24 or later \\(found ${found.source}\\)\\.$`));
  assert.equal(r.stdout, '');
}

describe('an older Node.js', () => {
  let dir: string;
  let main: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-node-version-'));
    assert.notEqual(await buildIfStale(), 'failed');
    main = freshBundle('main')!;
    assert.ok(main, 'dist/main.js is fresh');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('bin/propusk.js (simulated 20.19.0) refuses in one line, before opening any database', () => {
    assertRefused(run(process.execPath, ['--import', SIMULATE_20, BIN, 'admin', 'user', 'list'], dir), /20\.19\.0/);
    assert.equal(existsSync(join(dir, 'p.sqlite')), false);
  });

  it('node dist/main.js (simulated 20.19.0) refuses in one line instead of exiting 0', () => {
    assertRefused(run(process.execPath, ['--import', SIMULATE_20, main], dir), /20\.19\.0/);
  });

  const system = '/usr/bin/node';
  const systemMajor = existsSync(system) ? Number(spawnSync(system, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout) : NaN;
  const reason = !(systemMajor < 24) ? `${system} is ${Number.isNaN(systemMajor) ? 'missing' : `Node.js ${systemMajor}`}, not older than 24` : false;
  it(`the machine's ${system} (Node.js ${systemMajor}) refuses through both entry points`, { skip: reason }, () => {
    assertRefused(run(system, [BIN, 'admin', 'user', 'list'], dir), /\d+\.\d+\.\d+/);
    assertRefused(run(system, [main], dir), /\d+\.\d+\.\d+/);
  });

  it('the current Node.js is let through', () => {
    const r = run(process.execPath, [BIN, '--help'], dir);
    assert.doesNotMatch(r.stderr, /needs Node\.js/);
  });
});
