/** Signing keys: the list (listSigningKeys) and rotation (rotateSigningKey) through its confirmation page. */
import { confirmPage, consoleSigningKeysPage, t, type ConsoleSigningKey } from '../../views/index.ts';
import { call, chrome, may, render, seeOther, type ConsoleRequest } from './page.ts';
import { listPage } from './lists.ts';
import { consolePaths } from './paths.ts';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

/** GET /console/signing-keys */
export async function signingKeysPage(req: ConsoleRequest): Promise<void> {
  const list = await listPage<ConsoleSigningKey>(req, 'listSigningKeys', consolePaths.signingKeys, []);
  const rotated = typeof req.ctx.query.rotated === 'string' ? req.ctx.query.rotated : undefined;
  render(
    req,
    consoleSigningKeysPage({
      ...chrome(req, 'signingKeys'),
      keys: list.items,
      next: list.next,
      first: list.first,
      rotateHref: may(req, 'rotateSigningKey') ? consolePaths.rotate : undefined,
      rotated,
    }),
  );
}

/** GET /console/signing-keys/rotate — the confirmation. */
export async function rotatePage(req: ConsoleRequest): Promise<void> {
  const keys = await call<Page<ConsoleSigningKey>>(req, 'listSigningKeys', { query: { limit: '200' } });
  // One current key per algorithm in use (RS256, and ES256 / EdDSA once an API uses them).
  const current = keys.items.filter((k) => k.signing);
  const { locale } = req;
  render(
    req,
    confirmPage({
      ...chrome(req, 'signingKeys'),
      title: t(locale, 'console.rotate.title'),
      lead: t(locale, 'console.rotate.lead'),
      details: current.length ? current.map((k) => [`${t(locale, 'console.rotate.current')} (${k.alg})`, k.kid]) : [[t(locale, 'console.rotate.current'), t(locale, 'console.none')]],
      warning: t(locale, 'console.rotate.warning', { hours: Math.round(req.deps.app.config.keyOverlapSeconds / 360) / 10 }),
      action: consolePaths.rotate,
      confirmLabel: t(locale, 'console.rotate.confirm'),
      cancelHref: consolePaths.signingKeys,
    }),
  );
}

/** POST /console/signing-keys/rotate (`confirm=yes`) */
export async function rotate(req: ConsoleRequest): Promise<void> {
  if (req.form.get('confirm') !== 'yes') return seeOther(req, consolePaths.rotate);
  const result = await call<{ kid: string; keys: { kid: string; alg: string }[] }>(req, 'rotateSigningKey');
  seeOther(req, `${consolePaths.signingKeys}?rotated=${encodeURIComponent(result.keys.map((k) => k.kid).join(', '))}`);
}
