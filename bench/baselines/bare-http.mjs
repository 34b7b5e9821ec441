/**
 * Ceiling baseline: a bare node:http hello-world server, run as a child process pinned to the
 * provider's core. Whatever the machine, nothing written in Node on one core can answer faster, so
 * "Propusk req/s ÷ bare-http req/s" is a figure that survives a noisy or slow machine.
 * Environment: BENCH_PORT (required).
 *
 * Plain JavaScript, run with plain `node`: neither tsx (~12 MiB of RSS at idle) nor Node's own type
 * stripping (it loads a WebAssembly TypeScript parser, ~17 MiB) is loaded into the ceiling, so its
 * idle RSS is that of Node with `node:http` and nothing else — the floor any Node server starts from.
 */
import { createServer } from 'node:http';

const port = Number(process.env.BENCH_PORT);
if (!Number.isInteger(port) || port <= 0) {
  process.stderr.write('bare-http: BENCH_PORT must be set\n');
  process.exit(2);
}

const body = Buffer.from('hello world\n');
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1');

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
