#!/usr/bin/env node
// The `propusk` command: runs the bundle in dist/ when it was built from the current sources
// (scripts/build.ts; `npm start` builds it first), else the TypeScript sources through tsx.
// `serve` first makes sure the process runs with the server's V8 heap settings
// (scripts/node-options.js: relaunches itself with them when they are missing).
// First: an older Node.js stops here with one line (scripts/node-version.js).
import '../scripts/node-version.js';
import { pathToFileURL } from 'node:url';
import { freshBundle } from '../scripts/bundle.js';
import { relaunchWithServerOptions } from '../scripts/node-options.js';

if (process.argv[2] === 'serve') relaunchWithServerOptions();

const bundle = freshBundle('cli');
let run;
if (bundle) {
  ({ run } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ run } = await import('../src/cli.ts'));
}
process.exitCode = await run(process.argv.slice(2));
