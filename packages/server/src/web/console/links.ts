/**
 * The support desk's manual linking (links:read, links:write): find links (listLinks), link a
 * partner's user id to an account (createLink), unlink through a confirmation (removeLink). The
 * partners to choose from are the clients with the `trusted` permission, from the links
 * operations' own data (listLinkPartners), so support staff need no access to the clients API.
 */
import { confirmPage, consoleLinksPage, t, type ConsoleLink, type ConsolePartner, type ConsoleProblem, type MessageKey } from '../../views/index.ts';
import { attempt, call, chrome, hasOperation, may, render, seeOther, withQuery, type ConsoleRequest } from './page.ts';
import { listPage } from './lists.ts';
import { consolePaths, safeConsolePath } from './paths.ts';

const FILTERS = ['client_id', 'service_user_id', 'user'] as const;
const FORM = ['client_id', 'service_user_id', 'user'] as const;

const DONE: Record<string, MessageKey> = { linked: 'console.links.done.linked', unlinked: 'console.links.done.unlinked' };

async function show(req: ConsoleRequest, values: Record<string, string>, problem?: ConsoleProblem): Promise<void> {
  const page = await listPage<ConsoleLink>(req, 'listLinks', consolePaths.links, FILTERS);
  const partners = hasOperation(req, 'listLinkPartners') ? (await call<{ items: ConsolePartner[] }>(req, 'listLinkPartners', { query: { limit: '200' } })).items : [];
  const here = withQuery(consolePaths.links, page.filters);
  // The links name accounts by id: their logins, for the people reading the page.
  const logins = new Map<string, string>();
  if (may(req, 'getUser')) {
    for (const accountId of new Set(page.items.map((l) => l.account_id))) {
      logins.set(accountId, (await call<{ login: string }>(req, 'getUser', { params: { id: accountId } })).login);
    }
  }
  const done = typeof req.ctx.query.done === 'string' ? DONE[req.ctx.query.done] : undefined;
  render(
    req,
    consoleLinksPage({
      ...chrome(req, 'links'),
      links: page.items.map((l) => ({
        ...l,
        login: logins.get(l.account_id),
        unlinkHref: may(req, 'removeLink') ? withQuery(consolePaths.unlink(l.client_id, l.service_user_id), { back: here }) : undefined,
        userHref: may(req, 'getUser') ? consolePaths.user(l.account_id) : undefined,
      })),
      filters: page.filters,
      action: consolePaths.links,
      next: page.next,
      first: page.first,
      partners,
      linkAction: may(req, 'createLink') ? consolePaths.links : undefined,
      values,
      done,
      problem,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/links (`?client_id=&service_user_id=&user=`; the link form is prefilled with them, but after a change) */
export async function linksPage(req: ConsoleRequest): Promise<void> {
  const after = typeof req.ctx.query.done === 'string';
  const prefill = Object.fromEntries(FORM.map((f) => [f, !after && typeof req.ctx.query[f] === 'string' ? (req.ctx.query[f] as string) : '']));
  await show(req, prefill);
}

/** POST /console/links (`client_id`, `service_user_id`, `user`: login or account id) */
export async function createLink(req: ConsoleRequest): Promise<void> {
  const values = Object.fromEntries(FORM.map((f) => [f, (req.form.get(f) ?? '').trim()])) as Record<(typeof FORM)[number], string>;
  const ok = await attempt(
    req,
    () => call(req, 'createLink', { body: values }).then(() => undefined),
    (problem) => show(req, values, problem),
  );
  if (ok) seeOther(req, withQuery(consolePaths.links, { client_id: values.client_id, service_user_id: values.service_user_id, done: 'linked' }));
}

/** Where to go back to after unlinking (`?back=` a console page). */
const backOf = (req: ConsoleRequest): string => safeConsolePath(req.ctx.query.back ?? consolePaths.links);

/** GET /console/links/:clientId/:serviceUserId/remove — the confirmation. */
export async function unlinkPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, serviceUserId } = p as { clientId: string; serviceUserId: string };
  const found = await call<{ items: ConsoleLink[] }>(req, 'listLinks', { query: { client_id: clientId, service_user_id: serviceUserId } });
  const link = found.items.find((l) => l.client_id === clientId && l.service_user_id === serviceUserId);
  const back = backOf(req);
  if (!link) return seeOther(req, back);
  const { locale } = req;
  render(
    req,
    confirmPage({
      ...chrome(req, 'links'),
      title: t(locale, 'console.links.unlinkTitle'),
      lead: t(locale, 'console.links.unlinkLead'),
      details: [
        [t(locale, 'console.links.partner'), link.client_id],
        [t(locale, 'console.links.serviceUserId'), link.service_user_id],
        [t(locale, 'console.links.user'), may(req, 'getUser') ? (await call<{ login: string }>(req, 'getUser', { params: { id: link.account_id } })).login : link.account_id],
      ],
      warning: t(locale, 'console.links.unlinkWarning'),
      action: withQuery(consolePaths.unlink(clientId, serviceUserId), { back }),
      confirmLabel: t(locale, 'console.links.unlink'),
      cancelHref: back,
    }),
  );
}

/** POST /console/links/:clientId/:serviceUserId/remove (`confirm=yes`) */
export async function unlink(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, serviceUserId } = p as { clientId: string; serviceUserId: string };
  const back = backOf(req);
  if (req.form.get('confirm') !== 'yes') return seeOther(req, withQuery(consolePaths.unlink(clientId, serviceUserId), { back }));
  await call(req, 'removeLink', { params: { client_id: clientId, service_user_id: serviceUserId } });
  seeOther(req, `${back}${back.includes('?') ? '&' : '?'}done=unlinked`);
}
