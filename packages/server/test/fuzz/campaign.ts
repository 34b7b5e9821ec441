/**
 * The bad-input campaign: fast-check generates requests to every endpoint Propusk exposes —
 * malformed, oversized, duplicated, wrongly encoded (invalid UTF-8, bad percent-encoding, raw
 * latin-1 bytes), wrong methods and content types — mixed with well-formed values (real client
 * ids and api-keys, a partner's JWT, a pending user code) so that requests also get deep into the
 * handlers. They are sent with raw node:http on keep-alive connections, in concurrent batches.
 *
 * The oracle, per response: never 5xx; no stack trace or internal path in the body; a 4xx/5xx JSON
 * body has string `error` and `error_description`; a 4xx HTML body is one of our pages (our
 * stylesheet); a declared body over 64 KiB is 413. Per batch, every database change is recorded by
 * triggers and must be explained by a request of the batch (ALLOWED below): rejected requests
 * change nothing but what the protocol itself demands (the audit trail, api-key last use, device
 * poll pacing, an anonymous browser session). At the end: no error was logged, the server still
 * answers, the static tables are byte-for-byte unchanged, and `PRAGMA integrity_check` is ok.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { claims, createPartner, sign } from '../trusted/support.ts';
import { MAX_BODY_BYTES } from '../../src/http/body-limit.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REDIRECT_URI = 'http://127.0.0.1:9/cb';

// ---------------------------------------------------------------- fixtures

export interface Fixtures {
  server: TestServer;
  values: string[];
  clients: { clientId: string; apiKey: string }[];
  userCode: string;
  errors: string[];
  close(): Promise<void>;
}

export async function startTarget(): Promise<Fixtures> {
  const errors: string[] = [];
  const server = await startTestServer(
    { PROPUSK_LOG_LEVEL: 'error', PROPUSK_SWEEP_INTERVAL: '100000', PROPUSK_SIGN_IN_DELAY_MS: '0' },
    { logStream: { write: (line) => void errors.push(line) } },
  );
  const ctx = server.context;
  const scopes = ['openid', 'profile', 'email', 'offline_access', 'extern.api'];
  const web = await createClient(ctx, { clientId: 'web.app', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REDIRECT_URI], postLogoutRedirectUris: ['http://127.0.0.1:9/out'], scopes });
  const spa = await createClient(ctx, { clientId: 'spa.app', public: true, grantTypes: ['authorization_code', 'refresh_token'], redirectUris: [REDIRECT_URI], scopes });
  const device = await createClient(ctx, { clientId: 'device.app', grantTypes: [DEVICE_GRANT, 'refresh_token'], scopes });
  const service = await createClient(ctx, { clientId: 'service.app' });
  const partner = await createPartner(ctx, 'partner.app', { permissions: ['trusted', 'link-by-phone'] });
  const { account } = await createUser(ctx, { phone: '9001234567' });
  await ctx.links.createBySupport(partner.clientId, 'partner-user-1', account.id, null);
  const rs = await resourceCredentials(ctx, 'extern.api');
  const jwt = await sign(partner, claims(partner, 'partner-user-1'));
  const auth = await postForm(`${server.url}/connect/deviceauthorization`, { client_id: device.clientId, client_secret: device.apiKey, scope: 'openid extern.api' });
  assert.equal(auth.status, 200, auth.text);
  const userCode = String(auth.json.user_code);
  const clients = [web, device, service, { clientId: partner.clientId, apiKey: partner.apiKey }, { clientId: rs.clientId, apiKey: rs.secret }];
  const values = [
    ...clients.flatMap((c) => [c.clientId, c.apiKey]),
    spa.clientId,
    'client_credentials',
    'authorization_code',
    'refresh_token',
    DEVICE_GRANT,
    'trusted',
    'extern.api',
    'openid',
    'openid profile email offline_access extern.api',
    'code',
    REDIRECT_URI,
    'urn:propusk:api:extern.api',
    jwt,
    String(auth.json.device_code),
    userCode,
    userCode.replace('-', ''),
    '9001234567',
    '+7 (900) 123-45-67',
    'partner-user-1',
    account.login,
    'form_post',
    'login consent',
    'none',
    'S256',
    'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  ];
  return { server, values, clients, userCode, errors, close: () => server.stop() };
}

// ---------------------------------------------------------------- requests

interface Endpoint {
  /** Path; `:x` is replaced by a generated segment. */
  path: string;
  method: string;
  /** The request carries client credentials by default. */
  client?: boolean;
}

