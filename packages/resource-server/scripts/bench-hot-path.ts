// Micro-benchmark of the warm-cache path: `verify()` and `authenticateRequest()`
// on a cached opaque token (no network after the first call).
// Run: npx tsx packages/resource-server/scripts/bench-hot-path.ts
import { authenticateRequest, createVerifier } from '../src/index.ts';

const issuer = 'https://id.example.test';
const token = 'Zm9vYmFyYmF6cXV4LTEyMzQ1Njc4OTAtYWJjZGVmZ2hpams';
const exp = Math.floor(Date.now() / 1000) + 3600;
const fakeFetch = async (input: string | URL): Promise<Response> => {
  const url = String(input);
  const body = url.endsWith('openid-configuration')
    ? { issuer, introspection_endpoint: `${issuer}/connect/introspect` }
    : { active: true, iss: issuer, aud: 'extern.api', client_id: 'c', sub: 's', scope: 'extern.api', exp };
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
};
const verifier = createVerifier({
  issuer,
  audience: 'extern.api',
  credentials: { clientId: 'extern.api', clientSecret: 'secret' },
  fetch: fakeFetch,
});
await verifier.verify(token);
const headers = { authorization: `Bearer ${token}` };
const options = { scopes: ['extern.api'] };

for (const [name, run] of [
  ['verify', () => verifier.verify(token)],
  ['authenticateRequest+scopes', () => authenticateRequest(verifier, headers, options)],
] as const) {
  const n = 1_000_000;
  for (let i = 0; i < 100_000; i++) await run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run();
  const ns = Number(process.hrtime.bigint() - start) / n;
  console.log(`${name}: ${ns.toFixed(0)} ns/op (${Math.round(1e9 / ns).toLocaleString('en')} ops/s)`);
}
