/**
 * Records audit events in storage and in the log. Callers pass no secrets; details are plain facts.
 * The source is the client IP of the request being served; unauthenticated failures are counted
 * per source, kind and window rather than stored one per row (audit/aggregation.ts).
 */
import type { AuditEvent, AuditFilter, AuditLog, AuditRecord, AuditRepository } from './types.ts';
import type { Logger } from '../logger.ts';
import { currentRequest } from '../shared/request-scope.ts';
import { aggregateKey } from './aggregation.ts';

/** Client IP of the request being served (Koa's `ctx.ip`, which honours the trusted-proxy setting). */
function requestIp(): string | null {
  const ip = currentRequest()?.ip;
  return typeof ip === 'string' && ip !== '' ? ip : null;
}

export class AuditService implements AuditLog {
  constructor(private readonly repo: AuditRepository, private readonly logger: Logger) {}

  async record(e: AuditRecord): Promise<void> {
    const event: AuditEvent = {
      at: new Date(),
      type: e.type,
      actor: e.actor ?? null,
      clientId: e.clientId ?? null,
      accountId: e.accountId ?? null,
      outcome: e.outcome ?? 'success',
      details: (e.details ?? {}) as Record<string, unknown>,
      sourceIp: e.sourceIp ?? requestIp(),
    };
    this.logger.info({ audit: { ...event, at: event.at.toISOString() } }, `audit ${event.type}`);
    await this.repo.append(event, e.authenticated === true ? undefined : aggregateKey(event));
  }

  tail(filter: { since?: Date; type?: string; limit?: number }): Promise<AuditEvent[]> {
    return this.repo.tail(filter);
  }

  /** Events matching `filter`, newest first, `limit` after the event `beforeId` (a page). */
  page(filter: AuditFilter, limit: number, beforeId?: number): Promise<AuditEvent[]> {
    return this.repo.find(filter, { order: 'desc', beforeId, limit });
  }

  /**
   * Every event matching `filter`, oldest first, read `batch` rows at a time (an export of any size
   * in bounded memory). The log as it is when the export starts: events appended meanwhile are left
   * for the next export (on a busy server they could otherwise keep a slow download from ending).
   */
  async *export(filter: AuditFilter, batch = 500): AsyncGenerator<AuditEvent> {
    const [newest] = await this.repo.find({}, { order: 'desc', limit: 1 });
    if (newest === undefined) return;
    let afterId: number | undefined;
    for (;;) {
      const rows = await this.repo.find(filter, { order: 'asc', afterId, throughId: newest.id, limit: batch });
      yield* rows;
      if (rows.length < batch) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }
}