const ENDPOINTS: Endpoint[] = [
  { path: '/connect/authorize', method: 'GET' },
  { path: '/connect/authorize', method: 'POST' },
  { path: '/connect/authorize/:x', method: 'GET' },
  { path: '/connect/token', method: 'POST', client: true },
  { path: '/connect/token', method: 'POST', client: true },
  { path: '/connect/token', method: 'POST', client: true },
  { path: '/connect/deviceauthorization', method: 'POST', client: true },
  { path: '/connect/introspect', method: 'POST', client: true },
  { path: '/connect/revocation', method: 'POST', client: true },
  { path: '/connect/userinfo', method: 'GET' },
  { path: '/connect/userinfo', method: 'POST' },
  { path: '/connect/endsession', method: 'GET' },
  { path: '/connect/endsession', method: 'POST' },
  { path: '/connect/endsession/confirm', method: 'POST' },
  { path: '/connect/endsession/success', method: 'GET' },
  { path: '/connect/par', method: 'POST', client: true },
  { path: '/device', method: 'GET' },
  { path: '/device', method: 'POST' },
  { path: '/device/:x', method: 'GET' },
  { path: '/device/qr.svg', method: 'GET' },
  { path: '/register-external-service-id', method: 'PUT', client: true },
  { path: '/interaction/:x', method: 'GET' },
  { path: '/interaction/:x/login', method: 'POST' },
  { path: '/interaction/:x/consent', method: 'POST' },
  { path: '/interaction/:x/abort', method: 'POST' },
  { path: '/account', method: 'GET' },
  { path: '/account/sign-in', method: 'POST' },
  { path: '/account/:x', method: 'POST' },
  { path: '/integrations', method: 'GET' },
  { path: '/integrations/sign-in', method: 'POST' },
  { path: '/integrations/invitations/:x', method: 'GET' },
  { path: '/integrations/clients/:x', method: 'GET' },
  { path: '/.well-known/openid-configuration', method: 'GET' },
  { path: '/.well-known/openid-configuration/jwks', method: 'GET' },
  { path: '/metrics', method: 'GET' },
  { path: '/healthz', method: 'GET' },
  { path: '/readyz', method: 'GET' },
  { path: '/assets/propusk.css', method: 'GET' },
  { path: '/:x', method: 'GET' },
  { path: '/connect/:x', method: 'POST' },
];

const PARAM_NAMES = [
  'grant_type', 'client_id', 'client_secret', 'code', 'refresh_token', 'scope', 'redirect_uri', 'response_type', 'response_mode', 'state', 'nonce',
  'token', 'token_type_hint', 'device_code', 'user_code', 'user-code', 'resource', 'prompt', 'login_hint', 'login', 'password', 'csrf', 'xsrf',
  'ServiceUserId', 'Phone', 'id_token_hint', 'post_logout_redirect_uri', 'ui_locales', 'lang', 'claims', 'request', 'request_uri', 'code_challenge',
  'code_challenge_method', 'code_verifier', 'max_age', 'decision', 'confirm', 'abort', 'logout', 'current_password', 'new_password', 'grant_id',
];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE', 'MKCOL', 'LOCK'];

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'application/x-www-form-urlencoded; charset=latin1',
  'application/json',
  'multipart/form-data; boundary=xyz',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded, application/json',
  ';;;',
  'x'.repeat(300),
];

