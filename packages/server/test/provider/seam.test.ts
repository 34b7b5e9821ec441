/**
 * The oidc-provider seam (src/provider/seam/): every assumption it makes about the installed
 * oidc-provider still holds, each checked by name — the pinned version, the patch applied, each
 * upstream line a reach-in depends on, each method or field it overrides or reads present on a
 * fresh provider — and no reach-in lives outside the seam or goes unlisted.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import Provider from 'oidc-provider';
import { PINNED_OIDC_PROVIDER_VERSION, SEAM_ASSUMPTIONS, SEAM_MODULES, type UpstreamProbe } from '../../src/provider/seam/assumptions.ts';

const ROOT = resolve(import.meta.dirname, '../../../..');
const SERVER = join(ROOT, 'packages/server');
const SEAM = join(SERVER, 'src/provider/seam');
const UPSTREAM = join(ROOT, 'node_modules/oidc-provider');
const PATCH = join(ROOT, 'patches', `oidc-provider+${PINNED_OIDC_PROVIDER_VERSION}.patch`);

const upstreamLines = (file: string): string[] => readFileSync(join(UPSTREAM, file), 'utf8').split('\n');

/** A provider nothing was changed on: what the seam finds before it overrides or reads anything. */
function probe(): UpstreamProbe {
  return { Provider, provider: new Provider('http://127.0.0.1:1', { features: { deviceFlow: { enabled: true } } }) };
}

/** The files the patch changes and the lines it adds to each. */
function patchedFiles(): Map<string, string[]> {
  const files = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of readFileSync(PATCH, 'utf8').split('\n')) {
    const header = /^diff --git a\/node_modules\/oidc-provider\/(\S+) /.exec(line);
    if (header) files.set(header[1]!, (current = []));
    else if (current && line.startsWith('+') && !line.startsWith('+++')) current.push(line.slice(1));
  }
  return files;
}

/** `src/**` TypeScript files, as paths relative to packages/server. */
function sources(dir = join(SERVER, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(SERVER, join(dir, e.name))] : []));
}

const DEEP_IMPORT = /from\s+'oidc-provider\/(lib\/[^']+)'/g;

describe('oidc-provider seam: version and patch', () => {
  it(`the installed oidc-provider is the pinned ${PINNED_OIDC_PROVIDER_VERSION}`, () => {
    const installed = JSON.parse(readFileSync(join(UPSTREAM, 'package.json'), 'utf8')) as { version: string };
    assert.equal(installed.version, PINNED_OIDC_PROVIDER_VERSION);
  });

  it('packages/server/package.json pins exactly that version', () => {
    const pkg = JSON.parse(readFileSync(join(SERVER, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pkg.dependencies['oidc-provider'], PINNED_OIDC_PROVIDER_VERSION);
  });

  it('the patch is named after the pinned version, and it is the only one for oidc-provider', () => {
    assert.ok(existsSync(PATCH), `${relative(ROOT, PATCH)} is missing`);
    assert.deepEqual(readdirSync(join(ROOT, 'patches')).filter((f) => f.startsWith('oidc-provider+')), [`oidc-provider+${PINNED_OIDC_PROVIDER_VERSION}.patch`]);
  });

  const patched = patchedFiles();
  it('the patch changes files', () => assert.ok(patched.size > 0));

  it('lists in error messages are formatted as Intl.ListFormat formats them in English (without loading ICU data)', async () => {
    const helper = 'oidc-provider/lib/helpers/formatters.js';
    const { formatList } = (await import(helper)) as { formatList: (list: string[], options?: { type?: 'conjunction' | 'disjunction' }) => string };
    for (const type of ['conjunction', 'disjunction'] as const) {
      for (let n = 0; n <= 4; n++) {
        const list = ['openid', 'profile', 'email', 'phone'].slice(0, n);
        assert.equal(formatList(list, { type }), new Intl.ListFormat('en', { type }).format(list.map((w) => `'${w}'`)));
      }
    }
  });
  for (const [file, added] of patched) {
    it(`patch applied to ${file}: its marker and every added line are in node_modules`, () => {
      assert.ok(added.some((l) => l.includes('Propusk patch')), `the patch of ${file} carries no "Propusk patch" marker`);
      const installed = new Set(upstreamLines(file));
      const missing = added.filter((l) => l.trim() !== '' && !installed.has(l));
      assert.deepEqual(missing, [], `lines of the patch missing from node_modules/oidc-provider/${file}`);
    });
  }
});

describe('oidc-provider seam: assumptions', () => {
  it('lists assumptions with unique names', () => {
    assert.ok(SEAM_ASSUMPTIONS.length >= 20);
    assert.equal(new Set(SEAM_ASSUMPTIONS.map((a) => a.name)).size, SEAM_ASSUMPTIONS.length);
  });

  for (const a of SEAM_ASSUMPTIONS) {
    it(`${a.name} (${a.file}:${a.line})`, () => {
      assert.ok(existsSync(join(UPSTREAM, a.file)), `node_modules/oidc-provider/${a.file} is gone`);
      assert.ok(a.text !== undefined || a.holds !== undefined, 'checks nothing');
      if (a.text !== undefined) {
        const line = upstreamLines(a.file)[a.line - 1] ?? '';
        assert.ok(line.includes(a.text), `line ${a.line} of ${a.file} no longer has ${JSON.stringify(a.text)}: ${JSON.stringify(line.trim())}`);
      }
      if (a.holds) assert.equal(a.holds(probe()), true, `does not hold on a fresh provider`);
      assert.ok(a.why.length > 0 && a.removeWhen.length > 0);
    });
  }
});

describe('oidc-provider seam: fence', () => {
  const seamFiles = readdirSync(SEAM).filter((f) => f.endsWith('.ts'));

  it('every seam module lists its assumptions in the seam’s one list', async () => {
    for (const f of seamFiles.filter((f) => f !== 'assumption.ts' && f !== 'assumptions.ts')) {
      const mod = (await import(join(SEAM, f))) as { assumptions?: unknown[] };
      assert.ok(Array.isArray(mod.assumptions) && mod.assumptions.length > 0, `${f} exports no assumptions`);
      assert.equal(SEAM_MODULES[f], mod.assumptions, `${f}'s assumptions are not in SEAM_MODULES`);
    }
  });

  it('every upstream file a seam module imports is named by one of its assumptions', () => {
    for (const f of seamFiles) {
      const imported = [...readFileSync(join(SEAM, f), 'utf8').matchAll(DEEP_IMPORT)].map((m) => m[1]!);
      const named = new Set((SEAM_MODULES[f] ?? []).map((a) => a.file));
      assert.deepEqual(imported.filter((file) => !named.has(file)), [], `${f} imports upstream files its assumptions do not check`);
    }
  });

  it('no module outside the seam imports oidc-provider/lib', () => {
    const outside = sources().filter((f) => !f.startsWith('src/provider/seam/') && DEEP_IMPORT.test(readFileSync(join(SERVER, f), 'utf8')));
    DEEP_IMPORT.lastIndex = 0;
    assert.deepEqual(outside, []);
  });
});
