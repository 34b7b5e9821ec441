#!/usr/bin/env node
// The `propusk` command: runs the bundle in dist/ when it was built from the current sources
// (scripts/build.ts; `npm start` builds it first), else the TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { freshBundle } from '../scripts/bundle.js';

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