type Encoding = 'proper' | 'raw' | 'bad-percent';
type BodyKind = 'params' | 'json' | 'random' | 'invalid-utf8' | 'bad-percent' | 'oversized' | 'chunked-oversized' | 'empty';

export interface FuzzRequest {
  endpoint: number;
  method: string | undefined;
  segment: string;
  queryParams: [string, string][];
  bodyParams: [string, string][];
  encoding: Encoding;
  contentType: string | undefined;
  body: BodyKind;
  randomBytes: Uint8Array;
  auth: 'none' | 'basic' | 'basic-garbage' | 'bearer' | 'duplicated' | 'malformed';
  client: number;
  headers: [string, string][];
  accept: 'html' | 'json' | 'any' | 'none';
  /** Start from a valid request of the endpoint (then mutate a little), so requests also succeed. */
  template: boolean;
}

/** Valid parameters per endpoint, for `template` requests. */
const TEMPLATES: Record<string, [string, string][]> = {
  '/connect/token': [['grant_type', 'client_credentials'], ['scope', 'extern.api']],
  '/connect/deviceauthorization': [['scope', 'openid extern.api']],
  '/connect/authorize': [['response_type', 'code'], ['client_id', 'web.app'], ['redirect_uri', REDIRECT_URI], ['scope', 'openid extern.api'], ['state', 'st-123456']],
  '/register-external-service-id': [['ServiceUserId', 'partner-user-1'], ['Phone', '9001234567']],
};

function arbitraries(values: string[], clientCount: number): fc.Arbitrary<FuzzRequest> {
  const longString = fc.string({ minLength: 500, maxLength: 6000 });
  const value = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...values) },
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
    { weight: 1, arbitrary: longString },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '%zz', '%', '%e0%80', '\u0000', '../../etc/passwd', '<script>alert(1)</script>', '{"a":1}', '[]', 'null', '-1', '1e309', 'ZZZZ-ZZZZ', 'a b c') },
  );
  const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...PARAM_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 20 }) });
  const params = fc.array(fc.tuple(name, value), { maxLength: 10 });
  const segment = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
    fc.constantFrom(...values.filter((v) => v.length < 100)),
    fc.constantFrom('%zz', '%2F..%2F', '..', '%00', 'qr.svg', 'x'.repeat(3000), '\u00e9\u00ff', 'sign-in', 'revoke', 'password', '%c3%28'),
  );
  return fc.record({
    endpoint: fc.nat({ max: ENDPOINTS.length - 1 }),
    method: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...METHODS) }),
    segment,
    queryParams: fc.oneof({ weight: 2, arbitrary: fc.constant([] as [string, string][]) }, { weight: 1, arbitrary: params }),
    bodyParams: params,
    encoding: fc.constantFrom<Encoding>('proper', 'proper', 'proper', 'raw', 'bad-percent'),
    contentType: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
    body: fc.constantFrom<BodyKind>('params', 'params', 'params', 'params', 'json', 'random', 'invalid-utf8', 'bad-percent', 'oversized', 'chunked-oversized', 'empty'),
    randomBytes: fc.uint8Array({ maxLength: 512 }),
    auth: fc.constantFrom('none', 'basic', 'basic', 'basic-garbage', 'bearer', 'duplicated', 'malformed'),
    client: fc.nat({ max: clientCount - 1 }),
    headers: fc.array(
      fc.tuple(
        fc.constantFrom('cookie', 'x-request-id', 'accept-language', 'origin', 'x-forwarded-for', 'x-forwarded-proto', 'content-encoding', 'dpop', 'if-none-match', 'x-custom'),
        fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('_session=abc; _interaction=def', 'ru', 'en;q=0.5,*', 'gzip', 'https', '\u00ff\u00fe', 'a'.repeat(4000))),
      ),
      { maxLength: 3 },
    ),
    accept: fc.constantFrom('html', 'json', 'any', 'none'),
    template: fc.boolean(),
  });
}

