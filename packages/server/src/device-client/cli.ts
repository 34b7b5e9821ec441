/**
 * Argument handling of `propusk login`, `propusk token` and `propusk logout`: help, usage errors,
 * and every failure as one line on standard error in the terminal's language (messages.ts),
 * never a stack trace.
 */
import { parseArgs } from 'node:util';
import { login, DeviceLoginError } from './login.ts';
import { currentToken } from './token.ts';
import { logout } from './logout.ts';
import { configDir, credentialsFile } from './store.ts';
import { browserOpener, openBrowser } from './browser.ts';
import { networkFailure, sayer, terminalLocale, type Say } from './messages.ts';
import type { Locale } from '../views/i18n/locale.ts';

type DeviceCommand = 'login' | 'token' | 'logout';

/** `propusk <command> --help`, with the credentials file at `path` (docs/cli-reference.md shows the default). */
export function deviceCommandHelp(locale: Locale, command: DeviceCommand, path: string): string {
  return `${sayer(locale)(`cli.${command}.help`, { path })}\n`;
}

function fail(message: string, code = 1): number {
  const [, lead = '', text] = /^(\n?)([\s\S]*)$/.exec(message)!;
  process.stderr.write(`${lead}propusk: ${text}\n`);
  return code;
}

/** An error as one line: a connection failure in words, an OAuth error with its description, else its message. */
function describeError(say: Say, err: unknown): string {
  const network = networkFailure(say, err);
  if (network) return network;
  const e = err as { error?: string; error_description?: string; message?: string };
  return e.error ? `${e.error}: ${e.error_description ?? ''}`.trim() : (e.message ?? String(err));
}

export async function runDeviceCommand(command: DeviceCommand, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const locale = terminalLocale(env);
  const say = sayer(locale);
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        issuer: { type: 'string' },
        'client-id': { type: 'string' },
        'client-secret': { type: 'string' },
        scope: { type: 'string' },
        'no-qr': { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        'config-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n${say('cli.error.usage', { command })}`, 2);
  }
  const dir = values['config-dir'] as string | undefined;
  if (values.help) {
    process.stdout.write(deviceCommandHelp(locale, command, credentialsFile(configDir(dir))));
    return 0;
  }
  try {
    if (command === 'token') {
      process.stdout.write(`${await currentToken({ configDir: dir, say })}\n`);
      return 0;
    }
    if (command === 'logout') {
      const r = await logout({ configDir: dir });
      process.stderr.write(`${say(r === 'revoked' ? 'cli.logout.revoked' : 'cli.logout.notSignedIn')}\n`);
      return 0;
    }
    const issuer = values.issuer as string | undefined;
    const clientId = values['client-id'] as string | undefined;
    if (!issuer || !clientId) return fail(`${say('cli.error.required')}\n${say('cli.error.usage', { command })}`, 2);
    // Enter opens the browser only in an interactive terminal with a browser to open.
    const opener = !values['no-browser'] && process.stdin.isTTY && process.stdout.isTTY ? browserOpener(env) : undefined;
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      await login({
        issuer,
        clientId,
        clientSecret: (values['client-secret'] as string | undefined) ?? env.PROPUSK_CLIENT_SECRET,
        scope: (values.scope as string | undefined) ?? 'openid extern.api',
        configDir: dir,
        qr: !values['no-qr'],
        out: process.stderr,
        say,
        signal: controller.signal,
        browser: opener ? { input: process.stdin, open: (url) => openBrowser(opener, url) } : undefined,
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    return 0;
  } catch (err) {
    // Ctrl-C in a terminal leaves the cursor after the echoed ^C: the message starts a new line.
    if (err instanceof DeviceLoginError && err.code === 'cancelled') return fail(`${process.stderr.isTTY ? '\n' : ''}${err.message}`, 130);
    if (err instanceof DeviceLoginError) return fail(err.message);
    return fail(describeError(say, err));
  }
}
