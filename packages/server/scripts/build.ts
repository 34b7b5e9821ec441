/**
 * The compiled start path: bundles `src/main.ts` (`npm start`) and `src/cli.ts` (`propusk`) into
 * `dist/` with esbuild — ES modules for Node 24, shared code in `dist/chunks/`, with the pure
 * JavaScript dependencies bundled in (EXTERNAL lists the packages left to node_modules, and why).
 * Started from there, Node skips compiling TypeScript at start (tsx): ready in about half the time,
 * with ~25 MiB less memory. Bundling the dependencies too saves Node resolving, reading and linking
 * ~800 module files at every start (kysely alone ships ~290, oidc-provider ~200): importing the
 * server went from ~520 to ~270 ms, ready from ~1,170 to ~750 ms on one core of the bench machine
 * (bench/README.md). The bundle's freshness therefore also covers package-lock.json and patches/
 * (scripts/bundle.js).
 *
 *   node scripts/build.ts             build
 *   node scripts/build.ts --if-stale  build unless dist/ already holds these sources (`prestart`)
 *
 * `dist/build.json` records a hash of the sources (every file under src/, and the build scripts);
 * bin/propusk.js runs dist/ only while that hash matches (scripts/bundle.js) and runs the sources
 * through tsx otherwise. A failed build leaves no dist/ behind; with --if-stale it only warns
 * (exit status 0), so `npm start` still starts, from the sources. Builds of one checkout take
 * turns (a lock directory next to dist/, holding the builder's pid): two `npm start`s, or a test
 * and the bench, started at once on a stale dist/ must not delete each other's fresh bundle. A lock
 * whose process is gone, or older than two minutes, is taken over. Runs without tsx (Node's own type
 * stripping): keep it to erasable TypeScript.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { distDir, freshBundle, serverDir, sourceHash, STAMP_FILE, type Stamp } from './bundle.js';

/** The entry points, by the name of their output file in dist/. */
const ENTRIES = { main: 'src/main.ts', cli: 'src/cli.ts' } as const;

/**
 * Packages loaded from node_modules rather than bundled:
 * - @node-rs/argon2: a native addon, picked by platform among optional packages at run time;
 * - pg: requires the optional `pg-native` when asked to;
 * - ioredis: only loaded when Redis is configured (on first use), no need to carry it;
 * - pino: starts its transports in worker threads from its own files, by path.
 */
const EXTERNAL = ['@node-rs/argon2', 'pg', 'ioredis', 'pino'];

/** CommonJS dependencies inside an ES module bundle still call `require('node:…')`: give them one. */
const REQUIRE_BANNER = "import { createRequire as __propuskCreateRequire } from 'node:module'; const require = __propuskCreateRequire(import.meta.url);";

export { freshBundle };

/**
 * Bundles into a new directory next to dist/ and then puts it in dist/'s place, so that a reader
 * sees the old bundle, no bundle (→ sources), or the new one — never half of one.
 */
export async function build(hash = sourceHash()): Promise<void> {
  const esbuild = await import('esbuild');
  const tmp = join(serverDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      absWorkingDir: serverDir,
      entryPoints: ENTRIES,
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node24',
      external: EXTERNAL,
      banner: { js: REQUIRE_BANNER },
      chunkNames: 'chunks/[name]-[hash]',
      sourcemap: 'linked',
      logLevel: 'warning',
    });
    asciiComments(tmp);
    const stamp: Stamp = { sources: hash, esbuild: esbuild.version, builtAt: new Date().toISOString() };
    writeFileSync(join(tmp, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
    rmSync(distDir, { recursive: true, force: true });
    renameSync(tmp, distDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Typographic characters of our comments (and our dependencies') and their ASCII spelling. */
const ASCII_SPELLING: Record<string, string> = { '\u2014': '--', '\u2013': '-', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2026': '...', '\u2192': '->', '\u00a0': ' ' };

/**
 * Spells the comments esbuild keeps in the bundle in ASCII. esbuild writes every string, regular
 * expression and identifier in ASCII (`charset: 'ascii'`, its default) but copies comments as they
 * are, and a single em dash in a comment makes Node hold the whole file's source as a two-byte
 * string: twice its size in memory for the life of the process (~1.7 MiB of the idle server's RSS,
 * docs/performance-memory.md). Only lines that are comments are changed, and they keep their
 * line: the source maps stay right. A file with a non-ASCII character elsewhere is
 * left as it is.
 */
/** `—` → `--`; `é` → `e`; anything else → `?`. */
function spellAscii(c: string): string {
  const plain = c.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return ASCII_SPELLING[c] ?? (/^[\x20-\x7e]+$/.test(plain) ? plain : '?');
}

function asciiComments(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const file = join(entry.parentPath, entry.name);
    const text = readFileSync(file, 'utf8');
    if (!/[\u0080-\uffff]/.test(text)) continue;
    const lines = text.split('\n');
    // A comment line: one that starts with `//`, `/*` or `*`, or one inside a `/* … */` block that
    // started on a line of its own (esbuild's "Bundled license information" at the end of a file).
    let inBlock = false;
    const comment = lines.map((l) => {
      const starts = /^\s*\/\*/.test(l);
      const isComment = inBlock || starts || /^\s*(\/\/|\*)/.test(l);
      if (starts && !l.includes('*/')) inBlock = true;
      else if (inBlock && l.includes('*/')) inBlock = false;
      return isComment;
    });
    if (lines.some((l, i) => /[\u0080-\uffff]/.test(l) && !comment[i])) continue;
    const ascii = lines.map((l) => l.replace(/[\u0080-\uffff]/g, spellAscii)).join('\n');
    writeFileSync(file, ascii);
  }
}

const LOCK_DIR = join(serverDir, '.dist-lock');
/** A lock older than this is left over from a build that died (a build takes seconds). */
const STALE_LOCK_MS = 120_000;

/** Whether the lock's holder (its pid, written in the lock) is gone: e.g. a build stopped with Ctrl-C. */
function holderGone(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
  } catch {
    return false; // not written yet (or released): go by the lock's age
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `work` while holding the build lock (mkdir is atomic); waits for another build to finish first. */
export async function withBuildLock<T>(work: () => Promise<T>, lockDir = LOCK_DIR): Promise<T> {
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - statSync(lockDir).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > STALE_LOCK_MS || holderGone(lockDir)) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** `--if-stale`: builds when needed; a failure removes dist/ (so nothing stale runs) and only warns. */
export async function buildIfStale(): Promise<'fresh' | 'built' | 'failed'> {
  const hash = sourceHash();
  const fresh = () => freshBundle('main', hash) && freshBundle('cli', hash);
  if (fresh()) return 'fresh';
  return withBuildLock(async () => {
    // Another process may have built these very sources while this one waited for the lock.
    if (fresh()) return 'fresh';
    try {
      await build(hash);
      return 'built';
    } catch (err) {
      rmSync(distDir, { recursive: true, force: true });
      process.stderr.write(`propusk: could not build dist/ (${(err as Error).message.split('\n')[0]}); running from the TypeScript sources (tsx)\n`);
      return 'failed';
    }
  });
}

if (import.meta.main) {
  const started = performance.now();
  if (process.argv.includes('--if-stale')) {
    const result = await buildIfStale();
    if (result === 'built') process.stderr.write(`propusk: built dist/ in ${Math.round(performance.now() - started)} ms\n`);
  } else {
    await withBuildLock(() => build());
    process.stdout.write(`built ${relative(process.cwd(), distDir) || '.'} in ${Math.round(performance.now() - started)} ms\n`);
  }
}
