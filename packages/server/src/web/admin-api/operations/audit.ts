/**
 * The audit log: filtered pages, newest first, and exports of whole ranges as NDJSON (oldest first,
 * read in batches, so an export of any size holds one batch in memory and stops when the client
 * goes away).
 */
import { Readable } from 'node:stream';
import { z } from 'zod';
import { AUDIT_EVENTS, type AuditEvent, type AuditFilter } from '../../../audit/types.ts';
import { operation } from '../operation.ts';
import { decodeCursor, pageFromRows, pageOf, paginationQuery } from '../pagination.ts';
import { Problem } from '../problem.ts';

const EVENT_TYPES = Object.keys(AUDIT_EVENTS);

const filters = {
  type: z.string().max(100).optional().describe('an event type (`client.created`), or every type of a prefix (`client.` or `client.*`)'),
  actor: z.string().max(250).optional().describe('`admin-cli`, `system`, `account:<id>` or `client:<client_id>`'),
  client_id: z.string().max(200).optional(),
  account_id: z.string().max(200).optional(),
  since: z.iso.datetime({ offset: true }).optional().describe('events at or after this time (ISO 8601)'),
  until: z.iso.datetime({ offset: true }).optional().describe('events before this time (ISO 8601)'),
};

type FilterInput = { type?: string | undefined; actor?: string | undefined; client_id?: string | undefined; account_id?: string | undefined; since?: string | undefined; until?: string | undefined };

/** The repository filter of a request; a 400 for an unknown type or an empty range. */
function filterOf(q: FilterInput): AuditFilter {
  let types: string[] | undefined;
  if (q.type !== undefined) {
    const prefix = q.type.endsWith('.*') ? q.type.slice(0, -1) : q.type.endsWith('.') ? q.type : undefined;
    types = prefix === undefined ? EVENT_TYPES.filter((t) => t === q.type) : EVENT_TYPES.filter((t) => t.startsWith(prefix));
    if (types.length === 0) {
      throw new Problem('invalid-request', `no audit event type ${prefix === undefined ? 'is' : 'starts with'} ${JSON.stringify(prefix ?? q.type)} (see docs/audit-events.md)`, {
        invalid_params: [{ name: 'query.type', reason: 'unknown event type' }],
      });
    }
  }
  const since = q.since === undefined ? undefined : new Date(q.since);
  const until = q.until === undefined ? undefined : new Date(q.until);
  if (since && until && since.getTime() > until.getTime()) {
    throw new Problem('invalid-request', 'since is after until', { invalid_params: [{ name: 'query.since', reason: 'after until' }] });
  }
  return { types, actor: q.actor, clientId: q.client_id, accountId: q.account_id, since, until };
}

export const AuditEventSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime().describe('when it happened; for a row that counts several events, the first of them'),
  type: z.string(),
  actor: z.string().nullable(),
  client_id: z.string().nullable(),
  account_id: z.string().nullable(),
  outcome: z.enum(['success', 'failure']),
  details: z.record(z.string(), z.unknown()),
  source_ip: z.string().nullable(),
  count: z.number().int().describe('how many events the row stands for (repeated failures are counted in one row)'),
  last_at: z.iso.datetime().nullable().describe('the last event a counted row stands for'),
});

export const auditItem = (e: AuditEvent): z.input<typeof AuditEventSchema> => ({
  id: e.id!,
  at: e.at.toISOString(),
  type: e.type,
  actor: e.actor,
  client_id: e.clientId,
  account_id: e.accountId,
  outcome: e.outcome,
  details: e.details,
  source_ip: e.sourceIp ?? null,
  count: e.count ?? 1,
  last_at: e.lastAt?.toISOString() ?? null,
});

/** A bound of the range in the export's file name: UTC in ISO 8601's basic format (`20260301T120000Z`), or `fallback` for none. */
const stamp = (iso: string | undefined, fallback: string) => (iso === undefined ? fallback : new Date(iso).toISOString().replace(/\.000Z$/, 'Z').replace(/[-:]/g, ''));

export const auditOperations = [
  operation({
    id: 'listAuditEvents',
    method: 'get',
    path: '/audit',
    tag: 'audit',
    summary: 'Find audit events, newest first',
    description: 'A row that counts repeated events (from `at` to `last_at`) matches `since` when its last event is at or after it, and `until` when its first event is before it.',
    permission: 'audit:read',
    query: z.strictObject({ ...filters, ...paginationQuery }),
    status: 200,
    response: pageOf(AuditEventSchema),
    async run({ query }, { app }) {
      const filter = filterOf(query);
      const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor, 1)[0];
      if (beforeId !== undefined && (typeof beforeId !== 'number' || !Number.isSafeInteger(beforeId) || beforeId < 1)) throw new Problem('invalid-cursor', 'cursor is not a value of next_cursor');
      const rows = await app.audit.page(filter, query.limit + 1, beforeId);
      return pageFromRows(rows, query.limit, (e) => [e.id!], auditItem);
    },
  }),
  operation({
    id: 'exportAuditEvents',
    method: 'get',
    path: '/audit/export',
    tag: 'audit',
    summary: 'Export every matching audit event as NDJSON, oldest first',
    description:
      'One JSON object per line (the items of `GET /audit`), oldest first, with the same filters and no limit: the whole matching log as it was when the export started, read 500 events at a time. ' +
      'A download the server cannot finish ends without the last chunk of its chunked encoding (never as a short file that looks complete).',
    permission: 'audit:read',
    query: z.strictObject(filters),
    status: 200,
    ndjson: AuditEventSchema,
    attachment: ({ query }) => `propusk-audit-${stamp(query.since, 'start')}-${stamp(query.until, 'now')}.ndjson`,
    async run({ query }, { app }) {
      const filter = filterOf(query);
      const events = app.audit.export(filter);
      return Readable.from(
        (async function* lines() {
          for await (const event of events) yield `${JSON.stringify(AuditEventSchema.parse(auditItem(event)))}\n`;
        })(),
      );
    },
  }),
];
