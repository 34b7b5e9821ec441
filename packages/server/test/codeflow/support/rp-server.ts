/** The relying party's redirect target in browser tests: answers every request with a small page and records the URLs. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RpServer {
  base: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startRpServer(): Promise<RpServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url ?? '/'}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>RP</title><p>relying party</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
