/** API resources in the console: the list (listResources) and creating one (createResource), its introspection secret shown once. */
import { consoleApisPage, t, type ConsoleApi, type ConsoleProblem } from '../../views/index.ts';
import { call, chrome, may, render, type ConsoleRequest } from './page.ts';
import { createSecret, showSecret } from './secrets.ts';
import { listPage } from './lists.ts';
import { consolePaths } from './paths.ts';
import { SIGNING_ALGS } from '../../keys/types.ts';

const FIELDS = ['scope', 'name', 'indicator', 'access_token_format', 'access_token_signing_alg', 'access_token_ttl'] as const;

async function show(req: ConsoleRequest, values?: Record<string, string>, problem?: ConsoleProblem): Promise<void> {
  const list = await listPage<ConsoleApi>(req, 'listResources', consolePaths.apis, []);
  render(
    req,
    consoleApisPage({
      ...chrome(req, 'apis'),
      apis: list.items,
      next: list.next,
      first: list.first,
      createAction: may(req, 'createResource') ? consolePaths.apis : undefined,
      signingAlgs: SIGNING_ALGS,
      values,
      problem,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/apis */
export const apisPage = (req: ConsoleRequest): Promise<void> => show(req);

/** POST /console/apis: creates the API and sends the browser to the page that shows its introspection secret once. */
export async function createApi(req: ConsoleRequest): Promise<void> {
  const values = Object.fromEntries(FIELDS.map((f) => [f, (req.form.get(f) ?? '').trim()]));
  const ttl = values.access_token_ttl;
  const body = {
    scope: values.scope,
    name: values.name,
    ...(values.indicator ? { indicator: values.indicator } : {}),
    ...(values.access_token_format ? { access_token_format: values.access_token_format } : {}),
    // The algorithm only with JWT access tokens: opaque ones are not signed.
    ...(values.access_token_format === 'jwt' && values.access_token_signing_alg ? { access_token_signing_alg: values.access_token_signing_alg } : {}),
    // A number when it is one; anything else goes as typed, for the operation to refuse.
    ...(ttl ? { access_token_ttl: /^\d{1,12}$/.test(ttl) ? Number(ttl) : ttl } : {}),
  };
  await createSecret(
    req,
    () => call<ConsoleApi & { api_key: string; introspection_client_id: string }>(req, 'createResource', { body }),
    (problem) => show(req, values, problem),
    (created) => ({ page: consolePaths.createdApi(created.scope), secret: created.api_key, values: { indicator: created.indicator, clientId: created.introspection_client_id } }),
  );
}

/** GET /console/apis/:scope/created — the introspection secret, shown while its one-time cookie lasts. */
export function createdApiPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const scope = p.scope!;
  const { locale } = req;
  return showSecret(req, { page: consolePaths.createdApi(scope), backHref: consolePaths.apis, section: 'apis' }, (kept) => ({
    title: t(locale, 'console.apis.createdTitle'),
    lead: t(locale, 'console.apis.createdLead', { scope }),
    secretLabel: t(locale, 'console.apis.secret'),
    details: [
      [t(locale, 'console.apis.scope'), scope],
      [t(locale, 'console.apis.indicator'), kept.indicator ?? t(locale, 'console.none')],
      [t(locale, 'console.apis.introspection'), kept.clientId ?? t(locale, 'console.none')],
    ],
  }));
}
