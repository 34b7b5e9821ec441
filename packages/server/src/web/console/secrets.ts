/**
 * The console's secrets, shown once (post/redirect/get, web/shared/one-time-secret.ts): the POST
 * creates the secret through its operation and keeps it for the page that shows it; that GET page
 * shows it while the cookie lasts (a reload shows the same secret and creates nothing) and answers
 * 410 once the operator has left it.
 */
import { secretPage, type ConsoleProblem, type ConsoleSection, type SecretPageParams } from '../../views/index.ts';
import { REFUSALS, refuse } from '../shared/refusal.ts';
import { attempt, chrome, render, seeOther, type ConsoleRequest } from './page.ts';

type Kept = Record<string, string | null>;

/**
 * Runs `create` (a refusal goes to `onProblem`, which shows the form again); keeps the secret it
 * answers for its page and sends the browser there.
 */
export async function createSecret<T>(
  req: ConsoleRequest,
  create: () => Promise<T>,
  onProblem: (problem: ConsoleProblem) => Promise<void> | void,
  keep: (created: T) => { page: string; secret: string; values?: Kept },
): Promise<void> {
  let created: T | undefined;
  const ok = await attempt(
    req,
    async () => {
      created = await create();
    },
    onProblem,
  );
  if (!ok || created === undefined) return;
  const { page, secret, values } = keep(created);
  req.deps.secrets.keep(req.ctx, { page, sid: req.session!.sid, values: { ...values, secret } });
  seeOther(req, page);
}

/** The one-time page at `page`: the kept secret with what `describe` says of it, or 410 when it is gone. */
export async function showSecret(
  req: ConsoleRequest,
  where: { page: string; backHref: string; section: ConsoleSection },
  describe: (kept: Kept) => Promise<Pick<SecretPageParams, 'title' | 'lead' | 'secretLabel' | 'details'>> | Pick<SecretPageParams, 'title' | 'lead' | 'secretLabel' | 'details'>,
): Promise<void> {
  const kept = req.deps.secrets.read(req.ctx, where.page, req.session?.sid);
  if (!kept?.secret) return refuse(req.ctx, REFUSALS.secretShown, { locale: req.locale, homeHref: where.backHref });
  render(req, secretPage({ ...chrome(req, where.section), ...(await describe(kept)), secret: kept.secret, backHref: where.backHref }));
}
