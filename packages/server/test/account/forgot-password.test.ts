/**
 * "Forgot password?" end to end: the link on every sign-in page; a request for a known login sends
 * a one-time set-password link through the development transport (an .eml file), the link sets a
 * new password once (a second use gets a page saying so), ends the account's other sessions, and
 * then signing in with it works; a new request ends the earlier link; the link expires; a request
 * for an unknown login (or a disabled account) is answered exactly as for a known one and sends
 * nothing; requests count against the sign-in limits per login and per address (429, Retry-After,
 * the wait named); `account.password_reset_requested` is audited without the login or the token.
 * SMTP delivers through a real SMTP server (smtp-server in the test) while the answer does not wait
 * for it; a refused message is logged and audited without the SMTP password; the dev transport's
 * log line names the file and recipient; without a mail transport the link is not offered. Pages
 * in Chromium at 1280 and 390 px, ru and en, axe-core clean, and the e-mailed link followed in the
 * browser. SQLite, and PostgreSQL for the main path.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import type { Browser } from 'playwright-core';
import { authorizeUrl, newUser, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { createTestSchema, describePostgres } from '../storage/support.ts';
import { capture, launch, screenshotDir } from '../console/browser-support.ts';
import { FormsAgent, formOf, isAccountPage, signInToAccount, type Page } from './support.ts';

/** The text/plain body of a raw RFC 5322 message (quoted-printable, base64 or 7bit). */
function plainText(raw: string): string {
  const normal = raw.replace(/\r\n/g, '\n');
  const part = /Content-Type: text\/plain[^\n]*\n(?:[^\n]+\n)*?Content-Transfer-Encoding: ([\w-]+)\n\n([\s\S]*?)(?:\n--|$)/i.exec(normal) ?? /Content-Transfer-Encoding: ([\w-]+)\n(?:[^\n]+\n)*\n([\s\S]*)$/i.exec(normal);
  assert.ok(part, `a text part in ${raw.slice(0, 400)}`);
  const [, encoding, body] = part;
  if (/base64/i.test(encoding!)) return Buffer.from(body!.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/quoted-printable/i.test(encoding!)) return Buffer.from(body!.replace(/=\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  return body!;
}

/** The set-password link in a message, with its `?lang=`. */
const linkIn = (text: string): string => {
  const m = /(https?:\/\/\S+\/account\/set-password\/[A-Za-z0-9_-]{43}\?lang=(?:ru|en))(?:\s|$)/.exec(text);
  assert.ok(m, `a set-password link in:\n${text}`);
  return m[1]!;
};

function mailbox(server: TestServer) {
  const dir = join(server.dir, 'mail');
  const files = () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.eml')).sort() : []);
  return {
    files,
    /** Messages written since `seen` files. */
    since: (seen: number) => files().slice(seen).map((f) => readFileSync(join(dir, f), 'utf8')),
  };
}

async function ask(s: CodeFlowSetup, login: string, agent = new FormsAgent(s.issuer), lang = 'en'): Promise<{ res: Response; page: Page }> {
  const page = await agent.follow(`/account/forgot-password?lang=${lang}`);
  const form = formOf(page.html, '/account/forgot-password');
  const res = await agent.request(form.action, { form: { csrf: form.csrf, login } });
  return { res, page };
}

function scenarios(database: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>, options: { browser: boolean }): void {
  let s: CodeFlowSetup;
  let cleanup: () => Promise<void>;
  let browser: Browser | undefined;
  let dir: string;

  before(async () => {
    const db = await database();
    cleanup = db.cleanup;
    s = await setupCodeFlow(undefined, { PROPUSK_SIGN_IN_DELAY_MS: '0', PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', ...db.env });
    if (options.browser) {
      browser = await launch();
      dir = screenshotDir();
    }
  });
  after(async () => {
    await browser?.close();
    await s?.server.stop();
    await cleanup?.();
  });

  it('every sign-in page links "Forgot password?"', async () => {
    for (const path of ['/account?lang=en', '/integrations/sign-in?lang=en', authorizeUrl(s.issuer, { lang: 'en' })]) {
      const page = await new FormsAgent(s.issuer).follow(path);
      assert.match(page.html, /<a href="\/account\/forgot-password\?lang=(en|ru)" data-forgot-password>/, path);
    }
  });

  it('a known login gets a one-time link by e-mail; it sets the password once; the new password signs in', async () => {
    const user = await newUser(s);
    const box = mailbox(s.server);
    const seen = box.files().length;
    const { res } = await ask(s, `  ${user.login.toUpperCase()} `);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account/forgot-password/sent?lang=en');
    await s.server.context.passwordRecovery.settled();
    const [message, ...more] = box.since(seen);
    assert.ok(message, 'a message was written');
    assert.equal(more.length, 0);
    assert.match(message, new RegExp(`^To: ${user.login.replace(/[.+]/g, '\\$&')}$`, 'm'));
    assert.match(message, /^Subject: Set a new Propusk password$/m);
    assert.match(message, /^From: Propusk <no-reply@127\.0\.0\.1>$/m);
    const url = linkIn(plainText(message));
    assert.ok(url.startsWith(`${s.issuer}/account/set-password/`));
    assert.ok(url.endsWith('?lang=en'), 'the link opens its page in the language of the request');

    // A browser signed in with the old password before the reset.
    const elsewhere = new FormsAgent(s.issuer);
    assert.ok(isAccountPage(await signInToAccount(elsewhere, user)));

    const person = new FormsAgent(s.issuer);
    const form = await person.follow(url);
    assert.equal(form.status, 200);
    const done = await person.submit(form, '/account/set-password/', { new_password: 'a brand new password', confirm_password: 'a brand new password' });
    assert.equal(done.status, 200, done.html.slice(0, 300));
    assert.ok(isAccountPage(await signInToAccount(new FormsAgent(s.issuer), { login: user.login, password: 'a brand new password' })));
    assert.ok(!isAccountPage(await signInToAccount(new FormsAgent(s.issuer), user)), 'the old password no longer works');
    assert.ok(!isAccountPage(await elsewhere.follow('/account')), 'the session signed in before the reset has ended');
    const again = await new FormsAgent(s.issuer).follow(url);
    assert.equal(again.status, 410, 'the link works once');
    assert.match(again.html, /The link has already been used/);
    assert.match(again.html, /cannot be used again/);
    assert.doesNotMatch(again.html, /<form[^>]*set-password/, 'no form to set a password again');

    const issued = await s.server.context.audit.tail({ type: 'account.password_link_issued' });
    const link = issued.find((e) => e.accountId === user.id && e.details.reason === 'forgot');
    assert.ok(link, 'account.password_link_issued with reason forgot');
    const requested = (await s.server.context.audit.tail({ type: 'account.password_reset_requested' })).filter((e) => e.accountId === user.id);
    assert.equal(requested.length, 1);
    assert.equal(requested[0]!.outcome, 'success');
    assert.equal(requested[0]!.actor, null, 'the person who asked proved nothing');
    assert.deepEqual(requested[0]!.details, { ip: '127.0.0.1', link_id: link.details.link_id });
    assert.equal(requested[0]!.sourceIp, '127.0.0.1');
    const token = new URL(url).pathname.split('/').pop()!;
    const everything = JSON.stringify(await s.server.context.audit.tail({ limit: 1000 }));
    assert.ok(!everything.includes(token), 'no audit event carries the token');
    assert.ok(!everything.includes(user.login.toUpperCase()), 'nor the login as typed');
  });

  it('a new request ends the link sent before it', async () => {
    const user = await newUser(s);
    const box = mailbox(s.server);
    const seen = box.files().length;
    await ask(s, user.login);
    await s.server.context.passwordRecovery.settled();
    await ask(s, user.phone);
    await s.server.context.passwordRecovery.settled();
    const [first, second, ...more] = box.since(seen).map((m) => linkIn(plainText(m)));
    assert.ok(first && second && more.length === 0);
    assert.notEqual(first, second);
    const old = await new FormsAgent(s.issuer).follow(first);
    assert.equal(old.status, 410);
    assert.match(old.html, /a newer one has been issued/);
    assert.equal((await new FormsAgent(s.issuer).follow(second)).status, 200);
  });

  it('a disabled account is answered the same and gets nothing; the request is audited as refused', async () => {
    const user = await newUser(s);
    await s.server.context.accounts.disable(user.id, 'admin-cli');
    const box = mailbox(s.server);
    const seen = box.files().length;
    const { res } = await ask(s, user.login);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/account/forgot-password/sent?lang=en');
    await s.server.context.passwordRecovery.settled();
    assert.deepEqual(box.since(seen), []);
    const requested = (await s.server.context.audit.tail({ type: 'account.password_reset_requested' })).filter((e) => e.accountId === user.id);
    assert.deepEqual(requested.map((e) => [e.outcome, e.details.reason]), [['failure', 'disabled']]);
  });

  it('the link expires', async () => {
    const user = await newUser(s);
    const box = mailbox(s.server);
    const seen = box.files().length;
    await ask(s, user.phone);
    await s.server.context.passwordRecovery.settled();
    const url = linkIn(plainText(box.since(seen)[0]!));
    await s.server.context.db.updateTable('password_link').set({ expires_at: Date.now() - 1 }).where('account_id', '=', user.id).execute();
    const page = await new FormsAgent(s.issuer).follow(url);
    assert.equal(page.status, 410);
    assert.match(page.html, /ERR_PASSWORD_LINK_EXPIRED/);
  });

  it('an unknown login is answered exactly as a known one, and nothing is sent', async () => {
    const known = await newUser(s);
    const box = mailbox(s.server);
    const seen = box.files().length;
    const a = await ask(s, 'nobody-here@example.com');
    const b = await ask(s, known.login);
    assert.equal(a.res.status, b.res.status);
    assert.equal(a.res.headers.get('location'), b.res.headers.get('location'));
    const strip = (h: Headers) => [...h.entries()].filter(([k]) => !['date', 'set-cookie', 'x-request-id', 'content-length'].includes(k)).sort();
    assert.deepEqual(strip(a.res.headers), strip(b.res.headers));
    assert.equal(await a.res.text(), await b.res.text());
    await s.server.context.passwordRecovery.settled();
    const sent = box.since(seen);
    assert.equal(sent.length, 1, 'only the known login got a message');
    assert.match(sent[0]!, new RegExp(`^To: ${known.login.replace(/[.+]/g, '\\$&')}$`, 'm'));
    const pages = await Promise.all([a, b].map((r) => new FormsAgent(s.issuer).follow(r.res.headers.get('location')!)));
    assert.equal(pages[0]!.status, 200);
    assert.equal(pages[0]!.html, pages[1]!.html, 'the "check your e-mail" page is the same');
    assert.match(pages[0]!.html, /If an account with this login exists/);
    const events = await s.server.context.audit.tail({ type: 'account.password_reset_requested', limit: 1000 });
    assert.ok(events.every((e) => e.accountId !== null), 'a login that names no account is not recorded');
    assert.ok(!JSON.stringify(events).includes('nobody-here'));
  });

  it('requests count against the sign-in limits: 429 with Retry-After and the wait named', async () => {
    const user = await newUser(s);
    for (let i = 0; i < 3; i++) assert.equal((await ask(s, user.login)).res.status, 303);
    const { res } = await ask(s, user.login);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 0);
    assert.match(await res.text(), /Too many requests\. Try again in \d+ (minutes?|seconds?)\./);
    // The same login written another way is the same counter.
    assert.equal((await ask(s, user.login.toUpperCase())).res.status, 429);
  });

  if (options.browser) {
    it('the pages in Chromium (ru, en; 1280 and 390 px; axe-core)', async () => {
      const user = await newUser(s);
      const context = await browser!.newContext({ locale: 'ru-RU' });
      const page = await context.newPage();
      await page.goto(`${s.issuer}/account`);
      await page.getByRole('link', { name: 'Забыли пароль?' }).click();
      await page.waitForURL((u) => u.pathname === '/account/forgot-password');
      await capture(page, dir, 'forgot-password');
      await page.fill('#login', user.login);
      await page.getByRole('button', { name: 'Прислать ссылку' }).click();
      await page.waitForURL((u) => u.pathname === '/account/forgot-password/sent');
      assert.match(await page.locator('main').innerText(), /Ссылка действует 24 часа и работает один раз/);
      await s.server.context.passwordRecovery.settled();
      const box = mailbox(s.server);
      const url = linkIn(plainText(box.since(box.files().length - 1)[0]!));
      assert.ok(url.endsWith('?lang=ru'));
      await capture(page, dir, 'forgot-password-sent');

      // The e-mailed link, in the same browser: a new password, then signing in with it.
      await page.goto(url);
      assert.ok((await page.locator('.account-chip').innerText()).includes(user.login));
      await page.fill('#new-password', 'пароль из письма 2026');
      await page.fill('#confirm-password', 'пароль из письма 2026');
      await page.locator('form[action*="/account/set-password/"] button[type="submit"]').click();
      await page.locator('.card__badge--success').waitFor();
      assert.match(await page.locator('h1').innerText(), /Пароль задан/);
      await page.locator('a[href="/account"]').click();
      await page.locator('#password').waitFor();
      await page.fill('#login', user.login);
      await page.fill('#password', 'пароль из письма 2026');
      await page.locator('#password').press('Enter');
      await page.waitForURL((u) => u.pathname === '/account');
      await page.locator('form[action^="/account/password"]').waitFor();
      await context.close();
    });
  }
}

describe('forgot password: sqlite', () => {
  scenarios(async () => ({ env: {}, cleanup: async () => {} }), { browser: true });
});

describePostgres('forgot password: postgres', () => {
  scenarios(async () => {
    const schema = await createTestSchema();
    return { env: { DATABASE_URL: schema.url }, cleanup: () => schema.drop() };
  }, { browser: false });
});

describe('forgot password: limits per address', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ PROPUSK_SIGN_IN_DELAY_MS: '0', PROPUSK_SIGN_IN_ATTEMPTS_PER_IP: '3' });
  });
  after(() => server?.stop());

  it('many logins asked from one address are throttled: 429 with Retry-After, whichever login comes next', async () => {
    const { account } = await createUser(server.context);
    const s = { issuer: server.issuer } as CodeFlowSetup;
    for (let i = 0; i < 3; i++) assert.equal((await ask(s, `probe-${i}@example.com`)).res.status, 303);
    for (const login of ['probe-9@example.com', account.login]) {
      const { res } = await ask(s, login);
      assert.equal(res.status, 429, login);
      assert.ok(Number(res.headers.get('retry-after')) > 0);
      assert.match(await res.text(), /Too many requests\. Try again in \d+ (minutes?|seconds?|hours?)\./);
    }
    await server.context.passwordRecovery.settled();
    const events = await server.context.audit.tail({ type: 'account.password_reset_requested' });
    assert.ok(!events.some((e) => e.accountId === account.id), 'a refused request sends nothing');
  });
});

