/** Audit events: who did what, when, with what outcome — never secrets. */
export interface AuditEvent {
  id?: number;
  /** When it happened; for a row that counts several events, the first of them. */
  at: Date;
  type: string;
  actor: string | null;
  clientId: string | null;
  accountId: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
  /** Client IP address of the request the event came from, if any. */
  sourceIp?: string | null;
  /** How many events the row stands for (audit/aggregation.ts); 1 for a single event. */
  count?: number;
  /** The last event a counted row stands for; null for an event stored on its own. */
  lastAt?: Date | null;
}

export interface AuditRepository {
  /** Stores `event`; with `aggregateKey`, counts it in the row of that key (created by the first such event). */
  append(event: AuditEvent, aggregateKey?: string): Promise<void>;
  tail(filter: { since?: Date; type?: string; limit?: number }): Promise<AuditEvent[]>;
}

/** What a caller passes to AuditLog.record besides the event itself. */
export interface AuditRecordOptions {
  /** The actor proved who it is (an authenticated client, a signed-in account): its failures are stored one per row, never counted together. */
  authenticated?: boolean;
}

/** Records audit events; the implementation also writes them to the log. */
export interface AuditLog {
  record(event: Omit<AuditEvent, 'at' | 'id' | 'actor' | 'clientId' | 'accountId' | 'details' | 'outcome'> & Partial<AuditEvent> & AuditRecordOptions): Promise<void>;
}
