/**
 * Test harness: boots a real Propusk server on a free port with its own SQLite file and
 * only the settings a test needs, and runs the CLI as a child process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

export interface TestServer extends RunningServer {
  issuer: string;
  env: Record<string, string>;
  dir: string;
}

/** The first port Linux hands out for outgoing connections and `listen(0)` (/proc/sys/net/ipv4/ip_local_port_range). */
function ephemeralPortsStart(): number | undefined {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 11_000 ? low : undefined;
  } catch {
    return undefined;
  }
}
const EPHEMERAL_START = ephemeralPortsStart();

/** Whether nothing listens on 127.0.0.1:`port` right now: `port` when so, undefined when not. */
function tryPort(port: number): Promise<number | undefined> {
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(undefined));
    s.listen(port, '127.0.0.1', () => {
      const { port: bound } = s.address() as { port: number };
      s.close(() => res(bound));
    });
  });
}

/**
 * A port nothing listens on, for a server a test starts. On Linux it is taken below the range
 * the system hands out for outgoing connections: a port from that range (what `listen(0)` gives)
 * can be taken by one of the test run's own connections before the server binds it, and the
 * server then fails with EADDRINUSE. Elsewhere, the system's choice.
 */
export async function freePort(): Promise<number> {
  if (EPHEMERAL_START !== undefined) {
    for (let i = 0; i < 50; i++) {
      const port = await tryPort(10_000 + Math.floor(Math.random() * (EPHEMERAL_START - 10_000)));
      if (port !== undefined) return port;
    }
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

export interface TestServerOptions {
  /** Where the server's JSON log lines go (default: stdout), e.g. a stream a test reads to check what is logged. */
  logStream?: { write(line: string): void };
  /** The issuer's host name: `localhost` for pages that use WebAuthn (an IP address cannot be a relying party id). Default `127.0.0.1`. */
  issuerHost?: 'localhost' | '127.0.0.1';
}

/** Starts a server; `env` overrides the test defaults. Call `stop()` (the harness also removes its files). */
export async function startTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-test-'));
  const port = await freePort();
  const fullEnv: Record<string, string> = {
    NODE_ENV: 'test',
    PORT: String(port),
    PROPUSK_HOST: '127.0.0.1',
    PROPUSK_ISSUER: `http://${options.issuerHost ?? '127.0.0.1'}:${port}`,
    DATABASE_URL: `sqlite:${join(dir, 'propusk.sqlite')}`,
    PROPUSK_DEMO: '0',
    // E-mail of the development transport goes to the test's own folder.
    PROPUSK_MAIL_DIR: join(dir, 'mail'),
    PROPUSK_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...env,
  };
  const config = loadConfig(fullEnv);
  const running = await startServer(config, createLogger(config.logLevel, options.logStream));
  return {
    ...running,
    issuer: config.issuer,
    env: fullEnv,
    dir,
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const propuskBin = resolve(import.meta.dirname, '../../bin/propusk.js');

/** Sends SIGTERM to a child process that is still running and waits for it to end; at once when it already has. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** Standard output and standard error so far, interleaved as they came. */
  output(): string;
  /** SIGTERM, then waits for the process to end. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** The command after the Node.js executable (default: `bin/propusk.js serve`). */
  args?: string[];
  /** Output that means the server is ready (default: its "Listening on" line). */
  ready?: RegExp;
  /** How long it may take to get ready (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts `propusk serve` (or another server entry) as a child process on a free port; `env(port)`
 * gives its environment. The port is free when chosen, but another process of the test run may
 * take it before the server binds it: the server then stops with EADDRINUSE, and it is started
 * again on another port (three tries). Any other early exit or a timeout fails with the output.
 */
export async function spawnServe(env: (port: number) => NodeJS.ProcessEnv, options: ServeOptions = {}): Promise<ServeProcess> {
  const ready = options.ready ?? /^Listening on /m;
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(process.execPath, options.args ?? [propuskBin, 'serve'], { env: env(port), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    while (!ready.test(output) && child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(25);
    if (ready.test(output)) return { child, port, output: () => output, stop: () => stopChild(child) };
    // Said before stopping it: a server stopped for being late then exits too.
    const why = child.exitCode !== null || child.signalCode !== null ? `the server exited with ${child.exitCode ?? child.signalCode}` : 'the server was not ready in time';
    await stopChild(child);
    if (/EADDRINUSE/.test(output) && attempt < 3) continue;
    throw new Error(`${why}:\n${output}`);
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `propusk <args>` as a child process with the given environment. */
export function runCli(args: string[], env: Record<string, string>, stdin?: string, options: { cwd?: string; inheritEnv?: boolean } = {}): Promise<CliResult> {
  return new Promise((res, rej) => {
    const base = options.inheritEnv === false ? { PATH: process.env.PATH ?? '' } : process.env;
    const child = spawn(process.execPath, [propuskBin, ...args], { env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', rej);
    child.on('close', (code) => res({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** POSTs a form and returns status, headers and parsed JSON. */
export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, json, text };
}

export const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
