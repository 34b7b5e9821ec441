/**
 * The language of `propusk login`, `token` and `logout`: the terminal's (LC_ALL, then LC_MESSAGES,
 * then LANG, the first one set; `ru…` is Russian, anything else English). The texts live with
 * every other user-visible string in views/i18n; this module also words network failures.
 */
import { t, type MessageParams } from '../views/i18n/t.ts';
import type { MessageKey } from '../views/i18n/ru.ts';
import type { Locale } from '../views/i18n/locale.ts';
import { NetworkError } from './http.ts';

export function terminalLocale(env: NodeJS.ProcessEnv = process.env): Locale {
  const tag = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '') ?? '';
  return /^ru([_.@-]|$)/i.test(tag) ? 'ru' : 'en';
}

export type Say = (key: MessageKey, params?: MessageParams) => string;

export const sayer = (locale: Locale): Say => (key, params) => t(locale, key, params);

const NAMED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
/** OpenSSL's certificate verification codes and Node's TLS ones. */
const CERTIFICATE = /CERT|UNABLE_TO_(GET|VERIFY|DECRYPT)|ERR_TLS_/;

/** Why a connection failed, in a few words: `connection refused`, `host not found`… */
export function networkReason(say: Say, code: string): string {
  const timeout = code === 'UND_ERR_CONNECT_TIMEOUT' ? 'ETIMEDOUT' : code;
  if (NAMED_CODES.has(timeout)) return say(`cli.net.${timeout}` as MessageKey);
  if (SELF_SIGNED.has(code)) return say('cli.net.selfSigned');
  if (CERTIFICATE.test(code)) return say('cli.net.untrusted', { code });
  return say('cli.net.other', { code });
}

/** The one line a failure is reported with, or undefined for an error that is not a network failure. */
export function networkFailure(say: Say, err: unknown): string | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof NetworkError) return say('cli.error.unreachable', { url: e.origin, reason: networkReason(say, e.code) });
  }
  return undefined;
}
