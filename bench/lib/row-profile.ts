/**
 * `--cpu-prof <dir>`: one V8 CPU profile per measured row of each server, named after the row
 * (`<server>-<scenario>.cpuprofile`, e.g. `propusk-refresh-token.cpuprofile`). The servers load
 * row-profiler.mjs; withServerClock (rows.ts) signals it around the measured phase.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const PRELOAD = resolve(import.meta.dirname, 'row-profiler.mjs');

/** Servers started with the preload: pid → profile directory and profiles written so far. */
const profiled = new Map<number, { dir: string; written: number; active: boolean }>();

/** Node options and environment that make a server profilable per row (nothing when `dir` is undefined). */
export function rowProfilerSetup(dir: string | undefined): { nodeOptions: string[]; env: Record<string, string> } {
  if (!dir) return { nodeOptions: [], env: {} };
  mkdirSync(dir, { recursive: true });
  return { nodeOptions: [`--import=${PRELOAD}`], env: { BENCH_ROW_PROFILE_DIR: dir } };
}

/** Registers a running server started with rowProfilerSetup(dir). */
export function profileRowsOf(pid: number, dir: string | undefined): void {
  if (dir) profiled.set(pid, { dir, written: 0, active: false });
}

/** Sends the toggle; false when the process is gone (its row then reports that, not the profiler). */
function toggle(pid: number): boolean {
  try {
    process.kill(pid, 'SIGUSR2');
    return true;
  } catch {
    return false;
  }
}

const fileName = (row: string) => `${row.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+$/, '')}.cpuprofile`;

/**
 * Starts profiling `pid` (when it was registered); the returned function stops it and names the
 * profile after `row`. Returns undefined for a process that is not profiled or already is.
 */
export async function startRowProfile(pid: number): Promise<((row: string) => Promise<string | undefined>) | undefined> {
  const p = profiled.get(pid);
  // One profile at a time per process: the signal toggles, so a second row measured meanwhile gets none.
  if (!p || p.active || !toggle(pid)) return undefined;
  p.active = true;
  // Let the inspector start the profiler before the load does (a few ms in practice).
  await sleep(50);
  return async (row) => {
    p.active = false;
    if (!toggle(pid)) return undefined;
    const written = join(p.dir, `row-${pid}-${++p.written}.cpuprofile`);
    for (let waited = 0; waited < 30_000; waited += 100) {
      if (existsSync(written)) {
        const named = join(p.dir, fileName(row));
        renameSync(written, named);
        return named;
      }
      await sleep(100);
    }
    console.error(`!! no CPU profile from pid ${pid} for ${row}`);
    return undefined;
  };
}
