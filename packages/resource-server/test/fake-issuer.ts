// A small fake authorization server for the tests: discovery, JWKS and an
// RFC 7662 introspection endpoint that checks Basic credentials, counts calls
// and answers what the test tells it to.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export const API_CLIENT_ID = 'extern.api:rs';
export const API_CLIENT_SECRET = 'sécret&key=1 +/';
export const AUDIENCE = 'extern.api';

/** What the introspection endpoint does for one request. */
export type IntrospectionBehaviour =
  | { kind: 'json'; body: unknown; delayMs?: number }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'garbage' };

export interface FakeIssuer {
  readonly issuer: string;
  /** Number of introspection requests received (with valid credentials or not). */
  introspectionCalls: number;
  /** Number of JWKS requests received. */
  jwksCalls: number;
  /** Answers by token; unknown tokens are `{ active: false }`. */
  readonly tokens: Map<string, Record<string, unknown>>;
  /** Overrides every introspection answer when set. */
  override: IntrospectionBehaviour | undefined;
  /** Delay before each introspection answer, in ms. */
  introspectionDelayMs: number;
  /** Discovery document override (e.g. a wrong issuer). */
  discoveryOverride: Record<string, unknown> | undefined;
  /** Registers an opaque token answering `active: true` with sane defaults plus `claims`. */
  activeToken(token: string, claims?: Record<string, unknown>): void;
  /** Signs an RFC 9068 JWT access token with the issuer's key. */
  signJwt(claims?: JWTPayload, header?: { typ?: string; kid?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startFakeIssuer(): Promise<FakeIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };

  const server: Server = createServer((req, res) => {
    void handle(req.method ?? 'GET', req.url ?? '/', req.headers.authorization, req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const expectedBasic = `Basic ${Buffer.from(
    `${encodeForm(API_CLIENT_ID)}:${encodeForm(API_CLIENT_SECRET)}`,
  ).toString('base64')}`;

  const fake: FakeIssuer = {
    issuer,
    introspectionCalls: 0,
    jwksCalls: 0,
    tokens: new Map(),
    override: undefined,
    introspectionDelayMs: 0,
    discoveryOverride: undefined,
    activeToken(token, claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      this.tokens.set(token, {
        active: true,
        iss: issuer,
        client_id: 'awesome_device_client',
        sub: 'user-1',
        aud: AUDIENCE,
        scope: 'openid extern.api',
        token_type: 'Bearer',
        iat: now,
        exp: now + 3600,
        ...claims,
      });
    },
    async signJwt(claims = {}, header = {}) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: issuer,
        aud: AUDIENCE,
        sub: 'user-1',
        client_id: 'awesome_device_client',
        scope: 'openid extern.api',
        iat: now,
        exp: now + 3600,
        jti: `jti-${Math.random()}`,
        ...claims,
      })
        .setProtectedHeader({ alg: 'RS256', typ: header.typ ?? 'at+jwt', kid: header.kid ?? 'key-1' })
        .sign(privateKey);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  async function handle(
    method: string,
    url: string,
    authorization: string | undefined,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const json = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (method === 'GET' && url === '/.well-known/openid-configuration') {
      json(200, fake.discoveryOverride ?? {
        issuer,
        jwks_uri: `${issuer}/.well-known/openid-configuration/jwks`,
        introspection_endpoint: `${issuer}/connect/introspect`,
      });
      return;
    }
    if (method === 'GET' && url === '/.well-known/openid-configuration/jwks') {
      fake.jwksCalls++;
      json(200, { keys: [jwk] });
      return;
    }
    if (method === 'POST' && url === '/connect/introspect') {
      fake.introspectionCalls++;
      let body = '';
      for await (const chunk of req) body += String(chunk);
      if (fake.introspectionDelayMs > 0) await new Promise((r) => setTimeout(r, fake.introspectionDelayMs));
      if (authorization !== expectedBasic) {
        json(401, { error: 'invalid_client' });
        return;
      }
      const form = new URLSearchParams(body);
      const token = form.get('token');
      const behaviour = fake.override;
      if (behaviour?.kind === 'status') {
        res.writeHead(behaviour.status, { 'content-type': 'text/plain' }).end(behaviour.body ?? 'oops');
        return;
      }
      if (behaviour?.kind === 'garbage') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json');
        return;
      }
      if (behaviour?.kind === 'json') {
        json(200, behaviour.body);
        return;
      }
      json(200, (token !== null && fake.tokens.get(token)) || { active: false });
      return;
    }
    json(404, { error: 'not_found' });
  }

  return fake;
}

function encodeForm(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
