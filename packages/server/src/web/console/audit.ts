/**
 * The audit log in the console: filters by type (or prefix), actor, client, account and time, with
 * paging (listAuditEvents), and the matching events as an NDJSON download (exportAuditEvents).
 */
import type { Readable } from 'node:stream';
import { AUDIT_FILTERS, consoleAuditPage, type ConsoleAuditEvent, type ConsoleProblem } from '../../views/index.ts';
import { invokeWithInput } from '../admin-api/operation.ts';
import { Problem } from '../admin-api/problem.ts';
import { attempt, chrome, may, queryOf, render, withQuery, type ConsoleRequest } from './page.ts';
import { listPage, type ListPage } from './lists.ts';
import { consolePaths } from './paths.ts';

/** A date alone (`2026-03-01`) is the start of that day in UTC; anything else goes as typed. */
const isoOf = (value: string | undefined): string | undefined => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);

/** The time filters of the request, as the operation takes them. */
function times(req: ConsoleRequest): Record<string, string> {
  const q = queryOf(req, ['since', 'until']);
  const since = isoOf(q.since);
  const until = isoOf(q.until);
  return { ...(since ? { since } : {}), ...(until ? { until } : {}) };
}

/** GET /console/audit */
export async function auditPage(req: ConsoleRequest): Promise<void> {
  let page: ListPage<ConsoleAuditEvent> | undefined;
  let problem: ConsoleProblem | undefined;
  await attempt(
    req,
    async () => {
      page = await listPage<ConsoleAuditEvent>(req, 'listAuditEvents', consolePaths.audit, AUDIT_FILTERS, times(req));
    },
    (p) => {
      problem = p;
    },
  );
  const filters = Object.fromEntries(AUDIT_FILTERS.flatMap((f) => (typeof req.ctx.query[f] === 'string' ? [[f, req.ctx.query[f] as string]] : [])));
  render(
    req,
    consoleAuditPage({
      ...chrome(req, 'audit'),
      events: page?.items ?? [],
      filters,
      action: consolePaths.audit,
      next: page?.next,
      first: page?.first,
      exportHref: may(req, 'exportAuditEvents') && !problem ? withQuery(consolePaths.auditExport, queryOf(req, AUDIT_FILTERS)) : undefined,
      problem,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/audit/export — the events of the filters as an NDJSON file, oldest first. */
export async function auditExport(req: ConsoleRequest): Promise<void> {
  const op = req.deps.operations.find((o) => o.id === 'exportAuditEvents');
  if (!op) throw new Problem('not-found', 'this server has no audit export');
  const { result, input } = await invokeWithInput(op, { app: req.deps.app, operator: req.operator! }, { query: { ...queryOf(req, AUDIT_FILTERS), ...times(req) } });
  req.ctx.status = 200;
  if (op.attachment) req.ctx.attachment(op.attachment(input as never));
  req.ctx.type = 'application/x-ndjson';
  req.ctx.body = result as Readable;
}
