/**
 * Which audit events are counted rather than stored one per row: failures with no signed-in
 * account and no authenticated client (unauthenticated noise anyone can send) of one kind (event
 * type, `details.rule` or `details.reason`, registered client id if any) from one client IP address
 * within a fixed window (aligned to the clock) share one row whose `count` grows; the row keeps the
 * first event's details, `at` (first) and `last_at` (last). Every other event is
 * one row. Rows per source and kind are at most one per window, however many requests come.
 */
import type { AuditEvent } from './types.ts';

/** Length of an aggregation window: 10 minutes. */
export const AUDIT_AGGREGATION_WINDOW_MS = 10 * 60 * 1000;

/** `details` members that name the kind of a failure (stable codes, not input). */
const KIND_MEMBERS = ['rule', 'reason'] as const;

function kindOf(details: Record<string, unknown>): string {
  for (const member of KIND_MEMBERS) {
    const value = details[member];
    if (typeof value === 'string') return value.slice(0, 64);
  }
  return '';
}

/** The row an event is counted in, or undefined when it is stored on its own. */
export function aggregateKey(event: AuditEvent, windowMs = AUDIT_AGGREGATION_WINDOW_MS): string | undefined {
  if (event.outcome !== 'failure' || event.accountId !== null || !event.sourceIp) return undefined;
  const window = Math.floor(event.at.getTime() / windowMs);
  return [event.type.slice(0, 64), event.outcome, kindOf(event.details), (event.clientId ?? '').slice(0, 80), event.sourceIp.slice(0, 64), window].join('|');
}
