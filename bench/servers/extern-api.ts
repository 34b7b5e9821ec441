/**
 * The demo Extern API (examples/extern-api) as a server under test: `startExternApi` with a warm
 * 30 s verification cache, run as a child process pinned to the server core like the baselines.
 * Propusk's issuer is https (the bench plays the TLS proxy), so the verifier's requests to it are
 * sent to its plain-HTTP address with X-Forwarded-Proto: https.
 *
 * Environment (all required): BENCH_PORT, BENCH_ISSUER (https issuer), BENCH_ISSUER_URL (where it
 * listens), BENCH_CLIENT_ID and BENCH_CLIENT_SECRET (extern.api's introspection credentials).
 */
import { startExternApi } from '@propusk/extern-api';
import { issuerFetch } from '../lib/issuer-fetch.ts';

function required(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`extern-api: ${name} must be set\n`);
    process.exit(2);
  }
  return v;
}

const issuer = required('BENCH_ISSUER');
const api = await startExternApi({
  issuer,
  clientId: required('BENCH_CLIENT_ID'),
  clientSecret: required('BENCH_CLIENT_SECRET'),
  port: Number(required('BENCH_PORT')),
  cache: { ttlSeconds: 30 },
  fetch: issuerFetch(issuer, required('BENCH_ISSUER_URL')),
  onError: (error) => console.error('extern-api: unexpected error', error),
});
api.server.keepAliveTimeout = 5_000;
await api.verifier.ready();

const stop = () => void api.close().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
