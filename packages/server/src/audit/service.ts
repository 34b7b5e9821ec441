/** Records audit events in storage and in the log. Callers pass no secrets; details are plain facts. */
import type { AuditEvent, AuditLog, AuditRepository } from './types.ts';
import type { Logger } from '../logger.ts';

export class AuditService implements AuditLog {
  constructor(private readonly repo: AuditRepository, private readonly logger: Logger) {}

  async record(e: Partial<AuditEvent> & { type: string }): Promise<void> {
    const event: AuditEvent = {
      at: new Date(),
      type: e.type,
      actor: e.actor ?? null,
      clientId: e.clientId ?? null,
      accountId: e.accountId ?? null,
      outcome: e.outcome ?? 'success',
      details: e.details ?? {},
    };
    this.logger.info({ audit: { ...event, at: event.at.toISOString() } }, `audit ${event.type}`);
    await this.repo.append(event);
  }

  tail(filter: { since?: Date; type?: string; limit?: number }): Promise<AuditEvent[]> {
    return this.repo.tail(filter);
  }
}
