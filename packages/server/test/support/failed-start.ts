/**
 * Run as a child process by test/foundation/start-failure.test.ts: startServer() with the
 * environment's settings, expected to fail; prints the error's code and the TCP sockets still
 * open, and returns. Nothing else
 * keeps this process alive, so it ends by itself unless the failed start left something running.
 * On SQLite it also prints whether the write-ahead log is still there right after the failure
 * (SQLite removes it when the last connection closes; at exit Node closes what is left anyway).
 */
import { existsSync } from 'node:fs';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { startServer } from '../../src/server.ts';

try {
  const running = await startServer(loadConfig(process.env), createLogger('silent'));
  process.stdout.write('started\n');
  await running.stop();
} catch (err) {
  process.stdout.write(`${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
  // Database connections still open after the failure (a TCP socket each on PostgreSQL), given a
  // second for the last ones closed to be gone (a pool's own idle timeout is 30 s).
  const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  for (let waited = 0; sockets() > 0 && waited < 1000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  process.stdout.write(`open sockets: ${sockets()}\n`);
  const sqlite = /^sqlite:(.+)$/.exec(process.env.DATABASE_URL ?? '')?.[1];
  if (sqlite) process.stdout.write(`write-ahead log: ${existsSync(`${sqlite}-wal`) ? 'open' : 'closed'}\n`);
}
