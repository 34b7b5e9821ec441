/**
 * The published package as an API team outside this repository gets it: `npm pack`, installed
 * into an empty project from the tarball, imported from plain JavaScript on Node.js 24 and 22,
 * and type-checked by a TypeScript project with `nodenext` and `skipLibCheck: false`. The
 * sources the tarball carries for the declaration maps are deleted from the installed copy
 * first, so every check also proves that nothing needs them. Inside the monorepo, the package
 * name resolves to the sources, whatever `dist/` holds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const root = join(packageDir, '..', '..');
const require22 = 'npm run setup:node22';
/** Node.js 22 from the `node@22` package, installed apart from the workspace (see test/node22/package.json). */
const node22 = join(packageDir, 'test', 'node22', 'node_modules', '.bin', 'node');

/** The environment for a child npm: without the npm_* variables of an enclosing `npm test`, which name this workspace. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(?!config_(cache|registry|userconfig)$)/i.test(k)));
}

function versionOf(name: string): string {
  return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Every source module, as a path under src/ without its extension (`middleware/koa`). */
function sourceModules(dir = join(packageDir, 'src')): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => relative(join(packageDir, 'src'), join(dir, f)).replaceAll('\\', '/').slice(0, -3))
    .sort();
}

/** Plain JavaScript, as an API team writes it: exported names, a verifier against a stub issuer, good and bad tokens. */
const CONSUMER_JS = `
import * as rs from '@propusk/resource-server';
import { createVerifier, errorResponse, ResourceServerError, TokenInactiveError } from '@propusk/resource-server';

const issuer = 'https://id.example.test';
const exp = Math.floor(Date.now() / 1000) + 3600;
const fetch = async (input) => {
  const url = String(input);
  const body = url.endsWith('/.well-known/openid-configuration')
    ? { issuer, introspection_endpoint: issuer + '/connect/introspect' }
    : url.endsWith('/connect/introspect')
      ? (globalThis.tokenIsActive
        ? { active: true, iss: issuer, aud: 'urn:api', client_id: 'app', sub: 'alice', scope: 'api', exp, token_type: 'Bearer' }
        : { active: false })
      : null;
  return new Response(JSON.stringify(body), { status: body ? 200 : 404, headers: { 'content-type': 'application/json' } });
};
const verifier = createVerifier({ issuer, audience: 'urn:api', credentials: { clientId: 'rs.api', clientSecret: 's' }, fetch });
globalThis.tokenIsActive = true;
const principal = await verifier.verify('good-token-123', { scopes: ['api'] });
globalThis.tokenIsActive = false;
const refused = await verifier.verify('bad-token-456').then(() => undefined, (e) => e);
const answer = errorResponse(refused, 'api');
console.log(JSON.stringify({
  node: process.versions.node,
  exports: Object.keys(rs).sort(),
  adapters: [typeof rs.nodeHttp, typeof rs.express, typeof rs.koa],
  principal: { sub: principal.sub, clientId: principal.clientId, scopes: principal.scopes },
  refused: { isLibraryError: refused instanceof ResourceServerError, inactive: refused instanceof TokenInactiveError, code: refused?.code },
  answer: { status: answer.status, challenge: answer.headers['www-authenticate'] },
}));
`;

/** A TypeScript API: the main API and the adapters, with expected errors that only real types produce. */
const CONSUMER_TS = `
import {
  authenticateRequest,
  createVerifier,
  errorResponse,
  express,
  koa,
  nodeHttp,
  ResourceServerError,
  type ExpressMiddleware,
  type KoaMiddleware,
  type NodeAuthenticator,
  type Principal,
  type ResourceServerErrorCode,
  type Verifier,
  type VerifierOptions,
} from '@propusk/resource-server';

const options: VerifierOptions = {
  issuer: 'https://id.example.test',
  audience: 'urn:api',
  credentials: { clientId: 'rs.api', clientSecret: 's' },
};
const verifier: Verifier = createVerifier(options);
export const principal: Promise<Principal> = verifier.verify('token', { scopes: ['api'] });
export const viaHeaders: Promise<Principal> = authenticateRequest(verifier, { authorization: 'Bearer token' });
export const node: NodeAuthenticator = nodeHttp(verifier, { scopes: ['api'] });
export const expressMiddleware: ExpressMiddleware = express(verifier);
export const koaMiddleware: KoaMiddleware = koa(verifier, { scopes: ['api'] });
export function codeOf(error: unknown): ResourceServerErrorCode | 'ERR_RESOURCE_SERVER' | undefined {
  return error instanceof ResourceServerError ? error.code : undefined;
}
export const status: number = errorResponse(new Error('x'), 'api').status;

// @ts-expect-error the audience is required
createVerifier({ issuer: 'https://id.example.test', credentials: { clientId: 'a', clientSecret: 'b' } });
// @ts-expect-error verify takes the token as a string
verifier.verify(42);
`;

