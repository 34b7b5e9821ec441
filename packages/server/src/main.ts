/**
 * Entry point of `propusk serve` / `npm start`: load config, open storage, migrate, listen.
 *
 * Run as the entry module (`node dist/main.js`, the bench), it first relaunches itself with the
 * server's V8 heap settings when they are missing (scripts/node-options.js; `propusk serve` does
 * the same in bin/propusk.js). The server's modules are imported after that, by main(), so that a
 * relaunch does not load them twice.
 */
// First: an older Node.js stops here with one line, also when this file is the entry module.
import '../scripts/node-version.js';
import { applyServerV8Flags, relaunchWithServerOptions, releaseStartupMemory } from '../scripts/node-options.js';
import type { AddressInfo } from 'node:net';
import type { startServer as StartServer } from './server.ts';

/** The one human-readable line once the server is ready: the address and port it is bound to. */
export function listeningLine(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `Listening on http://${host}:${address.port}\n`;
}

/** Why the server could not start, in one line: a port already taken or not allowed said plainly, anything else as it came. */
export function startFailure(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e.syscall === 'listen' && e.port !== undefined) {
    const where = e.address === undefined ? `port ${e.port}` : `${e.address.includes(':') ? `[${e.address}]` : e.address}:${e.port}`;
    if (e.code === 'EADDRINUSE') return `${where} is already in use: stop what listens there, or set PORT (or HOST) to another one`;
    if (e.code === 'EACCES') return `not allowed to listen on ${where} (ports below 1024 need privileges): set PORT to 1024 or above`;
    if (e.code === 'EADDRNOTAVAIL') return `${where}: this machine has no such address; set HOST to one of its own (127.0.0.1, 0.0.0.0)`;
  }
  return (err as Error).message;
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  applyServerV8Flags();
  const { loadConfig, ConfigError } = await import('./config/index.ts');
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`propusk: configuration error: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const [{ createLogger }, { startServer }] = await Promise.all([import('./logger.ts'), import('./server.ts')]);
  const logger = createLogger(config.logLevel);
  let running: Awaited<ReturnType<typeof StartServer>>;
  try {
    // What start-up allocated and left behind is given back before the first request (scripts/node-options.js).
    running = await startServer(config, logger, { beforeListen: releaseStartupMemory });
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    process.stderr.write(`propusk: could not start: ${startFailure(err)}\n`);
    process.exit(1);
  }
  // Next to the JSON log line, on the same stream as the demo banner (standard output).
  process.stdout.write(listeningLine(running.server.address() as AddressInfo));
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (import.meta.main) {
  relaunchWithServerOptions();
  await main();
}
