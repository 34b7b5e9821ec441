/**
 * A Propusk cluster for tests: N real `propusk serve` child processes on one fresh PostgreSQL
 * schema, with one issuer, one master key, and a steerable HTTP load balancer in front that is
 * that issuer. A request goes to the instance named by its `x-cluster-instance` header (0, 1, …),
 * otherwise round-robin over the instances that are up; every response says in the same header
 * which instance served it. The balancer sets `X-Forwarded-*` and the instances trust it
 * (PROPUSK_TRUST_PROXY=1), as in a real deployment (docs/postgres.md).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createContext, type AppContext } from '../../src/context.ts';
import { freePort, postForm, propuskBin, runCli, type CliResult } from '../support/server.ts';
import { createTestSchema, TcpProxy, type TestSchema } from '../storage/support.ts';

export { describePostgres as describeCluster } from '../storage/support.ts';

/** Request header that pins a request to one instance (its index); response header naming the instance that served it. */
export const STEER = 'x-cluster-instance';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Headers that send a request to instance `i` through the load balancer. */
export const on = (i: number): Record<string, string> => ({ [STEER]: String(i) });

export { eventually } from '../support/eventually.ts';

const OUTPUT_KEEP = 64 * 1024;

/** One `propusk serve` child process. */
export class Instance {
  readonly index: number;
  readonly port: number;
  readonly child: ChildProcess;
  #output = '';
  #exited: Promise<number | null>;
  exitCode: number | null | undefined;

