/**
 * `startExternApi(options)`: the demo API listening on a port — what
 * `npm start` runs, and what tests and the benchmark start in-process.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createExternApi, type ExternApiOptions } from './app.ts';
import type { Verifier } from '@propusk/resource-server';

/** Options of {@link startExternApi}. */
export interface StartOptions extends ExternApiOptions {
  /** TCP port; `0` picks a free one. Default `0`. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
}

/** A running demo API. */
export interface RunningExternApi {
  /** Base URL, e.g. `http://127.0.0.1:4000`. */
  readonly url: string;
  /** The port actually bound. */
  readonly port: number;
  readonly server: Server;
  readonly verifier: Verifier;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Starts the demo API.
 *
 * @example
 * ```ts
 * const api = await startExternApi({ issuer, clientSecret, port: 0 });
 * await fetch(`${api.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
 * await api.close();
 * ```
 */
export async function startExternApi(options: StartOptions): Promise<RunningExternApi> {
  const api = createExternApi(options);
  const server = createServer(api.handle);
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    server,
    verifier: api.verifier,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
