/**
 * The demo instance (`propusk serve` with its printed secrets) listens on the loopback interface
 * only, unless HOST says otherwise: checked on the listening socket itself (/proc/net/tcp), with
 * no traffic to any other address.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createServer, type AddressInfo } from 'node:net';
import { startFailure } from '../../src/main.ts';
import { runCli, spawnServe } from '../support/server.ts';

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
  const server = await spawnServe((port) => ({ ...base, DATABASE_URL: `sqlite:${join(dir, `p-${port}.sqlite`)}`, PORT: String(port), PROPUSK_DEMO: '1', PROPUSK_LOG_LEVEL: 'info', ...env }), { ready: /Propusk is listening/ });
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

  it('when taken by another process: one line on standard error saying so, exit code 1', async () => {
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmpdir(), 'propusk-listen-'));
    try {
      const res = await runCli(['serve'], { DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, PORT: String(port), HOST: '127.0.0.1', PROPUSK_DEMO: '0', PROPUSK_LOG_LEVEL: 'silent' });
      assert.equal(res.code, 1, res.stderr);
      assert.equal(res.stderr, `propusk: could not start: 127.0.0.1:${port} is already in use: stop what listens there, or set PORT (or HOST) to another one\n`);
    } finally {
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when HOST is not an address of this machine: one line saying so, exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'propusk-listen-'));
    try {
      // 192.0.2.0/24 is reserved for documentation (RFC 5737): no machine has it.
      const res = await runCli(['serve'], { DATABASE_URL: `sqlite:${join(dir, 'p.sqlite')}`, PORT: '3000', HOST: '192.0.2.1', PROPUSK_DEMO: '0', PROPUSK_LOG_LEVEL: 'silent' });
      assert.equal(res.code, 1, res.stderr);
      assert.equal(res.stderr, 'propusk: could not start: 192.0.2.1:3000: this machine has no such address; set HOST to one of its own (127.0.0.1, 0.0.0.0)\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a port that needs privileges as such (EACCES)', () => {
    const err = Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 });
    assert.equal(startFailure(err), 'not allowed to listen on 0.0.0.0:80 (ports below 1024 need privileges): set PORT to 1024 or above');
    const v6 = Object.assign(new Error('listen EADDRINUSE: address already in use ::1:3000'), { code: 'EADDRINUSE', syscall: 'listen', address: '::1', port: 3000 });
    assert.match(startFailure(v6), /^\[::1\]:3000 is already in use/);
    assert.equal(startFailure(new Error('database is locked')), 'database is locked');
  });
});