  constructor(index: number, port: number, child: ChildProcess) {
    this.index = index;
    this.port = port;
    this.child = child;
    const keep = (d: Buffer) => {
      this.#output = (this.#output + d.toString()).slice(-OUTPUT_KEEP);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(code);
      }),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get alive(): boolean {
    return this.exitCode === undefined;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** The last 64 KiB the process wrote (its log, at PROPUSK_LOG_LEVEL). */
  output(): string {
    return this.#output;
  }

  /** `kill -9`: no shutdown, no cleanup, in-flight requests cut. */
  async kill9(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM (graceful), SIGKILL after 5 s. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.#exited;
    clearTimeout(timer);
  }

  /** Resolves when /readyz answers 200; fails when the process exits first or after `ms`. */
  async ready(ms = 30_000): Promise<void> {
    const started = Date.now();
    for (;;) {
      if (!this.alive) assert.fail(`instance ${this.index} exited (${this.exitCode}) before it was ready:\n${this.#output}`);
      const status = await fetch(`${this.url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return;
      if (Date.now() - started > ms) assert.fail(`instance ${this.index} not ready within ${ms} ms:\n${this.#output}`);
      await sleep(50);
    }
  }
}

/** Hop-by-hop headers, not forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection'];

function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const out = { ...headers };
  for (const h of HOP_BY_HOP) delete out[h];
  return out;
}

export interface Served {
  method: string;
  path: string;
  instance: number;
  status: number;
}

/** The load balancer: HTTP, one upstream connection per request (no stickiness of any kind). */
export class LoadBalancer {
  readonly #server: Server;
  readonly #instances: () => readonly Instance[];
  #next = 0;
  /** Every request it passed on, in order of the responses. */
  readonly log: Served[] = [];
  port = 0;

  private constructor(instances: () => readonly Instance[]) {
    this.#instances = instances;
    this.#server = createServer((req, res) => {
      const pinned = req.headers[STEER];
      const all = this.#instances();
      let target: Instance | undefined;
      if (typeof pinned === 'string') target = all[Number(pinned)];
      else {
        const up = all.filter((i) => i.alive);
        target = up[this.#next++ % Math.max(1, up.length)];
      }
      if (!target) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('no instance');
        return;
      }
      const headers = forwardable(req.headers);
      delete headers[STEER];
      const prior = req.headers['x-forwarded-for'];
      headers['x-forwarded-for'] = [prior, req.socket.remoteAddress].filter(Boolean).join(', ');
      headers['x-forwarded-proto'] = 'http';
      headers['x-forwarded-host'] = req.headers.host;
      const index = target.index;
      const upstream = httpRequest({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers, agent: false }, (up) => {
        this.log.push({ method: req.method ?? '', path: req.url ?? '', instance: index, status: up.statusCode ?? 0 });
        res.writeHead(up.statusCode ?? 502, { ...forwardable(up.headers), [STEER]: String(index) });
        up.pipe(res);
        up.on('error', () => res.destroy());
      });
      upstream.on('error', () => {
        // The instance is down or died mid-request: what a load balancer without retries answers.
        this.log.push({ method: req.method ?? '', path: req.url ?? '', instance: index, status: 502 });
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', [STEER]: String(index) }).end('bad gateway');
        else res.destroy();
      });
      req.pipe(upstream);
    });
    this.#server.keepAliveTimeout = 1000;
  }

  static async start(instances: () => readonly Instance[]): Promise<LoadBalancer> {
    const lb = new LoadBalancer(instances);
    await new Promise<void>((resolve, reject) => {
      lb.#server.once('error', reject);
      lb.#server.listen(0, '127.0.0.1', () => resolve());
    });
    lb.port = (lb.#server.address() as AddressInfo).port;
    return lb;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

export interface ClusterOptions {
  instances?: number;
  /** Extra environment for every instance (and the CLI). */
  env?: Record<string, string>;
  /** Put a TcpProxy between the instances and PostgreSQL, so a test can make the database go away. */
  databaseProxy?: boolean;
}

/** Environment variables of the test process that must not leak into the instances. */
const OWN_VARIABLES = /^(PROPUSK_|DATABASE_URL$|REDIS_URL$|PORT$|NODE_ENV$)/;

export class Cluster {
  readonly schema: TestSchema;
  readonly lb: LoadBalancer;
  readonly issuer: string;
  /** Environment of every instance except PORT: the shared settings. Also what the CLI gets (with the direct DATABASE_URL). */
  readonly env: Record<string, string>;
  readonly instances: Instance[];
  readonly dbProxy: TcpProxy | undefined;
  /** Services on the same schema in the test process, for setting up data. */
  admin!: AppContext;

  private constructor(schema: TestSchema, lb: LoadBalancer, instances: Instance[], env: Record<string, string>, dbProxy: TcpProxy | undefined) {
    this.schema = schema;
    this.instances = instances;
    this.lb = lb;
    this.issuer = `http://127.0.0.1:${lb.port}`;
    this.env = { ...env, PROPUSK_ISSUER: this.issuer };
    this.dbProxy = dbProxy;
  }

  /**
   * Creates a schema, the load balancer and `instances` processes started at the same time (so
   * migrations and the first signing key race, as when a fleet starts), and an admin context.
   * Everything is cleaned up by `stop()`, also when starting fails half-way.
   */
  static async start(options: ClusterOptions = {}): Promise<Cluster> {
    const schema = await createTestSchema();
    let cluster: Cluster | undefined;
    let lb: LoadBalancer | undefined;
    let dbProxy: TcpProxy | undefined;
    try {
      dbProxy = options.databaseProxy ? await TcpProxy.start() : undefined;
      const instances: Instance[] = [];
      lb = await LoadBalancer.start(() => instances);
      const env = {
        NODE_ENV: 'test',
        PROPUSK_HOST: '127.0.0.1',
        DATABASE_URL: schema.url,
        PROPUSK_MASTER_KEY: randomBytes(32).toString('base64'),
        PROPUSK_DEMO: '0',
        PROPUSK_TRUST_PROXY: '1',
        PROPUSK_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        ...options.env,
      };
      cluster = new Cluster(schema, lb, instances, env, dbProxy);
      await Promise.all(Array.from({ length: options.instances ?? 2 }, (_, i) => cluster!.#spawn(i)));
      cluster.admin = await createContext(loadConfig({ ...cluster.env, PORT: '0' }), createLogger('silent'));
      return cluster;
    } catch (err) {
      if (cluster) await cluster.stop();
      else {
        await lb?.close();
        await dbProxy?.close();
        await schema.drop();
      }
      throw err;
    }
  }

  /** Starts (or replaces a dead) instance `i` on a new port and waits until it is ready. */
  async restart(i: number): Promise<Instance> {
    await this.instances[i]?.stop();
    return this.#spawn(i);
  }

  /** Restarts every instance that is not running (after a test killed one). */
  async ensureUp(): Promise<void> {
    await Promise.all(this.instances.filter((i) => !i.alive).map((i) => this.#spawn(i.index)));
  }

  async #spawn(i: number): Promise<Instance> {
    const port = await freePort();
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OWN_VARIABLES.test(k)));
    const env = {
      ...inherited,
      ...this.env,
      PORT: String(port),
      DATABASE_URL: this.dbProxy ? this.dbProxy.url(this.schema.url) : this.schema.url,
    };
    const child = spawn(process.execPath, [propuskBin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const instance = new Instance(i, port, child);
    this.instances[i] = instance;
    live.add(instance);
    child.once('exit', () => live.delete(instance));
    await instance.ready();
    return instance;
  }

  /** `propusk admin …` as a child process, on the database directly. */
  cli(args: string[]): Promise<CliResult> {
    return runCli(['admin', ...args], { ...this.env, PROPUSK_LOG_LEVEL: 'warn' });
  }

  /** `fetch` of an issuer path through the load balancer, pinned to instance `i` (or round-robin). */
  fetch(i: number | undefined, path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(new URL(path, this.issuer), { redirect: 'manual', ...init, headers: { ...(i === undefined ? {} : on(i)), ...(init.headers as Record<string, string>) } });
  }

  /** `postForm` through the load balancer, pinned to instance `i` (or round-robin). */
  post(i: number | undefined, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return postForm(new URL(path, this.issuer).href, form, { ...(i === undefined ? {} : on(i)), ...headers });
  }

  /** Output of every instance, for assertion messages. */
  output(): string {
    return this.instances.map((i) => `--- instance ${i.index} (pid ${i.pid}) ---\n${i.output()}`).join('\n');
  }

  /** Stops every instance, the load balancer, the database proxy and the admin context, and drops the schema. */
  async stop(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()));
    await this.admin?.close().catch(() => undefined);
    await this.lb.close();
    await this.dbProxy?.close();
    await this.schema.drop();
  }
}

/** Children still running; killed when the test process exits however it exits. */
const live = new Set<Instance>();
process.once('exit', () => {
  for (const i of live) i.child.kill('SIGKILL');
});

/** Asserts that instance `i` served a response (the balancer's header). */
export function servedBy(res: { headers: Headers }, i: number): void {
  assert.equal(res.headers.get(STEER), String(i), `served by instance ${res.headers.get(STEER)}, expected ${i}`);
}

/** Every field of the first form whose action contains `step`: its action and its inputs (hidden ones included). */
export function formFields(html: string, step: string): { action: string; fields: Record<string, string> } {
  const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  for (const m of html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const action = decode(m[1]!);
    if (!action.includes(step)) continue;
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input([^>]*)>/g)) {
      const attrs = input[1]!;
      const name = /name="([^"]*)"/.exec(attrs)?.[1];
      if (!name || !/type="hidden"/.test(attrs)) continue;
      fields[decode(name)] = decode(/value="([^"]*)"/.exec(attrs)?.[1] ?? '');
    }
    return { action, fields };
  }
  assert.fail(`no form for ${step} in page:\n${html.slice(0, 2000)}`);
}
