/** startServer(config): everything `propusk serve` does — storage, change feed, sweeper, HTTP — and a clean stop. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from './config/index.ts';
import { createContext, type AppContext } from './context.ts';
import { buildApp } from './app.ts';
import { startSweeper } from './storage/sweeper.ts';
import { bootstrapDemo } from './bootstrap/demo.ts';
import type { Logger } from './logger.ts';
import { answerMalformedRequests } from './http/client-errors.ts';
import { ISSUER_SETTING } from './storage/repositories/settings.ts';

export interface RunningServer {
  url: string;
  port: number;
  context: AppContext;
  server: Server;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Runs once everything is set up, just before the server listens (main.ts: releaseStartupMemory). */
  beforeListen?: () => void;
}

export async function startServer(config: Config, logger: Logger, options: StartOptions = {}): Promise<RunningServer> {
  const context = await createContext(config, logger);
  let stopSweeper: (() => void) | undefined;
  let server: Server | undefined;
  try {
    await context.repos.changes.start();
    stopSweeper = startSweeper(context.db, config.sweepIntervalSeconds, { auditRetentionDays: config.auditRetentionDays }, (err) => logger.error({ err }, 'sweep failed'));
    const app = await buildApp(context);
    if (config.env === 'production' && config.mail.transport === 'dev') {
      logger.warn({ mail: { transport: 'dev', dir: config.mail.dir } }, 'PROPUSK_MAIL_TRANSPORT=dev in production: every e-mail, with its one-time link, is written to a file in this folder, not sent');
    }
    if (config.demo) await bootstrapDemo(context);

    server = createServer(app.callback());
    answerMalformedRequests(server);
    server.headersTimeout = 20_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    options.beforeListen?.();
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, config.host, () => resolve());
    });
    // The admin CLI prints links (portal invitations) with the issuer the server runs as.
    await context.repos.settings.set(ISSUER_SETTING, config.issuer);
  } catch (err) {
    // Nothing started is left behind (sweeper timer, change feed, pools), e.g. when the port is taken.
    stopSweeper?.();
    server?.close();
    await context.close().catch((closeErr: unknown) => logger.warn({ err: closeErr }, 'closing after a failed start'));
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  logger.info({ issuer: config.issuer, host: config.host, port, database: context.dbKind }, 'Propusk is listening');

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    context,
    server,
    stop: async () => {
      stopSweeper();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await context.close();
    },
  };
}
