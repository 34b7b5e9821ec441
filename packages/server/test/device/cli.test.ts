/**
 * `propusk login` / `token` / `logout` as child processes against a real server, with headless
 * Chromium approving in parallel (the link is read from the command's stderr).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

function startLogin(s: DeviceSetup, configDir: string, extra: string[] = []): LoginRun {
  const child = spawn(
    process.execPath,
    [propuskBin, 'login', '--issuer', s.issuer, '--client-id', s.device.clientId, '--client-secret', s.device.apiKey, '--scope', 'openid extern.api', ...extra],
    { env: { ...process.env, PROPUSK_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let resolveLink: (l: string) => void;
  const link = new Promise<string>((r) => (resolveLink = r));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    const m = /open (\S+)/.exec(stderr);
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
  it('login: prints the link and QR code, the browser approves, tokens are saved 0600; token prints it; logout revokes and deletes', async () => {
    const dir = tempConfigDir();
    const run = startLogin(s, dir);
    const link = await run.link;
    assert.match(link, new RegExp(`^${s.issuer}/device\\?user-code=[BCDFGHJKLMNPQRSTVWXZ]{8}$`));
    const approved = await approveInBrowser(browser, link, s.user);
    await approved.close();
    const { code, stderr } = await run.exit;
    assert.equal(code, 0, stderr);
    assert.match(stderr, /scan this QR code/);
    assert.match(stderr, /Signed in\. Tokens saved to /);

    const file = join(dir, 'credentials.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { access_token: string; refresh_token?: string; id_token?: string };
    assert.ok(stored.refresh_token);
    assert.ok(stored.id_token);

    const token = await runCli(['token'], { PROPUSK_CONFIG_DIR: dir });
    assert.equal(token.code, 0, token.stderr);
    assert.equal(token.stdout.trim(), stored.access_token);
    const active = await introspect(s, stored.access_token);
    assert.equal(active.json.active, true);
    assert.equal(active.json.aud, API_AUDIENCE);

    // An expired access token is refreshed (the refresh token rotates) and saved again, still 0600.
    writeFileSync(file, JSON.stringify({ ...stored, expires_at: 0 }), { mode: 0o600 });
    const refreshed = await runCli(['token'], { PROPUSK_CONFIG_DIR: dir });
    assert.equal(refreshed.code, 0, refreshed.stderr);
    const fresh = refreshed.stdout.trim();
    assert.notEqual(fresh, stored.access_token);
    assert.equal((await introspect(s, fresh)).json.active, true);
    const rotated = JSON.parse(readFileSync(file, 'utf8')) as { access_token: string; refresh_token: string; expires_at: number };
    assert.equal(rotated.access_token, fresh);
    assert.notEqual(rotated.refresh_token, stored.refresh_token);
    assert.ok(rotated.expires_at > Date.now() / 1000);
    assert.equal(statSync(file).mode & 0o777, 0o600);

    const logout = await runCli(['logout'], { PROPUSK_CONFIG_DIR: dir });
    assert.equal(logout.code, 0, logout.stderr);
    assert.match(logout.stderr, /revoked/);
    assert.deepEqual((await introspect(s, fresh)).json, { active: false });
    assert.deepEqual((await introspect(s, stored.access_token)).json, { active: false }, 'revoking the refresh token ends the whole grant');
    assert.equal(existsSync(file), false);
    const after = await runCli(['token'], { PROPUSK_CONFIG_DIR: dir });
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
});
