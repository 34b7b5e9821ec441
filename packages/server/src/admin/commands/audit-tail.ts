/**
 * `audit tail`: the newest audit events (oldest first), optionally since a time and of one type.
 * Events carry no secrets. A row that counts repeated failures shows its `count` and its first and
 * last time.
 */
import { command, UsageError, optionalString, table } from '../command.ts';
import type { AuditEvent } from '../../audit/types.ts';
import { parseDuration } from '../../config/duration.ts';

const USAGE = 'audit tail [--since <ISO time | 30s | 10m | 2h | 1d>] [--type <type>] [--limit N] [--json]';
/** Default for --limit. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** `--since`: an ISO 8601 time (`2025-05-01`, `2025-05-01T10:00:00Z`) or an age such as `10m`, `2h`, `1d` before `now`. */
export function parseSince(value: string, now = Date.now()): Date {
  const age = parseDuration(value);
  if (age !== undefined) return new Date(now - age);
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim()) ? Date.parse(value.trim()) : Number.NaN;
  if (Number.isNaN(at)) throw new UsageError(`--since must be an ISO time or an age like 10m, 2h, 1d (got ${JSON.stringify(value)})\nusage: propusk admin ${USAGE}`);
  return new Date(at);
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) throw new UsageError(`--limit must be an integer from 1 to ${MAX_LIMIT}\nusage: propusk admin ${USAGE}`);
  return n;
}

const publicEvent = (e: AuditEvent) => ({
  id: e.id,
  at: e.at.toISOString(),
  type: e.type,
  outcome: e.outcome,
  count: e.count ?? 1,
  first_at: e.at.toISOString(),
  last_at: (e.lastAt ?? e.at).toISOString(),
  source_ip: e.sourceIp ?? null,
  actor: e.actor,
  account_id: e.accountId,
  client_id: e.clientId,
  details: e.details,
});

export const auditTail = command({
  name: 'audit tail',
  summary: `show the newest audit events (default ${DEFAULT_LIMIT}), oldest first`,
  usage: USAGE,
  examples: ["audit tail --since 1h", "audit tail --type login.failed --limit 20 --json"],
  options: {
    since: { type: 'string', description: 'only events since this time: an ISO 8601 time, or an age such as `30s`, `10m`, `2h`, `1d`' },
    type: { type: 'string', description: 'only events of this type (docs/audit-events.md)' },
    limit: { type: 'string', description: `how many events at most, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})` },
  },
  async run(ctx, { values }) {
    const since = optionalString(values, 'since');
    const type = optionalString(values, 'type');
    const events = await ctx.audit.tail({ since: since === undefined ? undefined : parseSince(since), type: type || undefined, limit: parseLimit(optionalString(values, 'limit')) });
    return events.map(publicEvent);
  },
  format: (events) =>
    table(
      events.map((e) => ({ ...e, details: Object.keys(e.details).length ? JSON.stringify(e.details) : null })),
      ['at', 'type', 'outcome', 'actor', 'account_id', 'client_id', 'count', 'last_at', 'source_ip', 'details'],
    ),
});
