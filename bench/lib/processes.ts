/**
 * Child processes of the bench: servers under test started with the pinned Node (process.execPath)
 * — Propusk from its bundle, bare-http as plain JavaScript, the TypeScript baselines through tsx —
 * optionally pinned to one core with `taskset`, plus pinning of the bench process itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from './cleanup.ts';

/** Repository root: children run from here so that `--import tsx` and workspace imports resolve. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** Set on the re-executed, pinned bench process so that it does not re-execute itself again. */
const PINNED_MARKER = 'PROPUSK_BENCH_PINNED';

/** Core layout: the server under test on SERVER_CPU, the load generator on LOAD_CPU. */
export const LOAD_CPU = 0;
export const SERVER_CPU = 1;

export interface Pinning {
  /** Whether server and load generator each have a core of their own. */
  enabled: boolean;
  /** Why pinning is off, printed with the results. */
  reason?: string;
  /** CPU list the bench process itself may run on (from /proc/self/status). */
  benchCpus: string;
}

export function hasTaskset(): boolean {
  const r = spawnSync('taskset', ['-V'], { stdio: 'ignore' });
  return r.status === 0;
}

/** `Cpus_allowed_list` of a process, e.g. "0" or "0-1"; "?" when /proc is not available. */
export function allowedCpus(pid: number | 'self' = 'self'): string {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
  } catch {
    return '?';
  }
}

/** Whether the machine lets us give the server and the load generator one core each. */
export function pinningPlan(): Pinning {
  const benchCpus = allowedCpus();
  if (!hasTaskset()) return { enabled: false, reason: '`taskset` not found (util-linux): server and load generator share the cores', benchCpus };
  const cpus = spawnSync('nproc', ['--all'], { encoding: 'utf8' });
  const n = Number(cpus.stdout?.trim() || '0');
  if (n < 2) return { enabled: false, reason: `only ${n || 'an unknown number of'} core(s): server and load generator share them`, benchCpus };
  return { enabled: true, benchCpus };
}

/**
 * Re-executes the bench under `taskset -c LOAD_CPU` unless it already runs there. Returns the exit
 * code of the pinned copy (the caller exits with it), or undefined when this process is the one
 * that should do the work.
 */
export async function pinSelf(plan: Pinning): Promise<number | undefined> {
  if (!plan.enabled || process.env[PINNED_MARKER] === '1' || plan.benchCpus === String(LOAD_CPU)) return undefined;
  const child = spawn('taskset', ['-c', String(LOAD_CPU), process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [PINNED_MARKER]: '1' },
  });
  // The terminal sends Ctrl-C to the whole process group, the pinned copy included: it cleans up
  // and exits; this process only waits for it. SIGTERM sent to this process alone is forwarded.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGHUP', () => child.kill('SIGHUP'));
  return new Promise((res) => {
    child.on('error', (err) => {
      console.error(`bench: could not run taskset: ${err.message}`);
      res(1);
    });
    child.on('exit', (code, signal) => res(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface ServerSpec {
  /** Shown in messages, e.g. `propusk`. */
  name: string;
  /** TypeScript entry point, relative to the repository root (run with the pinned Node). */
  entry?: string;
  /** A native program and its arguments instead of a Node entry (a peer such as Glewlwyd). */
  command?: readonly string[];
  port: number;
  /** Environment on top of a copy of ours with every PROPUSK_* and DATABASE_URL removed. */
  env: Record<string, string>;
  /** Pin to this core with taskset; undefined runs unpinned. */
  cpu: number | undefined;
  /** Path answered with 2xx once the server is ready, e.g. `/healthz`. */
  readyPath: string;
  /** Headers sent with the readiness probe (e.g. X-Forwarded-Proto). */
  headers?: Record<string, string>;
  /** Give up waiting for readiness after this long. Default: 30 s. */
  readyTimeoutMs?: number;
  /** Extra Node options, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeOptions?: string[];
}

export interface ChildServer {
  name: string;
  pid: number;
  url: string;
  /** Milliseconds from spawn to the first 2xx answer of readyPath. */
  readyMs: number;
  /** The last 64 KiB of the child's stdout and stderr. */
  output(): string;
  exitCode(): number | null;
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 5_000;

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('PROPUSK_') || k === 'DATABASE_URL' || k === 'NODE_ENV' || k === 'PORT') delete env[k];
  return env;
}

/** Propusk's entry point: started as `npm start` starts it, from its esbuild bundle (built here when stale). */
const PROPUSK_MAIN = 'packages/server/src/main.ts';

/** The file to run for an entry: Propusk's bundle when the build succeeds, else the entry itself (through tsx when it is TypeScript). */
async function runnable(entry: string): Promise<string> {
  if (entry !== PROPUSK_MAIN) return entry;
  const { buildIfStale, freshBundle } = await import('../../packages/server/scripts/build.ts');
  await buildIfStale();
  return freshBundle('main') ?? entry;
}

/** The program and arguments a server runs as: a native command, or the pinned Node with the entry. */
async function commandOf(spec: ServerSpec): Promise<string[]> {
  if (spec.command) {
    if (spec.command.length === 0) throw new Error(`${spec.name}: empty command`);
    return [...spec.command];
  }
  if (!spec.entry) throw new Error(`${spec.name}: neither an entry nor a command`);
  const entry = await runnable(spec.entry);
  return [process.execPath, ...(spec.nodeOptions ?? []), ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry];
}

/** Spawns a server and waits until its readyPath answers 2xx; throws with the child's output when it exits or times out first. */
export async function startServer(spec: ServerSpec): Promise<ChildServer> {
  const argv = await commandOf(spec);
  const [command, args] = spec.cpu === undefined ? [argv[0]!, argv.slice(1)] : ['taskset', ['-c', String(spec.cpu), ...argv]];
  const started = performance.now();
  const child: ChildProcess = spawn(command, args, { cwd: repoRoot, env: { ...cleanEnv(), ...spec.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  // A program that cannot be executed (e.g. a peer's binary without the execute bit) is reported, not a crash.
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  if (child.pid === undefined) throw new Error(`${spec.name}: could not spawn ${command}`);
  const pid = child.pid;

  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > OUTPUT_LIMIT) output = output.slice(-OUTPUT_LIMIT);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  let exitCode: number | null = null;
  if (spawnError) exitCode = -1;
  child.on('error', (err) => {
    output += `\n${spec.name}: ${err.message}`;
    exitCode ??= -1;
  });
  const exited = new Promise<void>((res) => child.once('exit', (code, signal) => {
    exitCode = code ?? (signal ? 128 : -1);
    res();
  }));

  const stop = async () => {
    if (exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  const unregister = onCleanup({
    name: `${spec.name} (pid ${pid})`,
    run: stop,
    sync: () => {
      if (exitCode === null) child.kill('SIGKILL');
    },
  });

  const url = `http://127.0.0.1:${spec.port}`;
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (exitCode !== null) throw new Error(`${spec.name} exited with code ${exitCode} before it was ready:\n${output.trim()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs ?? 30_000} ms:\n${output.trim()}`);
    }
    try {
      const res = await fetch(url + spec.readyPath, { headers: spec.headers ?? {}, signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  const readyMs = performance.now() - started;

  return {
    name: spec.name,
    pid,
    url,
    readyMs,
    output: () => output,
    exitCode: () => exitCode,
    stop: async () => {
      await stop();
      unregister();
    },
  };
}