describe('the npm package', () => {
  let dir: string;
  let app: string;
  let tarball: string;
  let files: string[];
  let manifest: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-rs-package-'));
    const pack = await run('npm', ['pack', '-w', '@propusk/resource-server', '--pack-destination', dir, '--json'], { cwd: root, env: npmEnv() });
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    tarball = join(dir, packed.filename);
    files = packed.files.map((f) => f.path).sort();

    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }));
    // Everything comes from the npm cache that installing this repository filled: the only network is the registry.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `typescript@${versionOf('typescript')}`, `@types/node@${versionOf('@types/node')}`], { cwd: app, env: npmEnv() });
    const installed = join(app, 'node_modules', '@propusk', 'resource-server');
    manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
    rmSync(join(installed, 'src'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('carries the compiled modules, declarations and declaration maps, README and LICENSE; no tests or scripts', () => {
    for (const m of sourceModules()) {
      for (const ext of ['.js', '.d.ts', '.d.ts.map']) assert.ok(files.includes(`dist/${m}${ext}`), `dist/${m}${ext} in ${files.join(' ')}`);
    }
    for (const f of ['README.md', 'LICENSE', 'package.json']) assert.ok(files.includes(f), f);
    const unexpected = files.filter((f) => !/^dist\/.+\.(js|js\.map|d\.ts|d\.ts\.map)$/.test(f) && !/^src\/.+\.ts$/.test(f) && !['README.md', 'LICENSE', 'package.json'].includes(f));
    assert.deepEqual(unexpected, []);
    assert.deepEqual(files.filter((f) => /(^|\/)(test|scripts)\/|\.test\.|bench/.test(f)), []);
    // The sources are there for the declaration maps only, one per module.
    assert.deepEqual(files.filter((f) => f.startsWith('src/')), sourceModules().map((m) => `src/${m}.ts`));
  });

  it('declares ESM entry points with types, Node >= 22, no side effects and jose as its only dependency', () => {
    assert.equal(manifest.type, 'module');
    assert.deepEqual(manifest.exports, {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    });
    assert.deepEqual((manifest.engines as Record<string, string>).node, '>=22');
    assert.equal(manifest.sideEffects, false);
    assert.deepEqual(Object.keys(manifest.dependencies as object), ['jose']);
    assert.equal(manifest.license, 'MIT');
    assert.ok((manifest.keywords as string[]).length > 0);
    assert.deepEqual(manifest.files, ['dist', 'src']);
  });

  it('has declarations that name compiled .js modules, never .ts sources', () => {
    const dist = join(app, 'node_modules', '@propusk', 'resource-server', 'dist');
    const declarations = readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.d.ts'));
    assert.ok(declarations.length >= sourceModules().length);
    for (const f of declarations) {
      const text = readFileSync(join(dist, f), 'utf8');
      assert.doesNotMatch(text, /['"]\.\.?\/[^'"]*\.ts['"]/, f);
    }
  });

  const consume = async (node: string) => {
    writeFileSync(join(app, 'consumer.js'), CONSUMER_JS);
    const { stdout } = await run(node, ['consumer.js'], { cwd: app });
    const result = JSON.parse(stdout) as {
      node: string;
      exports: string[];
      adapters: string[];
      principal: { sub: string; clientId: string; scopes: string[] };
      refused: { isLibraryError: boolean; inactive: boolean; code: string };
      answer: { status: number; challenge: string };
    };
    for (const name of ['createVerifier', 'authenticateRequest', 'errorResponse', 'requireScopes', 'parseAuthorization', 'ResourceServerError', 'TokenInactiveError', 'nodeHttp', 'express', 'koa']) {
      assert.ok(result.exports.includes(name), `${name} in ${result.exports.join(' ')}`);
    }
    assert.deepEqual(result.adapters, ['function', 'function', 'function']);
    assert.deepEqual(result.principal, { sub: 'alice', clientId: 'app', scopes: ['api'] });
    assert.deepEqual(result.refused, { isLibraryError: true, inactive: true, code: 'ERR_TOKEN_INACTIVE' });
    assert.equal(result.answer.status, 401);
    assert.match(result.answer.challenge, /^Bearer realm="api", error="invalid_token"/);
    return result.node;
  };

  it('works from plain JavaScript on Node.js 24', async () => {
    assert.equal((await consume(process.execPath)).split('.')[0], '24');
  });

  it('works from plain JavaScript on Node.js 22', { skip: !existsSync(node22) && !process.env.CI ? `Node.js 22 not installed (${require22})` : false }, async () => {
    assert.ok(existsSync(node22), `Node.js 22 is missing: ${require22}`);
    assert.equal((await consume(node22)).split('.')[0], '22');
  });

  it('type-checks in a TypeScript project with nodenext, strict and skipLibCheck false', async () => {
    writeFileSync(join(app, 'index.ts'), CONSUMER_TS);
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2023', lib: ['ES2023'], module: 'nodenext', moduleResolution: 'nodenext', types: ['node'], strict: true, skipLibCheck: false, noEmit: true },
      files: ['index.ts'],
    }));
    const tsc = join(app, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], { cwd: app }).catch((e: { stdout: string; stderr: string }) => assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`));
    // The types came from the package's declarations (and were all checked: skipLibCheck is off).
    assert.match(result.stdout, /node_modules\/@propusk\/resource-server\/dist\/index\.d\.ts/);
  });

  it('resolves to the sources inside the monorepo, so no build can shadow them', () => {
    assert.equal(fileURLToPath(import.meta.resolve('@propusk/resource-server')), join(packageDir, 'src', 'index.ts'));
  });
});
