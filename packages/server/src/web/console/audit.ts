/** The audit log in the console (listAuditEvents): filters by type, actor, client, account and time, with paging. */
import { AUDIT_FILTERS, consoleAuditPage, type ConsoleAuditEvent, type ConsoleProblem } from '../../views/index.ts';
import { attempt, chrome, render, type ConsoleRequest } from './page.ts';
import { listPage, type ListPage } from './lists.ts';
import { consolePaths } from './paths.ts';

/** A date alone (`2026-03-01`) is the start of that day in UTC; anything else goes as typed. */
const isoOf = (value: string | undefined): string | undefined => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);

/** GET /console/audit */
export async function auditPage(req: ConsoleRequest): Promise<void> {
  let page: ListPage<ConsoleAuditEvent> | undefined;
  let problem: ConsoleProblem | undefined;
  const since = typeof req.ctx.query.since === 'string' ? isoOf(req.ctx.query.since.trim()) : undefined;
  const until = typeof req.ctx.query.until === 'string' ? isoOf(req.ctx.query.until.trim()) : undefined;
  await attempt(
    req,
    async () => {
      page = await listPage<ConsoleAuditEvent>(req, 'listAuditEvents', consolePaths.audit, AUDIT_FILTERS, { ...(since ? { since } : {}), ...(until ? { until } : {}) });
    },
    (p) => {
      problem = p;
    },
  );
  const filters = Object.fromEntries(AUDIT_FILTERS.flatMap((f) => (typeof req.ctx.query[f] === 'string' ? [[f, req.ctx.query[f] as string]] : [])));
  render(
    req,
    consoleAuditPage({ ...chrome(req, 'audit'), events: page?.items ?? [], filters, action: consolePaths.audit, next: page?.next, first: page?.first, problem }),
    problem?.status ?? 200,
  );
}
