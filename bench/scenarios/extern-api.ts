/**
 * The demo Extern API (examples/extern-api) behind the resource-server middleware: GET /v1/me with
 * a Bearer token, the verification cache warm (each token of the pool verified once before), as a
 * child process pinned to the server core like bare-http, loaded with autocannon. The target:
 * its req/s at least half of bare-http's (÷ bare-http ≥ 0.5).
 */
import { freePort, startServer } from '../lib/processes.ts';
import { readMemory } from '../lib/rss.ts';
import { measureLoadRow } from '../lib/rows.ts';
import type { LoadRequest } from '../lib/autocannon.ts';
import { expectJson, type CustomScenario } from './types.ts';
import { WARM_TOKENS } from './rs-verify.ts';

const check = (status: number, body: string) =>
  expectJson(status, body, ['client_id', 'scopes', 'expires_at'], (o) => (Array.isArray(o.scopes) && o.scopes.includes('extern.api') ? undefined : `scopes ${JSON.stringify(o.scopes)}`));

export const externApi: CustomScenario = {
  kind: 'custom',
  name: 'extern-api',
  summary: `demo Extern API (examples/extern-api, own process on the server core): GET /v1/me with Bearer, warm verification cache, rotating through ${WARM_TOKENS} tokens`,
  needs: ['tokens'],
  comparableOn: [],
  run: async (bench) => {
    const { target } = bench;
    const facts = bench.facts('extern-api');
    const pool = target.fixtures.tokens.slice(0, WARM_TOKENS);
    const port = await freePort();
    const server = await startServer({
      name: 'extern-api',
      entry: 'bench/servers/extern-api.ts',
      port,
      env: { NODE_ENV: 'production', BENCH_PORT: String(port), BENCH_ISSUER: target.issuer, BENCH_ISSUER_URL: target.url, BENCH_CLIENT_ID: target.fixtures.introspector.clientId, BENCH_CLIENT_SECRET: target.fixtures.introspector.secret },
      cpu: bench.serverCpu,
      readyPath: '/healthz',
    });
    facts.readyMs = server.readyMs;
    facts.idleRssMb = readMemory(server.pid)?.rssMb;
    console.log(`extern-api: pid ${server.pid}, ready in ${Math.round(server.readyMs)} ms, idle RSS ${facts.idleRssMb?.toFixed(1) ?? '?'} MiB`);
    try {
      const headers = pool.map((token) => ({ authorization: `Bearer ${token}` }));
      // Warm the cache, checking each answer.
      for (const h of headers) {
        const res = await fetch(`${server.url}/v1/me`, { headers: h, signal: AbortSignal.timeout(10_000) });
        const wrong = check(res.status, await res.text());
        if (wrong) {
          console.error(`!! extern-api / extern-api: check failed, not measured: ${wrong}`);
          return [{ scenario: 'extern-api', server: 'extern-api', skipped: `check failed: ${wrong}` }];
        }
      }
      let next = 0;
      const request: LoadRequest = {
        method: 'GET',
        path: '/v1/me',
        setupRequest: (r) => {
          r.headers = headers[next]!;
          next = (next + 1) % headers.length;
          return r;
        },
      };
      return [await measureLoadRow(bench.settings, { scenario: 'extern-api', server: 'extern-api' }, server.url, server.pid, [request])];
    } finally {
      facts.hwmMb = readMemory(server.pid)?.hwmMb;
      await server.stop();
    }
  },
};
