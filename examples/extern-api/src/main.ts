/**
 * Entry point of `npm start -w @propusk/extern-api`: configuration from the
 * environment (config.ts), listen, stop cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import { ConfigError, loadConfig } from './config.ts';
import { startExternApi } from './server.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`extern-api: configuration error: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const api = await startExternApi(config);
  const cache = config.cache === false ? 'off (revocation is immediate)' : `${config.cache?.ttlSeconds ?? 30} s`;
  console.log(`extern-api: listening on ${api.url} (issuer ${config.issuer}, audience ${api.verifier.audience}, cache ${cache})`);
  // Fail loudly but keep running: discovery is retried on the first request that needs it.
  api.verifier.ready().catch((error: unknown) => {
    console.warn(`extern-api: issuer not reachable yet (${error instanceof Error ? error.message : String(error)}); requests get 503 until it is`);
  });
  const stop = () => {
    api.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
