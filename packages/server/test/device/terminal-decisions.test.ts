/**
 * What `propusk login` decides from its environment, through the device client's modules: the
 * language (LC_ALL, then LC_MESSAGES, then LANG) and whether there is a browser to offer
 * ($BROWSER, macOS `open`, Windows `start`, `xdg-open` with a display; not in CI, nor over SSH
 * without a display); and how connection failures are worded.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { browserOpener } from '../../src/device-client/browser.ts';
import { networkFailure, sayer, terminalLocale } from '../../src/device-client/messages.ts';
import { NetworkError } from '../../src/device-client/http.ts';

const bin = mkdtempSync(join(tmpdir(), 'propusk-opener-'));
writeFileSync(join(bin, 'xdg-open'), '#!/bin/sh\n');
chmodSync(join(bin, 'xdg-open'), 0o755);
after(() => rmSync(bin, { recursive: true, force: true }));

describe('the terminal\'s language', () => {
  const cases: [NodeJS.ProcessEnv, 'ru' | 'en'][] = [
    [{}, 'en'],
    [{ LANG: 'ru_RU.UTF-8' }, 'ru'],
    [{ LANG: 'ru' }, 'ru'],
    [{ LANG: 'C.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8' }, 'ru'],
    [{ LANG: 'ru_RU.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' }, 'en'],
    [{ LANG: 'ru_RU.UTF-8', LC_MESSAGES: 'ru_RU.UTF-8', LC_ALL: 'C' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_ALL: 'ru_RU.UTF-8' }, 'ru'],
    [{ LANG: 'ru_RU.UTF-8', LC_ALL: '' }, 'ru'],
    [{ LANG: 'rus' }, 'en'],
  ];
  for (const [env, expected] of cases) it(`${JSON.stringify(env)} → ${expected}`, () => assert.equal(terminalLocale(env), expected));
});

describe('a browser to offer', () => {
  const PATH = bin;
  it('$BROWSER, whatever else', () => {
    assert.deepEqual(browserOpener({ BROWSER: '/x/firefox', CI: 'true', PATH }, 'linux'), { command: '/x/firefox', args: [] });
  });
  it('xdg-open with a display (X11 or Wayland), nothing without one or without xdg-open', () => {
    assert.equal(browserOpener({ DISPLAY: ':0', PATH }, 'linux')?.command, 'xdg-open');
    assert.equal(browserOpener({ WAYLAND_DISPLAY: 'wayland-0', PATH }, 'linux')?.command, 'xdg-open');
    assert.equal(browserOpener({ PATH }, 'linux'), undefined);
    assert.equal(browserOpener({ DISPLAY: ':0', PATH: '/nonexistent' }, 'linux'), undefined);
  });
  it('open on macOS, start on Windows', () => {
    assert.equal(browserOpener({}, 'darwin')?.command, 'open');
    assert.deepEqual(browserOpener({}, 'win32'), { command: 'cmd', args: ['/c', 'start', '""'] });
  });
  it('not in CI, nor over SSH without a display', () => {
    assert.equal(browserOpener({ CI: 'true', DISPLAY: ':0', PATH }, 'linux'), undefined);
    assert.equal(browserOpener({ CI: '1' }, 'darwin'), undefined);
    assert.equal(browserOpener({ SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22' }, 'darwin'), undefined);
    assert.equal(browserOpener({ SSH_TTY: '/dev/pts/1', PATH }, 'linux'), undefined);
    assert.equal(browserOpener({ SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22', DISPLAY: 'localhost:10.0', PATH }, 'linux')?.command, 'xdg-open', 'X11 forwarding');
  });
});

describe('connection failures in words', () => {
  const en = sayer('en');
  const ru = sayer('ru');
  const cases: [string, string, string][] = [
    ['ECONNREFUSED', 'connection refused', 'соединение отклонено'],
    ['ENOTFOUND', 'host not found', 'такой узел не найден'],
    ['ETIMEDOUT', 'timed out', 'истекло время ожидания'],
    ['UND_ERR_CONNECT_TIMEOUT', 'timed out', 'истекло время ожидания'],
    ['ECONNRESET', 'connection reset', 'соединение сброшено'],
    ['CERT_HAS_EXPIRED', 'the TLS certificate has expired', 'срок действия TLS-сертификата истёк'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'the TLS certificate is for another host name', 'TLS-сертификат выдан для другого имени узла'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'the TLS certificate is self-signed and not trusted', 'TLS-сертификат самоподписанный и ему нет доверия'],
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'the TLS certificate is not trusted (UNABLE_TO_VERIFY_LEAF_SIGNATURE)', 'TLS-сертификату нет доверия (UNABLE_TO_VERIFY_LEAF_SIGNATURE)'],
    ['EPIPE', 'network error (EPIPE)', 'ошибка сети (EPIPE)'],
  ];
  for (const [code, english, russian] of cases) {
    it(code, () => {
      const err = new NetworkError('https://id.example.ru', code);
      assert.equal(networkFailure(en, err), `cannot reach https://id.example.ru: ${english}`);
      assert.equal(networkFailure(ru, err), `не удалось подключиться к https://id.example.ru: ${russian}`);
    });
  }
  it('found behind a wrapping error (openid-client\'s cause), and only for network failures', () => {
    const wrapped = new Error('something went wrong', { cause: new NetworkError('http://127.0.0.1:9', 'ECONNREFUSED') });
    assert.equal(networkFailure(en, wrapped), 'cannot reach http://127.0.0.1:9: connection refused');
    assert.equal(networkFailure(en, new Error('invalid_grant')), undefined);
  });
});
