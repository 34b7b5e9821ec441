/**
 * The resource-server library (@propusk/resource-server) in the bench process itself:
 * `verifier.verify(token)` with a warm cache — every token of the pool introspected once before —
 * so a call is a hash, a map lookup and a settled promise. Calls per second on the bench's core
 * (sequential awaits, timed in batches of BATCH); the row's CPU is the bench process's.
 *
 * In the same run, the DPoP row `rs-verify (DPoP)`: `verifier.verifyDpop(token, proof, …)` of one
 * DPoP-bound token (obtained from the target with a proof, introspected once before) with a fresh
 * ES256 proof per call, pre-signed before the measurement: a call is the warm-cache lookup plus
 * one signature verification, the proof's claims, the key thumbprint and the replay store.
 */
import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createVerifier } from '@propusk/resource-server';
import { issuerFetch } from '../lib/issuer-fetch.ts';
import { runLoop } from '../lib/loop.ts';
import { measureLoopRow } from '../lib/rows.ts';
import type { Row } from '../lib/report.ts';
import type { CustomScenario } from './types.ts';

/** Tokens verified in turn (within the cache's default bound of 5,000 entries). */
export const WARM_TOKENS = 1_000;
const BATCH = 100;
export const API_AUDIENCE = 'urn:propusk:api:extern.api';

export const rsVerify: CustomScenario = {
  kind: 'custom',
  name: 'rs-verify',
  summary: `resource-server verifier.verify(token) in the bench process with a warm cache (30 s TTL), rotating through ${WARM_TOKENS} introspected tokens; req/s = calls/s, latency per call. Row "rs-verify (DPoP)": verifier.verifyDpop(token, proof) of one DPoP-bound token with a warm cache and a fresh pre-signed ES256 proof per call`,
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
    const dpopRow = await measureDpop(bench, fetch, verifier);
    const ratio = row.measurement && dpopRow.measurement ? row.measurement.rps / dpopRow.measurement.rps : undefined;
    if (ratio !== undefined) bench.note(`rs-verify: a DPoP call costs ${ratio.toFixed(1)}× a Bearer call with a warm cache (Bearer calls/s ÷ DPoP calls/s).`);
    return [row, dpopRow];
  },
};

/** The URL the proofs of the DPoP row are for (the verifier is given it as the request's URL). */
const API_URL = 'https://api.example.com/v1/me';

interface ProofKey {
  privateKey: CryptoKey;
  jwk: JWK;
}

function signProof(key: ProofKey, htm: string, htu: string, token?: string): Promise<string> {
  const claims: Record<string, unknown> = { htm, htu, jti: randomUUID(), iat: Math.floor(Date.now() / 1000) };
  if (token !== undefined) claims.ath = createHash('sha256').update(token).digest('base64url');
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk }).sign(key.privateKey);
}

/** The DPoP row: one bound token, a fresh pre-signed proof per call, the same verifier (warm cache). */
async function measureDpop(
  bench: Parameters<CustomScenario['run']>[0],
  fetch: ReturnType<typeof issuerFetch>,
  verifier: ReturnType<typeof createVerifier>,
): Promise<Row> {
  const base = { scenario: 'rs-verify (DPoP)', server: 'in-process' as const, unit: 'calls' as const };
  const { target } = bench;
  const { client } = target.fixtures;
  const pair = await generateKeyPair('ES256');
  const key: ProofKey = { privateKey: pair.privateKey, jwk: await exportJWK(pair.publicKey) };
  let token: string;
  try {
    const discovery = (await (await fetch(`${target.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await signProof(key, 'POST', discovery.token_endpoint) },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope: 'extern.api' }),
    });
    const body = (await res.json()) as { access_token?: string; token_type?: string };
    if (res.status !== 200 || body.token_type?.toLowerCase() !== 'dpop' || body.access_token === undefined) {
      throw new Error(`token request with a DPoP proof: HTTP ${res.status} ${JSON.stringify(body)}`);
    }
    token = body.access_token;
    // Warm the cache (one introspection).
    await verifier.verifyDpop!(token, await signProof(key, 'GET', API_URL, token), { method: 'GET', url: API_URL }, { scopes: ['extern.api'] });
  } catch (err) {
    const message = (err as Error).message;
    console.error(`!! in-process / rs-verify (DPoP): check failed, not measured: ${message}`);
    return { ...base, skipped: `check failed: ${message}` };
  }
  // Size the pool of pre-signed proofs from a short timed sample, so that signing stays out of the measurement.
  const sample = await Promise.all(Array.from({ length: 500 }, () => signProof(key, 'GET', API_URL, token)));
  const t0 = performance.now();
  for (const proof of sample) await verifier.verifyDpop!(token, proof, { method: 'GET', url: API_URL }, { scopes: ['extern.api'] });
  const rate = sample.length / ((performance.now() - t0) / 1000);
  const needed = Math.ceil(rate * (bench.settings.warmup + bench.settings.duration) * 1.5) + 10 * BATCH;
  const signedAt = performance.now();
  const proofs: string[] = [];
  while (proofs.length < needed) proofs.push(...(await Promise.all(Array.from({ length: 1000 }, () => signProof(key, 'GET', API_URL, token)))));
  const signSeconds = (performance.now() - signedAt) / 1000;
  let next = 0;
  const request = { method: 'GET', url: API_URL };
  const options = { scopes: ['extern.api'] };
  const step = async () => {
    for (let i = 0; i < BATCH; i++) {
      const proof = proofs[next++];
      if (proof === undefined) throw new Error('the pre-signed proofs ran out');
      await verifier.verifyDpop!(token, proof, request, options);
    }
  };
  const row = await measureLoopRow(bench.settings, base, process.pid, (seconds) => runLoop({ concurrency: 1, seconds, step, batch: BATCH }));
  bench.note(`rs-verify (DPoP): one DPoP-bound token (cache warm); ${needed} ES256 proofs pre-signed in ${signSeconds.toFixed(1)} s before measuring, ${next} used.`);
  return row;
}
