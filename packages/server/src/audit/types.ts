/** Audit events: who did what, when, with what outcome — never secrets. */
export interface AuditEvent {
  id?: number;
  at: Date;
  type: string;
  actor: string | null;
  clientId: string | null;
  accountId: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
}

export interface AuditRepository {
  append(event: AuditEvent): Promise<void>;
  tail(filter: { since?: Date; type?: string; limit?: number }): Promise<AuditEvent[]>;
}

/** Records audit events; the implementation also writes them to the log. */
export interface AuditLog {
  record(event: Omit<AuditEvent, 'at' | 'id' | 'actor' | 'clientId' | 'accountId' | 'details' | 'outcome'> & Partial<AuditEvent>): Promise<void>;
}
