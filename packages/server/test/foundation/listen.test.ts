/**
 * The demo instance (`propusk serve` with its printed secrets) listens on the loopback interface
 * only, unless HOST says otherwise: checked on the listening socket itself (/proc/net/tcp), with
 * no traffic to any other address.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { spawnServe } from '../support/server.ts';

const BIN = resolve(import.meta.dirname, '../../bin/propusk.js');

/** Local addresses (hex, as /proc/net/tcp writes them) of the IPv4 sockets listening on `port`. */
function listeningOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f[1]?.endsWith(`:${hexPort}`) && f[3] === '0A')
    .map((f) => f[1]!.split(':')[0]!);
}

async function serve(env: Record<string, string>): Promise<{ port: number; output: () => string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-listen-'));
  const base = { ...process.env };
  delete base.HOST;
  delete base.PROPUSK_HOST;
  delete base.NODE_ENV;
  // A database per try: a server started again on another port finds an empty one, as the first did.
  const server = await spawnServe((port) => ({ ...base, DATABASE_URL: `sqlite:${join(dir, `p-${port}.sqlite`)}`, PORT: String(port), PROPUSK_DEMO: '1', PROPUSK_LOG_LEVEL: 'info', ...env }), { args: [BIN, 'serve'], ready: /Propusk is listening/ });
  return {
    port: server.port,
    output: server.output,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('the address the server listens on', () => {
  it('is 127.0.0.1 by default (the demo prints secrets)', async () => {
    const s = await serve({});
    try {
      assert.deepEqual(listeningOn(s.port), ['0100007F']);
      assert.match(s.output(), /"host":"127\.0\.0\.1"/);
      assert.equal((await fetch(`http://127.0.0.1:${s.port}/healthz`)).status, 200);
    } finally {
      await s.stop();
    }
  });

  it('is what HOST says', async () => {
    const s = await serve({ HOST: '0.0.0.0' });
    try {
      assert.deepEqual(listeningOn(s.port), ['00000000']);
    } finally {
      await s.stop();
    }
  });
});