/** Header values may carry latin-1 bytes but no control characters. */
const isControl = (c: string) => (c.charCodeAt(0) < 0x20 && c !== '\t') || c === '\u007f';
const headerSafe = (s: string) => [...Buffer.from(s, 'utf8').toString('latin1')].filter((c) => !isControl(c)).join('');

const RAW_UNSAFE = /[&=#?\s%]/g;

function encode(s: string, encoding: Encoding): string {
  if (encoding === 'proper') return encodeURIComponent(s);
  if (encoding === 'bad-percent') return encodeURIComponent(s).replace(/%2[0-9A-F]/g, '%zz').concat('%e0%8');
  // Raw: the UTF-8 bytes as latin-1 characters (node:http sends them as single bytes), without & = # ? or spaces.
  return [...Buffer.from(s, 'utf8').toString('latin1').replace(RAW_UNSAFE, '_')].map((c) => (isControl(c) ? '_' : c)).join('');
}

const formOf = (params: [string, string][], encoding: Encoding) => params.map(([k, v]) => `${encode(k, encoding)}=${encode(v, encoding)}`).join('&');

export interface Built {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: Buffer | undefined;
  chunked: boolean;
  /** A Content-Length over the documented limit was declared: 413 is the only right answer. */
  oversized: boolean;
  endpoint: Endpoint;
}

export function build(r: FuzzRequest, fixtures: Pick<Fixtures, 'clients'>): Built {
  const endpoint = ENDPOINTS[r.endpoint]!;
  const method = r.method ?? endpoint.method;
  let path = endpoint.path.replace(':x', encode(r.segment, r.encoding === 'bad-percent' ? 'bad-percent' : r.encoding));
  if (path.length === 0 || path[0] !== '/') path = `/${path}`;
  const query = formOf(r.template && endpoint.method === 'GET' && TEMPLATES[endpoint.path] ? [...TEMPLATES[endpoint.path]!, ...r.queryParams.slice(0, 1)] : r.queryParams, r.encoding);
  if (query) path += `?${query}`;

  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of r.headers) headers[k] = headerSafe(v);
  if (r.accept === 'html') headers.accept = 'text/html,application/xhtml+xml';
  else if (r.accept === 'json') headers.accept = 'application/json';
  else if (r.accept === 'any') headers.accept = '*/*';
  const client = fixtures.clients[r.client]!;
  const basic = `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.apiKey)}`).toString('base64')}`;
  if (r.auth === 'basic' && endpoint.client) headers.authorization = basic;
  else if (r.auth === 'basic-garbage') headers.authorization = `Basic ${Buffer.from(r.randomBytes.slice(0, 40)).toString('base64')}`;
  else if (r.auth === 'bearer') headers.authorization = `Bearer ${headerSafe(r.segment).slice(0, 200) || 'x'}`;
  else if (r.auth === 'duplicated') headers.authorization = [basic, 'Bearer abc'];
  else if (r.auth === 'malformed') headers.authorization = 'Basic';

  let body: Buffer | undefined;
  let chunked = false;
  const template = r.template ? TEMPLATES[endpoint.path] : undefined;
  const mutations = template ? r.bodyParams.slice(0, 1) : r.bodyParams;
  let bodyParams = [...(template ?? []), ...mutations];
  if (endpoint.client && r.auth === 'none') bodyParams = [['client_id', client.clientId], ['client_secret', client.apiKey], ...bodyParams];
  switch (r.body) {
    case 'params':
      body = Buffer.from(formOf(bodyParams, r.encoding), 'latin1');
      break;
    case 'json':
      body = Buffer.from(JSON.stringify(Object.fromEntries(bodyParams)));
      break;
    case 'random':
      body = Buffer.from(r.randomBytes);
      break;
    case 'invalid-utf8':
      body = Buffer.concat([Buffer.from(formOf(bodyParams, 'proper')), Buffer.from([0x26, 0x61, 0x3d, 0xc3, 0x28, 0xff, 0xfe, 0xed, 0xa0, 0x80])]);
      break;
    case 'bad-percent':
      body = Buffer.from(formOf(bodyParams, 'bad-percent'), 'latin1');
      break;
    case 'oversized':
      body = Buffer.alloc(MAX_BODY_BYTES + 1 + r.randomBytes.length * 16, 'a=b&');
      break;
    case 'chunked-oversized':
      body = Buffer.alloc(MAX_BODY_BYTES + 1 + r.randomBytes.length * 16, 'a=b&');
      chunked = true;
      break;
    case 'empty':
      body = undefined;
      break;
  }
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE') {
    if (r.body !== 'oversized') body = undefined;
  }
  if (body !== undefined) headers['content-type'] = r.contentType ?? (r.body === 'json' ? 'application/json' : 'application/x-www-form-urlencoded');
  else if (r.contentType) headers['content-type'] = r.contentType;
  return { method, path, headers, body, chunked: chunked && body !== undefined, oversized: body !== undefined && !chunked && body.length > MAX_BODY_BYTES, endpoint };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function send(base: URL, agent: Agent, b: Built): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...b.headers };
    if (b.body && !b.chunked) headers['content-length'] = String(b.body.length);
    const req = request({ host: base.hostname, port: base.port, method: b.method, path: b.path, headers, agent, insecureHTTPParser: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    let answered = false;
    req.on('response', () => (answered = true));
    req.on('error', (err) => {
      // The server may close the connection once it has refused an oversized body.
      if (!answered && (b.oversized || b.chunked) && /ECONNRESET|EPIPE/.test(String((err as NodeJS.ErrnoException).code))) {
        resolve({ status: 413, headers: {}, body: '' });
      } else reject(Object.assign(err, { request: `${b.method} ${b.path.slice(0, 200)} ${JSON.stringify(b.headers).slice(0, 300)} body=${b.body?.length ?? 0}${b.chunked ? ' chunked' : ''}`, raw: String((err as { rawPacket?: Buffer }).rawPacket ?? '') }));
    });
    if (b.body) {
      if (b.chunked) {
        for (let i = 0; i < b.body.length; i += 8192) req.write(b.body.subarray(i, i + 8192));
        req.end();
      } else req.end(b.body);
    } else req.end();
  });
}

// ---------------------------------------------------------------- oracle

const LEAKS = [/\bat [^\n<]*\(?[^\n<]*:\d+:\d+\)?/, /node_modules/, /\/work\//, /file:\/\//, /\.ts:\d+/, /\b(TypeError|ReferenceError|SyntaxError|RangeError)\b/, /SQLITE_|sqlite3?_/i];

export function checkAnswer(b: Built, a: Answer): void {
  const where = `${b.method} ${b.path.slice(0, 200)} ${JSON.stringify(b.headers).slice(0, 300)} → ${a.status}: ${a.body.slice(0, 300)}`;
  assert.ok(a.status >= 200 && a.status < 500, `never 5xx: ${where}`);
  // (Unless Node's parser refused the request line or headers first: http/client-errors.ts.)
  const malformed = a.status === 400 && (a.body.includes('malformed HTTP request') || (b.method === 'HEAD' && a.headers.connection === 'close'));
  if (b.oversized && !malformed) assert.equal(a.status, 413, `a declared body over ${MAX_BODY_BYTES} bytes is 413: ${where}`);
  for (const leak of LEAKS) assert.doesNotMatch(a.body, leak, `no stack trace or internal path: ${where}`);
  if (a.status < 400 || b.method === 'HEAD' || a.body === '' && a.status === 413) return;
  const type = String(a.headers['content-type'] ?? '');
  if (type.startsWith('application/json')) {
    const json = JSON.parse(a.body) as Record<string, unknown>;
    assert.equal(typeof json.error, 'string', `JSON error has error: ${where}`);
    assert.equal(typeof json.error_description, 'string', `JSON error has error_description: ${where}`);
  } else if (type.startsWith('text/html')) {
    assert.match(a.body, /<link rel="stylesheet" href="\/assets\/propusk\.css">/, `an HTML error is our page: ${where}`);
  } else {
    assert.fail(`a 4xx is JSON or one of our pages: ${type} ${where}`);
  }
}

// ---------------------------------------------------------------- database

/** Tables whose rows no request of the campaign may change at all (compared by hash at the end). */
const STATIC_TABLES = ['account', 'client', 'resource', 'signing_key', 'secret', 'partner_key', 'propusk_migration'];

export class DatabaseWatch {
  readonly #db: DatabaseSync;

  constructor(file: string) {
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA busy_timeout = 5000');
    this.#db.exec('CREATE TABLE IF NOT EXISTS fuzz_change (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, op TEXT NOT NULL, model TEXT)');
    const tables = (this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'fuzz_change'").all() as { name: string }[]).map((t) => t.name);
    for (const t of tables) {
      const columns = (this.#db.prepare(`PRAGMA table_info("${t}")`).all() as { name: string }[]).map((c) => c.name);
      const model = (row: 'NEW' | 'OLD') => (columns.includes('model') ? `${row}.model` : 'NULL');
      const otherThanLastUse = columns.filter((c) => c !== 'last_used_at').map((c) => `OLD."${c}" IS NOT NEW."${c}"`).join(' OR ') || '0';
      const updateOp = columns.includes('last_used_at') ? `CASE WHEN ${otherThanLastUse} THEN 'UPDATE' ELSE 'UPDATE:last_used' END` : `'UPDATE'`;
      this.#db.exec(`
        CREATE TRIGGER IF NOT EXISTS "fuzz_${t}_i" AFTER INSERT ON "${t}" BEGIN INSERT INTO fuzz_change (tbl, op, model) VALUES ('${t}', 'INSERT', ${model('NEW')}); END;
        CREATE TRIGGER IF NOT EXISTS "fuzz_${t}_u" AFTER UPDATE ON "${t}" BEGIN INSERT INTO fuzz_change (tbl, op, model) VALUES ('${t}', ${updateOp}, ${model('NEW')}); END;
        CREATE TRIGGER IF NOT EXISTS "fuzz_${t}_d" AFTER DELETE ON "${t}" BEGIN INSERT INTO fuzz_change (tbl, op, model) VALUES ('${t}', 'DELETE', ${model('OLD')}); END;`);
    }
  }

  /** Changes since the last call, as `table op [model]` strings. */
  drain(): string[] {
    const rows = this.#db.prepare('SELECT id, tbl, op, model FROM fuzz_change ORDER BY id').all() as { id: number; tbl: string; op: string; model: string | null }[];
    if (rows.length) this.#db.prepare('DELETE FROM fuzz_change WHERE id <= ?').run(rows.at(-1)!.id);
    return rows.map((r) => [r.tbl, r.op, r.model].filter(Boolean).join(' '));
  }

  /** A hash of every row of the static tables. */
  staticHash(): string {
    const hash = createHash('sha256');
    const existing = new Set((this.#db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name));
    for (const t of STATIC_TABLES.filter((x) => existing.has(x))) hash.update(t).update(JSON.stringify(this.#db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()));
    return hash.digest('hex');
  }

  integrity(): string {
    return (this.#db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check;
  }

  close(): void {
    this.#db.close();
  }
}

export function databaseFile(server: TestServer): string {
  return join(server.dir, 'propusk.sqlite');
}

/**
 * What a request may change, by path prefix and outcome. Everything else — any change by a
 * rejected request to grants, codes, tokens, clients, keys, links or accounts — fails the campaign.
 */
function allowedBy(b: Built, a: Answer): string[] {
  const path = b.path.split('?')[0]!;
  const ok = a.status < 400;
  // An audit record is a new row, or one more in the count of a row of repeated failures.
  const allowed = ['audit_event INSERT', 'audit_event UPDATE', 'api_key UPDATE:last_used'];
  const browser = /^\/(connect\/authorize|connect\/endsession|device|interaction|account|integrations)/.test(path);
  // An anonymous browser session (cookie state, form secrets) may be created or refreshed by any page request.
  if (browser) allowed.push('oidc_model INSERT Session', 'oidc_model UPDATE Session', 'oidc_model DELETE Session');
  if (browser && (ok || /^\/(connect\/authorize|device)/.test(path))) allowed.push('oidc_model INSERT Interaction', 'oidc_model UPDATE Interaction', 'oidc_model DELETE Interaction');
  if (path === '/connect/deviceauthorization' && ok) allowed.push('oidc_model INSERT DeviceCode');
  // RFC 8628 poll pacing is recorded for every poll, `authorization_pending` and `slow_down` (400s) included.
  if (path === '/connect/token') allowed.push('device_poll INSERT', 'device_poll UPDATE');
  if (path === '/connect/token' && ok) {
    allowed.push('oidc_model INSERT AccessToken', 'oidc_model INSERT ClientCredentials', 'oidc_model INSERT RefreshToken', 'oidc_model INSERT Grant', 'oidc_model UPDATE Grant', 'trusted_jti INSERT');
  }
  if (path === '/register-external-service-id' && ok) allowed.push('external_link INSERT');
  return allowed;
}

// ---------------------------------------------------------------- the campaign

export interface CampaignResult {
  requests: number;
  statuses: Map<number, number>;
  /** Database changes the triggers saw (all explained): proof that the watch works. */
  changes: Map<string, number>;
}

export async function runCampaign(options: { runs: number; seed: number; concurrency: number }): Promise<CampaignResult> {
  const fixtures = await startTarget();
  const watch = new DatabaseWatch(databaseFile(fixtures.server));
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const base = new URL(fixtures.server.url);
  const statuses = new Map<number, number>();
  const changes = new Map<string, number>();
  try {
    watch.drain();
    const staticBefore = watch.staticHash();
    const requests = fc.sample(arbitraries(fixtures.values, fixtures.clients.length), { seed: options.seed, numRuns: options.runs });
    for (let i = 0; i < requests.length; i += options.concurrency) {
      const batch = requests.slice(i, i + options.concurrency).map((r) => build(r, fixtures));
      const answers = await Promise.all(batch.map((b) => send(base, agent, b)));
      const allowed = new Set<string>();
      batch.forEach((b, j) => {
        const a = answers[j]!;
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        try {
          checkAnswer(b, a);
        } catch (err) {
          // The server's own account of what went wrong, for the report.
          throw Object.assign(err as Error, { serverLog: fixtures.errors.slice(-3).map((l) => l.slice(0, 1500)) });
        }
        for (const x of allowedBy(b, a)) allowed.add(x);
      });
      const drained = watch.drain();
      for (const c of drained) changes.set(c, (changes.get(c) ?? 0) + 1);
      const unexplained = drained.filter((change) => !allowed.has(change));
      assert.deepEqual(unexplained, [], `database changes no request of batch ${i / options.concurrency} (seed ${options.seed}) may make:\n${batch.map((b, j) => `${b.method} ${b.path.slice(0, 160)} → ${answers[j]!.status}`).join('\n')}`);
    }
    assert.deepEqual(fixtures.errors, [], 'no error was logged');
    const health = await send(base, agent, { method: 'GET', path: '/healthz', headers: {}, body: undefined, chunked: false, oversized: false, endpoint: ENDPOINTS[0]! });
    assert.equal(health.status, 200, 'the server still answers');
    assert.equal(watch.staticHash(), staticBefore, 'accounts, clients, resources, keys and secrets are unchanged');
    assert.equal(watch.integrity(), 'ok');
    return { requests: requests.length, statuses, changes };
  } finally {
    agent.destroy();
    watch.close();
    await fixtures.close();
  }
}
