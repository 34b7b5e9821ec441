/**
 * V8 heap settings of the server process (`propusk serve`, `npm start`, `node dist/main.js`), in
 * one place. Plain JavaScript: bin/propusk.js applies them before it loads anything else (see
 * bundle.js for why it imports no TypeScript).
 *
 * Why: with V8's defaults the young generation grows to 2 × 64 MiB under a few dozen concurrent
 * requests, and the old generation is let grow to about four times its live size before a full
 * collection. Once used, those pages stay resident (V8 keeps freed pages in a pool that only a
 * memory-reducing GC returns, and none runs on a busy or idle server), so RSS settled ~200 MiB
 * above its idle size while the live heap stayed at ~30 MiB (the target: within 50 MB of idle after
 * 200,000 tokens). With these settings RSS stays within ~30 MiB of idle, for somewhat more GC work
 * (more frequent, smaller young collections).
 *
 * - `--max-semi-space-size=8` (MiB per semi-space; the young generation then holds at most
 *   2 × 8 MiB): read when the heap is created, so it can only be a command-line option. When the
 *   process was started without it, relaunchWithServerOptions() replaces the process by the same
 *   command with the option added (process.execve: same pid, stdio, environment and arguments).
 * - `--heap-growing-percent=50`: the old generation may grow to 1.5 × its live size before the
 *   next full collection. V8 reads it at every collection, so it is set at run time
 *   (applyServerV8Flags()); an unknown flag (a future V8 without it) is then ignored instead of
 *   stopping the server at start.
 *
 * - Once started, before it listens, the server runs one memory-reducing full collection
 *   (releaseStartupMemory()). Loading and initialising the modules allocates so much that V8 grows
 *   the young generation to its limit (2 × 8 MiB, ~13 MiB resident) and commits old-generation
 *   pages for what the start-up left behind; an idle server allocates too little to ever collect
 *   again, so those pages stayed resident for as long as nothing came (~10 MiB of idle RSS). Under
 *   load V8 grows the young generation again up to the same limit: the settings above still bound it.
 *
 * An option already given, on the command line or in NODE_OPTIONS, wins: e.g.
 * `NODE_OPTIONS=--max-semi-space-size=32` or `node --heap-growing-percent=0 bin/propusk.js serve`
 * (0 = V8's default for either).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Needed when the heap is created: the command line of the server process. */
export const SERVER_NODE_OPTIONS = Object.freeze(['--max-semi-space-size=8']);

/** V8 flags V8 reads at every collection: set at run time. */
export const SERVER_V8_FLAGS = Object.freeze(['--heap-growing-percent=50']);

/** `--max_semi_space_size=4` → `--max-semi-space-size` (V8 accepts both spellings). */
function optionName(arg) {
  return arg.split('=')[0].replaceAll('_', '-');
}

/** Names of the options this process was started with: its command line and NODE_OPTIONS. */
function givenOptionNames(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  return new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((a) => a.startsWith('--')).map(optionName));
}

/** Entries of `options` this process was not started with (by option name). */
export function missingOptions(options, execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const given = givenOptionNames(execArgv, nodeOptions);
  return options.filter((o) => !given.has(optionName(o)));
}

/**
 * Replaces this process by the same command with the missing SERVER_NODE_OPTIONS before the
 * option (never returns then). Returns without doing anything when nothing is missing, or when the
 * process cannot be replaced: no process.execve (Windows), or an IPC channel to a parent process
 * (a supervisor that talks to us over it would lose it); the server then runs with V8's defaults.
 * Call it first thing, before loading the server: everything loaded before is loaded twice.
 */
export function relaunchWithServerOptions() {
  const missing = missingOptions(SERVER_NODE_OPTIONS);
  if (missing.length === 0) return;
  if (typeof process.execve !== 'function' || process.channel) return;
  process.execve(process.execPath, [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)], process.env);
}

/** Sets SERVER_V8_FLAGS that were not given on the command line. */
export function applyServerV8Flags() {
  for (const flag of missingOptions(SERVER_V8_FLAGS, process.execArgv, '')) setFlagsFromString(flag);
}

/**
 * One memory-reducing full collection (V8's "last resort" one, which also shrinks the young
 * generation and returns freed pages to the system): ~20–90 ms, once, before the server listens.
 * Node exposes it only through `gc()`, which exists with `--expose-gc`: unless the process was
 * started with that option, the flag is set just long enough to create one throw-away context that
 * has `gc` (the server's own global never gets it), then unset. Any failure leaves things as they
 * were: the server then only keeps more memory.
 */
export function releaseStartupMemory() {
  try {
    const given = givenOptionNames().has('--expose-gc');
    let gc = given ? globalThis.gc : undefined;
    if (!gc) {
      setFlagsFromString('--expose-gc');
      try {
        gc = runInNewContext('gc');
      } finally {
        setFlagsFromString('--no-expose-gc');
      }
    }
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    // best effort
  }
}
