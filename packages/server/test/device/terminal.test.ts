/**
 * `propusk login` in a terminal, as a person runs it: the command runs in a pseudo-terminal
 * (util-linux `script`) against a real server, headless Chromium approves the code. Checks the code
 * as ABCD-EFGH, the "Press Enter" offer and the opener it runs ($BROWSER: a script recording its
 * argument), polling that does not wait for Enter, the final "✓ Signed in" line, and the one-line
 * network error, in English and Russian by the terminal's locale.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { propuskBin } from '../support/server.ts';
import { approveInBrowser, launchChromium, setupDevice, sleep, type DeviceSetup } from './support.ts';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Only the locale a test sets counts, whatever the machine's is. */
const ENGLISH = { LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const RUSSIAN = { LANG: 'ru_RU.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

interface TerminalRun {
  child: ChildProcess;
  /** Everything the terminal showed so far, with the terminal's CR LF turned into LF. */
  output(): string;
  /** Resolves with the first match of `re` in the output. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Types into the terminal. */
  type(text: string): void;
  exit: Promise<{ code: number | null; output: string }>;
}

/** `propusk <args>` in a pseudo-terminal: `script -qfec "<command>" /dev/null`, stdin, stdout and stderr all the terminal. */
function inTerminal(args: string[], env: Record<string, string>): TerminalRun {
  const command = [process.execPath, propuskBin, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env: { ...process.env, CI: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  child.stdout!.on('data', (d: Buffer) => (raw += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (raw += d.toString()));
  const output = () => raw.replace(/\r/g, '');
  const exit = new Promise<{ code: number | null; output: string }>((r) => child.on('close', (code) => r({ code, output: output() })));
  let exited = false;
  void exit.then(() => (exited = true));
  return {
    child,
    output,
    exit,
    type: (text) => child.stdin!.write(text),
    async waitFor(re, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(output());
        if (m) return m;
        assert.ok(!exited, `the command ended without ${re}:\n${output()}`);
        assert.ok(Date.now() < deadline, `no ${re} within ${timeoutMs} ms:\n${output()}`);
        await sleep(50);
      }
    },
  };
}

let s: DeviceSetup;
let browser: Browser;
let work: string;
const runs: TerminalRun[] = [];

before(async () => {
  s = await setupDevice();
  browser = await launchChromium();
  work = mkdtempSync(join(tmpdir(), 'propusk-terminal-'));
});
after(async () => {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  await browser?.close();
  await s?.server.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A $BROWSER that writes the URL it is given to `file`. */
function recordingBrowser(name: string): { command: string; file: string } {
  const file = join(work, `${name}.opened`);
  const command = join(work, `${name}.sh`);
  writeFileSync(command, `#!/bin/sh\nprintf '%s' "$1" > ${shellQuote(file)}\n`);
  chmodSync(command, 0o755);
  return { command, file };
}

function login(name: string, env: Record<string, string>, extra: string[] = []): TerminalRun {
  const args = ['login', '--issuer', s.issuer, '--client-id', s.device.clientId, '--client-secret', s.device.apiKey, '--scope', 'openid email extern.api', '--no-qr', ...extra];
  const run = inTerminal(args, { PROPUSK_CONFIG_DIR: join(work, name, 'config'), ...env });
  runs.push(run);
  return run;
}

const lastLine = (output: string) => output.trimEnd().split('\n').at(-1);

describe('propusk login in a terminal', () => {
  it('prints the code as XXXX-XXXX with the link, Enter opens it in the browser, and it ends with "✓ Signed in to <issuer> as <account>"', async () => {
    const opener = recordingBrowser('enter');
    const run = login('enter', { ...ENGLISH, BROWSER: opener.command });
    const code = (await run.waitFor(/Your one-time code: ([A-Z]{4}-[A-Z]{4})\n/))[1]!;
    const link = (await run.waitFor(/Confirm the sign-in at (\S+)\n/))[1]!;
    assert.equal(link, `${s.issuer}/device?user-code=${code.replace('-', '')}`);
    assert.match(run.output(), new RegExp(`\\(or open ${s.issuer}/device and enter the code\\)`));
    await run.waitFor(/Press Enter to open the page in your browser…\n/);
    assert.equal(existsSync(opener.file), false, 'nothing is opened before Enter');

    run.type('\n');
    const deadline = Date.now() + 10_000;
    while (!existsSync(opener.file) || !readFileSync(opener.file, 'utf8')) {
      assert.ok(Date.now() < deadline, `the opener did not run:\n${run.output()}`);
      await sleep(50);
    }
    assert.equal(readFileSync(opener.file, 'utf8'), link, 'the opener gets verification_uri_complete');

    const approved = await approveInBrowser(browser, link, s.user, { locale: 'en', expectCode: code });
    await approved.close();
    const { code: exitCode, output } = await run.exit;
    assert.equal(exitCode, 0, output);
    assert.equal(lastLine(output), `✓ Signed in to ${s.issuer} as ${s.user.login}`);
    assert.match(output, /Tokens saved to \S+credentials\.json \(readable only by you\)\./);
    assert.doesNotMatch(output, /\n\s+at /, 'no stack trace');
  });

  it('polls while the offer waits: approved without pressing Enter, it signs in; in Russian under a Russian locale', async () => {
    const opener = recordingBrowser('no-enter');
    const run = login('no-enter', { ...RUSSIAN, BROWSER: opener.command });
    const code = (await run.waitFor(/Ваш одноразовый код: ([A-Z]{4}-[A-Z]{4})\n/))[1]!;
    const link = (await run.waitFor(/Подтвердите вход на странице (\S+)\n/))[1]!;
    await run.waitFor(/Нажмите Enter, чтобы открыть страницу в браузере…\n/);
    const approved = await approveInBrowser(browser, link, s.user, { expectCode: code });
    await approved.close();
    const { code: exitCode, output } = await run.exit;
    assert.equal(exitCode, 0, output);
    assert.equal(lastLine(output), `✓ Вы вошли в ${s.issuer} как ${s.user.login}`);
    assert.equal(existsSync(opener.file), false, 'the browser is opened only on Enter');
  });

  it('--no-browser: no offer, just the code and the link (Enter does nothing)', async () => {
    const opener = recordingBrowser('no-browser');
    const run = login('no-browser', { ...ENGLISH, BROWSER: opener.command }, ['--no-browser']);
    await run.waitFor(/Your one-time code: [A-Z]{4}-[A-Z]{4}\n/);
    const link = (await run.waitFor(/Confirm the sign-in at (\S+)\n/))[1]!;
    await run.waitFor(/Waiting for you to confirm/);
    run.type('\n');
    const approved = await approveInBrowser(browser, link, s.user);
    await approved.close();
    const { code, output } = await run.exit;
    assert.equal(code, 0, output);
    assert.doesNotMatch(output, /Press Enter/);
    assert.equal(existsSync(opener.file), false);
  });

  it('without $BROWSER and without a display there is nothing to open: no offer', async () => {
    const run = login('no-display', { ...ENGLISH, BROWSER: '', DISPLAY: '', WAYLAND_DISPLAY: '' });
    await run.waitFor(/Waiting for you to confirm/);
    assert.doesNotMatch(run.output(), /Press Enter/);
    run.type('\x03'); // Ctrl-C in the terminal
    const { code, output } = await run.exit;
    assert.equal(code, 130, output);
    assert.equal(lastLine(output), 'propusk: cancelled');
  });

  for (const [locale, env, expected] of [
    ['English', ENGLISH, 'propusk: cannot reach http://127.0.0.1:9: connection refused'],
    ['Russian', RUSSIAN, 'propusk: не удалось подключиться к http://127.0.0.1:9: соединение отклонено'],
  ] as const) {
    it(`an unreachable provider is one line in ${locale}, no stack trace, non-zero exit`, async () => {
      const run = inTerminal(['login', '--issuer', 'http://127.0.0.1:9', '--client-id', 'extern.plugin'], { PROPUSK_CONFIG_DIR: join(work, 'unreachable'), ...env });
      runs.push(run);
      const { code, output } = await run.exit;
      assert.equal(code, 1, output);
      assert.equal(output.trim(), expected);
    });
  }
});
