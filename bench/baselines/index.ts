/**
 * Baselines measured in the same run as Propusk, on the same core with the same load settings,
 * so that ratios survive a noisy machine:
 * - bare-http: the ceiling, one hello-world request; every scenario's ratio is against it.
 * - bare-oidc-provider: the same endpoint without Propusk; compared per scenario that lists it
 *   in `comparableOn`.
 */
import { resolve } from 'node:path';

export interface Baseline {
  name: 'bare-http' | 'bare-oidc-provider';
  /** Entry point, run with the pinned Node: a `.ts` file through tsx, a `.mjs` file as it is. */
  entry: string;
  summary: string;
  /** `ceiling`: measured once with GET /; `same-endpoint`: runs the comparable scenarios. */
  kind: 'ceiling' | 'same-endpoint';
}

export const bareHttp: Baseline = {
  name: 'bare-http',
  entry: resolve(import.meta.dirname, 'bare-http.mjs'),
  summary: 'node:http hello world (GET /, 12-byte body): the ceiling on this core',
  kind: 'ceiling',
};

export const bareOidcProvider: Baseline = {
  name: 'bare-oidc-provider',
  entry: resolve(import.meta.dirname, 'bare-oidc-provider.ts'),
  summary: 'oidc-provider alone, in-memory adapter, static clients, same routes and resource config',
  kind: 'same-endpoint',
};

export const baselines: readonly Baseline[] = [bareHttp, bareOidcProvider];
