/**
 * `@propusk/extern-api`: the demo Extern API, for tests and the benchmark.
 *
 * @module
 */
export { createExternApi, EXTERN_API_DEFAULTS } from './app.ts';
export type { ExternApi, ExternApiOptions } from './app.ts';
export { startExternApi } from './server.ts';
export type { RunningExternApi, StartOptions } from './server.ts';
export { ConfigError, loadConfig } from './config.ts';
export type { ExternApiConfig } from './config.ts';
export { demoAccounts } from './accounts.ts';
export type { DemoAccount } from './accounts.ts';
export type { AccountsResponse, MeResponse } from './routes.ts';
