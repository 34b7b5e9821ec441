/**
 * Whether dist/ (the esbuild bundle, scripts/build.ts) was built from the current sources. Plain
 * JavaScript on purpose: bin/propusk.js asks this on every start, and importing TypeScript
 * would load Node's type stripper (~20 MiB of RSS, tens of milliseconds) just to decide to skip it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const serverDir = resolve(import.meta.dirname, '..');
export const distDir = join(serverDir, 'dist');
export const STAMP_FILE = 'build.json';

/** Files of a directory tree, or none when it does not exist. */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/**
 * What goes into the bundle: every file under src/, node-options.js (bundled into main), the build
 * script (its options), and the bundled dependencies: the lock file that pins them and the patches
 * patch-package applies to them on install.
 */
function inputs() {
  const root = resolve(serverDir, '../..');
  const lock = [join(root, 'package-lock.json')].filter((f) => existsSync(f));
  return [
    ...filesUnder(join(serverDir, 'src')),
    join(serverDir, 'scripts/build.ts'),
    join(serverDir, 'scripts/bundle.js'),
    join(serverDir, 'scripts/node-options.js'),
    ...lock,
    ...filesUnder(join(root, 'patches')),
  ].sort();
}

/** SHA-256 over the path and content of every input (a few milliseconds). */
export function sourceHash() {
  const hash = createHash('sha256');
  for (const file of inputs()) hash.update(relative(serverDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** The stamp build.ts writes last: `{ sources, esbuild, builtAt }`, or undefined. */
export function readStamp() {
  try {
    return JSON.parse(readFileSync(join(distDir, STAMP_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

/** Path of an entry's bundle (`main`, `cli`) when dist/ was built from the current sources, else undefined. */
export function freshBundle(entry, hash = sourceHash()) {
  const file = join(distDir, `${entry}.js`);
  return readStamp()?.sources === hash && existsSync(file) ? file : undefined;
}
