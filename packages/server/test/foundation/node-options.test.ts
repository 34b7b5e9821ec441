/**
 * The server process's V8 heap settings (scripts/node-options.js): which are missing, `propusk
 * serve` relaunching itself with them (same pid), an operator's own value winning; and the page
 * parts built on their first request (http/dispatch.ts lazyPart).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, Middleware } from 'koa';
import { missingOptions, releaseStartupMemory, SERVER_NODE_OPTIONS } from '../../scripts/node-options.js';
import { lazyPart } from '../../src/http/dispatch.ts';
import { spawnServe } from '../support/server.ts';

describe('server node options', () => {
  it('are missing unless given by name, on the command line or in NODE_OPTIONS', () => {
    const wanted = ['--max-semi-space-size=8'];
    assert.deepEqual(missingOptions(wanted, [], ''), wanted);
    assert.deepEqual(missingOptions(wanted, ['--import', 'tsx'], '--enable-source-maps'), wanted);
    assert.deepEqual(missingOptions(wanted, ['--max-semi-space-size=32'], ''), []);
    assert.deepEqual(missingOptions(wanted, ['--max_semi_space_size=2'], ''), []);
    assert.deepEqual(missingOptions(wanted, [], '--enable-source-maps --max-semi-space-size=16'), []);
  });

  it('the collection after start-up leaves no gc() on the global object', () => {
    const had = 'gc' in globalThis;
    releaseStartupMemory();
    assert.equal('gc' in globalThis, had);
  });

  /** `propusk serve` on a fresh SQLite file until /healthz answers; returns its command line (Linux /proc). */
  async function serveCommandLine(env: Record<string, string> = {}): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'propusk-node-options-'));
    try {
      const server = await spawnServe((port) => ({ ...process.env, DATABASE_URL: `sqlite:${join(dir, `p-${port}.sqlite`)}`, PORT: String(port), PROPUSK_HOST: '127.0.0.1', PROPUSK_DEMO: '0', PROPUSK_LOG_LEVEL: 'warn', ...env }), { timeoutMs: 20_000 });
      try {
        // The pid we started is the server (relaunched in place, not a child of it).
        return readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      } finally {
        await server.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const linux = process.platform === 'linux';

  it('propusk serve runs with them, in the process that was started', { skip: !linux && 'reads /proc' }, async () => {
    const argv = await serveCommandLine();
    for (const option of SERVER_NODE_OPTIONS) assert.ok(argv.includes(option), `${option} not in ${argv.join(' ')}`);
    assert.ok(argv.includes('serve'));
  });

  it("an operator's own value wins (no relaunch)", { skip: !linux && 'reads /proc' }, async () => {
    const argv = await serveCommandLine({ NODE_OPTIONS: '--max-semi-space-size=16' });
    assert.ok(!argv.some((a) => a.startsWith('--max-semi-space-size')), argv.join(' '));
  });
});

describe('lazyPart', () => {
  const ctx = () => ({ body: undefined as unknown }) as unknown as Context;
  const answer = (body: string): Middleware => async (c) => {
    c.body = body;
  };

  it('builds the part once, on the first request, for requests that arrive while it loads', async () => {
    let loads = 0;
    const part = lazyPart(async () => {
      loads++;
      await sleep(10);
      return [answer('page')];
    });
    assert.equal(loads, 0);
    const [a, b] = [ctx(), ctx()];
    await Promise.all([part(a, async () => undefined), part(b, async () => undefined)]);
    await part(ctx(), async () => undefined);
    assert.equal(loads, 1);
    assert.equal(a.body, 'page');
    assert.equal(b.body, 'page');
  });

  it('answers a failed load with its error and tries again on the next request', async () => {
    let loads = 0;
    const part = lazyPart(async () => {
      if (++loads === 1) throw new Error('import failed');
      return [answer('page')];
    });
    await assert.rejects(part(ctx(), async () => undefined), /import failed/);
    const c = ctx();
    await part(c, async () => undefined);
    assert.equal(c.body, 'page');
    assert.equal(loads, 2);
  });
});
