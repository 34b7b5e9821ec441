/**
 * The resource-server library (@propusk/resource-server) in the bench process itself:
 * `verifier.verify(token)` with a warm cache — every token of the pool introspected once before —
 * so a call is a hash, a map lookup and a settled promise. Calls per second on the bench's core
 * (sequential awaits, timed in batches of BATCH); the row's CPU is the bench process's.
 */
import { createVerifier } from '@propusk/resource-server';
import { issuerFetch } from '../lib/issuer-fetch.ts';
import { runLoop } from '../lib/loop.ts';
import { measureLoopRow } from '../lib/rows.ts';
import type { CustomScenario } from './types.ts';

/** Tokens verified in turn (within the cache's default bound of 5,000 entries). */
export const WARM_TOKENS = 1_000;
const BATCH = 100;
export const API_AUDIENCE = 'urn:propusk:api:extern.api';

export const rsVerify: CustomScenario = {
  kind: 'custom',
  name: 'rs-verify',
  summary: `resource-server verifier.verify(token) in the bench process with a warm cache (30 s TTL), rotating through ${WARM_TOKENS} introspected tokens; req/s = calls/s, latency per call`,
  needs: ['tokens'],
  comparableOn: [],
  run: async (bench) => {
    const { target } = bench;
    const { introspector, tokens } = target.fixtures;
    const pool = tokens.slice(0, WARM_TOKENS);
    const fetch = issuerFetch(target.issuer, target.url);
    const verifier = createVerifier({
      issuer: target.issuer,
      audience: API_AUDIENCE,
      credentials: { clientId: introspector.clientId, clientSecret: introspector.secret },
      cache: { ttlSeconds: 30 },
      fetch,
    });
    try {
      for (const token of pool) await verifier.verify(token, { scopes: ['extern.api'] });
    } catch (err) {
      const message = (err as Error).message;
      console.error(`!! in-process / rs-verify: check failed, not measured: ${message}`);
      return [{ scenario: 'rs-verify', server: 'in-process', skipped: `check failed: ${message}` }];
    }
    const warmCalls = fetch.calls;
    let next = 0;
    const step = async () => {
      for (let i = 0; i < BATCH; i++) {
        await verifier.verify(pool[next]!, { scopes: ['extern.api'] });
        next = (next + 1) % pool.length;
      }
    };
    const row = await measureLoopRow(bench.settings, { scenario: 'rs-verify', server: 'in-process', unit: 'calls' }, process.pid, (seconds) => runLoop({ concurrency: 1, seconds, step, batch: BATCH }));
    bench.note(`rs-verify: ${pool.length} tokens warmed with ${warmCalls} requests to the issuer; ${fetch.calls - warmCalls} more during the warm-up and measurement (cache misses).`);
    return [row];
  },
};
