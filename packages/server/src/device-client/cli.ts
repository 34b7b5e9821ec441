/** Argument handling of `propusk login`, `propusk token` and `propusk logout`. */
import { parseArgs } from 'node:util';
import { login, DeviceLoginError } from './login.ts';
import { currentToken } from './token.ts';
import { logout } from './logout.ts';

const LOGIN_USAGE = 'usage: propusk login --issuer <url> --client-id <id> [--client-secret <api-key>] [--scope "openid extern.api"] [--no-qr] [--config-dir <dir>]';

function fail(message: string, code = 1): number {
  process.stderr.write(`propusk: ${message}\n`);
  return code;
}

export async function runDeviceCommand(command: 'login' | 'token' | 'logout', argv: string[]): Promise<number> {
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
        'config-dir': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    return fail(`${(err as Error).message}\n${LOGIN_USAGE}`, 2);
  }
  const dir = values['config-dir'] as string | undefined;
  try {
    if (command === 'token') {
      process.stdout.write(`${await currentToken({ configDir: dir })}\n`);
      return 0;
    }
    if (command === 'logout') {
      const r = await logout({ configDir: dir });
      process.stderr.write(r === 'revoked' ? 'Signed out: tokens revoked and deleted.\n' : 'Not signed in.\n');
      return 0;
    }
    const issuer = values.issuer as string | undefined;
    const clientId = values['client-id'] as string | undefined;
    if (!issuer || !clientId) return fail(`--issuer and --client-id are required\n${LOGIN_USAGE}`, 2);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    try {
      await login({
        issuer,
        clientId,
        clientSecret: (values['client-secret'] as string | undefined) ?? process.env.PROPUSK_CLIENT_SECRET,
        scope: (values.scope as string | undefined) ?? 'openid extern.api',
        configDir: dir,
        qr: !values['no-qr'],
        out: process.stderr,
        signal: controller.signal,
      });
    } finally {
      process.off('SIGINT', onSigint);
    }
    return 0;
  } catch (err) {
    if (err instanceof DeviceLoginError) return fail(err.message, err.code === 'cancelled' ? 130 : 1);
    const e = err as { error?: string; error_description?: string; message?: string };
    return fail(e.error ? `${e.error}: ${e.error_description ?? ''}`.trim() : (e.message ?? String(err)));
  }
}
