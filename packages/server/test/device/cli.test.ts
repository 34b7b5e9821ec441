/**
 * `propusk login` / `token` / `logout` as child processes against a real server, with headless
 * Chromium approving in parallel (the link is read from the command's stderr).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { propuskBin, runCli } from '../support/server.ts';
import { API_AUDIENCE, approveInBrowser, introspect, launchChromium, setupDevice, type DeviceSetup } from './support.ts';

interface LoginRun {
  child: ChildProcess;
  /** Resolves with the verification link once printed. */
  link: Promise<string>;
  exit: Promise<{ code: number | null; stderr: string }>;
}

/** Only the locale a test sets counts, whatever the machine's is. */
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

function startLogin(s: DeviceSetup, configDir: string, extra: string[] = []): LoginRun {
  const child = spawn(
    process.execPath,
    [propuskBin, 'login', '--issuer', s.issuer, '--client-id', s.device.clientId, '--client-secret', s.device.apiKey, '--scope', 'openid extern.api', ...extra],
    { env: { ...process.env, ...ENGLISH, PROPUSK_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let resolveLink: (l: string) => void;
  const link = new Promise<string>((r) => (resolveLink = r));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    const m = /Confirm the sign-in at (\S+)\n/.exec(stderr);
    if (m) resolveLink(m[1]!);
  });
  const exit = new Promise<{ code: number | null; stderr: string }>((r) => child.on('close', (code) => r({ code, stderr })));
  return { child, link, exit };
}

let s: DeviceSetup;
let browser: Browser;
const dirs: string[] = [];
const tempConfigDir = () => {
  const d = join(mkdtempSync(join(tmpdir(), 'propusk-cli-')), 'config');
  dirs.push(d);
  return d;
};

before(async () => {
  s = await setupDevice();
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await s?.server.stop();
  for (const d of dirs) rmSync(join(d, '..'), { recursive: true, force: true });
});

describe('propusk login, token, logout', () => {
  it('login: prints the code, the link and QR code, the browser approves, tokens are saved 0600; token prints it; logout revokes and deletes', async () => {
    const dir = tempConfigDir();
    const run = startLogin(s, dir);
    const link = await run.link;
    assert.match(link, new RegExp(`^${s.issuer}/device\\?user-code=[BCDFGHJKLMNPQRSTVWXZ]{8}$`));
    const approved = await approveInBrowser(browser, link, s.user);
    await approved.close();
    const { code, stderr } = await run.exit;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /scan this QR code/);
    assert.match(stderr, new RegExp(`Your one-time code: ${link.slice(-8, -4)}-${link.slice(-4)}\n`));
    assert.doesNotMatch(stderr, /Press Enter/, 'no offer to open a browser without a terminal');
    assert.match(stderr, /Tokens saved to \S+credentials\.json/);
    // Asked for `openid` only, the ID token names the account by its subject.
    assert.equal(stderr.trimEnd().split('\n').at(-1), `✓ Signed in to ${s.issuer} as ${s.user.id}`);

    const file = join(dir, 'credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { access_token: string; refresh_token?: string; id_token?: string };
    assert.ok(stored.refresh_token);
    assert.ok(stored.id_token);

    const token = await runCli(['token'], { ...ENGLISH, PROPUSK_CONFIG_DIR: dir });
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout.trim(), stored.access_token);
    const active = await introspect(s, stored.access_token);
    assert.equal(active.json.active, true);
    assert.equal(active.json.aud, API_AUDIENCE);

    // An expired access token is refreshed (the refresh token rotates) and saved again, still 0600.
    writeFileSync(file, JSON.stringify({ ...stored, expires_at: 0 }), { mode: 0o600 });
    const refreshed = await runCli(['token'], { ...ENGLISH, PROPUSK_CONFIG_DIR: dir });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const fresh = refreshed.stdout.trim();
    assert.notEqual(fresh, stored.access_token);
    assert.equal((await introspect(s, fresh)).json.active, true);
    const rotated = JSON.parse(readFileSync(file, 'utf8')) as { access_token: string; refresh_token: string; expires_at: number };
    assert.equal(rotated.access_token, fresh);
    assert.notEqual(rotated.refresh_token, stored.refresh_token);
    assert.ok(rotated.expires_at > Date.now() / 1000);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const logout = await runCli(['logout'], { ...ENGLISH, PROPUSK_CONFIG_DIR: dir });
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /revoked/);
    assert.deepEqual((await introspect(s, fresh)).json, { active: false });
    assert.deepEqual((await introspect(s, stored.access_token)).json, { active: false }, 'revoking the refresh token ends the whole grant');
    assert.equal(existsSync(file), false);
    const after = await runCli(['token'], { ...ENGLISH, PROPUSK_CONFIG_DIR: dir });
    assert.notEqual(after.code, 0);
    assert.match(after.stderr, /not signed in/);
  });

  it('login refused in the browser exits non-zero with the reason and saves nothing', async () => {
    const dir = tempConfigDir();
    const run = startLogin(s, dir, ['--no-qr']);
    const approved = await approveInBrowser(browser, await run.link, s.user, { decision: 'deny' });
    await approved.close();
    const { code, stderr } = await run.exit;
    assert.equal(code, 1);
    assert.match(stderr, /access was refused/);
    assert.doesNotMatch(stderr, /scan this QR code/);
    assert.equal(existsSync(join(dir, 'credentials.json')), false);
  });

  it('Ctrl-C while waiting exits cleanly (130, "cancelled")', async () => {
    const run = startLogin(s, tempConfigDir(), ['--no-qr']);
    await run.link;
    run.child.kill('SIGINT');
    const { code, stderr } = await run.exit;
    assert.equal(code, 130);
    assert.match(stderr, /cancelled/);
  });

  it('login --help says where the tokens are kept and with which permissions, in the terminal\'s language', async () => {
    const dir = tempConfigDir();
    const en = await runCli(['login', '--help'], { ...ENGLISH, PROPUSK_CONFIG_DIR: dir });
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /^usage: propusk login --issuer <url> --client-id <id>/);
    assert.ok(en.stdout.includes(`Tokens are stored in ${join(dir, 'credentials.json')}: the directory is 0700 and the file 0600, readable only by you.`), en.stdout);
    assert.match(en.stdout, /--no-browser/);
    const ru = await runCli(['login', '--help'], { LANG: 'ru_RU.UTF-8', LC_ALL: '', LC_MESSAGES: '', PROPUSK_CONFIG_DIR: dir });
    assert.ok(ru.stdout.includes(`Токены хранятся в ${join(dir, 'credentials.json')}: каталог с правами 0700, файл 0600`), ru.stdout);
    // LC_ALL wins over LANG.
    const all = await runCli(['login', '--help'], { LANG: 'ru_RU.UTF-8', LC_ALL: 'en_US.UTF-8', PROPUSK_CONFIG_DIR: dir });
    assert.match(all.stdout, /^usage: /);
  });

  it('an untrusted TLS certificate is named in one line, with a non-zero exit', async () => {
    const certDir = tempConfigDir();
    mkdirSync(certDir, { recursive: true });
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const tls = createHttpsServer({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (_req, res) => res.end('{}'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
      const r = await runCli(['login', '--issuer', url, '--client-id', 'x'], { ...ENGLISH, PROPUSK_CONFIG_DIR: certDir });
      assert.equal(r.code, 1);
      assert.equal(r.stderr, `propusk: cannot reach ${url}: the TLS certificate is self-signed and not trusted\n`);
    } finally {
      tls.close();
    }
  });

  it('token and logout speak Russian under a Russian locale', async () => {
    const env = { LANG: 'ru_RU.UTF-8', LC_ALL: '', LC_MESSAGES: '', PROPUSK_CONFIG_DIR: tempConfigDir() };
    const token = await runCli(['token'], env);
    assert.equal(token.code, 1);
    assert.equal(token.stderr, 'propusk: вход не выполнен: запустите propusk login\n');
    const logout = await runCli(['logout'], env);
    assert.equal(logout.stderr, 'Вход не выполнен.\n');
  });
});
