/**
 * Propusk runs on Node.js 24 or later (node:sqlite, process.execve, import.meta.main). Plain
 * JavaScript with no imports, loaded first by every entry point (bin/propusk.js, src/main.ts), so
 * that an older Node.js says so in one line and exits non-zero, instead of failing later with a
 * stack trace or, where the entry check `import.meta.main` does not exist, doing nothing at all.
 */

/** Lowest major version of Node.js that runs Propusk. */
export const MIN_NODE_MAJOR = 24;

/** On an older Node.js: prints "Propusk needs Node.js 24 or later (found 20.19.0)" and exits 1. */
export function requireSupportedNode() {
  const found = process.versions.node;
  const major = Number.parseInt(found, 10);
  if (major >= MIN_NODE_MAJOR) return;
  process.stderr.write(`Propusk needs Node.js ${MIN_NODE_MAJOR} or later (found ${found}).\n`);
  process.exit(1);
}

requireSupportedNode();
