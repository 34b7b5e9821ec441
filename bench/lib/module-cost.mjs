/**
 * `npm run bench:memory -- --modules`: one fresh process per dependency, `node module-cost.mjs
 * [specifier]`. It first becomes bare-http (an ES module entry file with a node:http server
 * listening: Node's ESM loader and what it brings are then loaded, as in Propusk and bare-http),
 * then imports the one dependency (resolved from the repository root), waits, collects garbage
 * (`--expose-gc`) and prints VmRSS, RssAnon and the V8 heap used as one JSON line. Plain JavaScript,
 * so that nothing else is loaded.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const server = createServer((_req, res) => res.end('hello world\n'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const spec = process.argv[2];
if (spec) await import(spec);
await new Promise((resolve) => setTimeout(resolve, 300));
globalThis.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' }); // as Propusk does once started (scripts/node-options.js)
const status = readFileSync('/proc/self/status', 'utf8');
const kb = (name) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(status)[1]);
console.log(JSON.stringify({ rssKb: kb('VmRSS'), anonKb: kb('RssAnon'), heapUsed: process.memoryUsage().heapUsed }));
server.close();
