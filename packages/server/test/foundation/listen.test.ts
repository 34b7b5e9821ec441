/**
 * The demo instance (`propusk serve` with its printed secrets) listens on the loopback interface
 * only, unless HOST says otherwise: checked on the listening socket itself (/proc/net/tcp), with
 * no traffic to any other address.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { freePort } from '../support/server.ts';

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
  const port = await freePort();
  const base = { ...process.env };
  delete base.HOST;
  delete base.PROPUSK_HOST;
  delete base.NODE_ENV;
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...base, DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, PORT: String(port), PROPUSK_DEMO: '1', PROPUSK_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('Propusk is listening')) {
    assert.equal(child.exitCode, null, output);
    assert.ok(Date.now() < deadline, `not listening:\n${output}`);
    await sleep(50);
  }
  return {
    port,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
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