describe('forgot password: transports', () => {
  it('SMTP: the message arrives at a real SMTP server, with the link; the answer does not wait for it', async () => {
    const received: { from: string; to: string[]; raw: string }[] = [];
    // The server holds every message until the test lets it through: an answer that waited for the mail would never come.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          void gate.then(() => callback());
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const server = await startTestServer({ PROPUSK_MAIL_TRANSPORT: 'smtp', PROPUSK_SMTP_URL: `smtp://127.0.0.1:${port}`, PROPUSK_MAIL_FROM: 'Propusk <id@example.ru>' });
    try {
      const { account } = await createUser(server.context);
      const agent = new FormsAgent(server.issuer);
      const page = await agent.follow('/account/forgot-password?lang=ru');
      const form = formOf(page.html, '/account/forgot-password');
      const answer = agent.request(form.action, { form: { csrf: form.csrf, login: account.login } });
      const held = await Promise.race([answer, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 10_000).unref())]);
      release();
      assert.notEqual(held, 'still waiting', 'the answer waited for the SMTP server');
      const res = await answer;
      assert.equal(res.status, 303, 'answered while the SMTP server still holds the message');
      await server.context.passwordRecovery.settled();
      assert.equal(received.length, 1);
      assert.match(received[0]!.raw, new RegExp(`^To: ${account.login.replace(/[.+]/g, '\\$&')}$`, 'm'));
      assert.match(received[0]!.raw, /^From: Propusk <id@example\.ru>$/m);
      assert.match(received[0]!.raw, /^Content-Type: text\/html/m, 'an HTML part too');
      assert.equal(received[0]!.from, 'id@example.ru');
      assert.deepEqual(received[0]!.to, [account.login]);
      assert.match(received[0]!.raw, /^Subject: =\?UTF-8\?/m, 'a Russian subject, encoded');
      const subject = /^Subject: (.*(?:\n[ \t].*)*)/m.exec(received[0]!.raw.replace(/\r\n/g, '\n'))![1]!;
      const decoded = subject.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, enc: string, text: string) =>
        enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
      assert.equal(decoded.trim(), 'Новый пароль для Пропуска');
      assert.match(received[0]!.raw, /^Content-Language: ru$/m);
      const url = linkIn(plainText(received[0]!.raw));
      assert.ok(url.startsWith(`${server.issuer}/account/set-password/`) && url.endsWith('?lang=ru'), url);
    } finally {
      await server.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('dev: the log names the file and the recipient, never the link', async () => {
    const logs: string[] = [];
    const server = await startTestServer({ PROPUSK_LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => void logs.push(line) } });
    try {
      const { account } = await createUser(server.context);
      const agent = new FormsAgent(server.issuer);
      const page = await agent.follow('/account/forgot-password?lang=en');
      const form = formOf(page.html, '/account/forgot-password');
      assert.equal((await agent.request(form.action, { form: { csrf: form.csrf, login: account.login } })).status, 303);
      await server.context.passwordRecovery.settled();
      const line = logs.map((l) => JSON.parse(l) as { msg: string; mail?: { to: string; file: string } }).find((l) => l.msg.startsWith('e-mail written to a file'));
      assert.ok(line?.mail, logs.join(''));
      assert.equal(line.mail.to, account.login);
      assert.ok(line.mail.file.startsWith(join(server.dir, 'mail')) && line.mail.file.endsWith('.eml'));
      const token = new URL(linkIn(plainText(readFileSync(line.mail.file, 'utf8')))).pathname.split('/').pop()!;
      assert.deepEqual(logs.filter((l) => l.includes(token)), []);
    } finally {
      await server.stop();
    }
  });

  it('SMTP: a refused message is logged and audited as not sent, without the SMTP password or the link', async () => {
    const raw: string[] = [];
    const smtp = new SMTPServer({
      allowInsecureAuth: true,
      disabledCommands: ['STARTTLS'],
      onAuth(auth, _session, callback) {
        callback(null, auth.username === 'propusk' && auth.password === 'Sekr3t-pa55' ? { user: 'propusk' } : undefined);
      },
      onData(stream, _session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          raw.push(Buffer.concat(chunks).toString('utf8'));
          callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 550 }));
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    const logs: string[] = [];
    const server = await startTestServer(
      { PROPUSK_LOG_LEVEL: 'info', PROPUSK_MAIL_TRANSPORT: 'smtp', PROPUSK_SMTP_URL: `smtp://propusk:Sekr3t-pa55@127.0.0.1:${port}` },
      { logStream: { write: (line: string) => void logs.push(line) } },
    );
    try {
      const { account } = await createUser(server.context);
      const agent = new FormsAgent(server.issuer);
      const page = await agent.follow('/account/forgot-password?lang=en');
      const form = formOf(page.html, '/account/forgot-password');
      assert.equal((await agent.request(form.action, { form: { csrf: form.csrf, login: account.login } })).status, 303, 'the same answer');
      await server.context.passwordRecovery.settled();
      assert.equal(raw.length, 1, 'the server authenticated and received the message');
      const token = new URL(linkIn(plainText(raw[0]!))).pathname.split('/').pop()!;
      assert.ok(logs.some((l) => l.includes('password recovery: the link could not be sent') && l.includes('mailbox unavailable')), logs.join(''));
      assert.deepEqual(logs.filter((l) => l.includes('Sekr3t-pa55') || l.includes(token)), []);
      const requested = (await server.context.audit.tail({ type: 'account.password_reset_requested' })).filter((e) => e.accountId === account.id);
      assert.deepEqual(requested.map((e) => [e.outcome, e.details.reason]), [['failure', 'not_sent']]);
    } finally {
      await server.stop();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });

  it('without a mail transport, no link is offered and the page says whom to ask', async () => {
    const server = await startTestServer({ PROPUSK_MAIL_TRANSPORT: 'off' });
    try {
      const agent = new FormsAgent(server.issuer);
      const signIn = await agent.follow('/account?lang=en');
      assert.doesNotMatch(signIn.html, /data-forgot-password/);
      const page = await agent.follow('/account/forgot-password?lang=en');
      assert.equal(page.status, 200);
      assert.match(page.html, /Password recovery by e-mail is not available here\. Ask an administrator/);
      assert.doesNotMatch(page.html, /<form[^>]*forgot-password/);
      const csrf = formOf(signIn.html, '/account/sign-in').csrf;
      const posted = await agent.request('/account/forgot-password?lang=en', { form: { csrf, login: 'someone@example.com' } });
      assert.equal(posted.status, 404);
      assert.match(await posted.text(), /Ask an administrator/);

      const browser = await launch();
      try {
        const tab = await (await browser.newContext()).newPage();
        await tab.goto(`${server.issuer}/account/forgot-password?lang=ru`);
        assert.match(await tab.locator('main').innerText(), /Восстановить пароль по почте здесь нельзя/);
        await capture(tab, screenshotDir(), 'forgot-password-unavailable');
      } finally {
        await browser.close();
      }
    } finally {
      await server.stop();
    }
  });
});
