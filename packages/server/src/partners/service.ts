// PartnerKeyService: register, list and remove the keys with which a partner signs trusted-grant
// JWTs. Every change is announced on the ChangeFeed ('client' topic) so cached keys are dropped
// in every process, and audited here.
import type { AuditActor, AuditLog } from '../audit/types.ts';
import type { ClientRepository } from '../clients/types.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { parsePartnerKey } from './parse-key.ts';
import type { PartnerKey, PartnerKeyRepository } from './types.ts';

export interface PartnerKeyServiceDeps {
  keys: PartnerKeyRepository;
  clients: ClientRepository;
  changes: ChangeFeed;
  audit: AuditLog;
  /** Default: `() => new Date()`. */
  now?: () => Date;
}

export class PartnerKeyService {
  constructor(private readonly deps: PartnerKeyServiceDeps) {}

  async #confidentialClient(clientId: string): Promise<void> {
    const client = await this.deps.clients.find(clientId);
    if (!client) throw notFound(`client ${clientId}`);
    if (client.public) throw invalid(`client ${clientId} is public; only a client with an api-key can use the trusted grant`);
  }

  /**
   * Parses `input` (PEM certificate, PEM public key, JWK or JWKS) and registers every key in it.
   * Each key is audited as `partner_key.added`; `actor` null (seeded data: fixtures, benchmarks) records nothing.
   * @throws PartnerKeyError for an unacceptable key, DomainError for an unknown client or a kid already registered.
   */
  async add(clientId: string, input: string, actor: AuditActor | null): Promise<PartnerKey[]> {
    await this.#confidentialClient(clientId);
    const now = (this.deps.now ?? (() => new Date()))();
    const parsed = await parsePartnerKey(input, now);
    const existing = await this.deps.keys.listByClient(clientId);
    for (const p of parsed) {
      if (existing.some((k) => k.kid === p.kid)) throw conflict(`client ${clientId} already has a partner key with kid ${p.kid}`);
    }
    const added: PartnerKey[] = [];
    for (const p of parsed) {
      const key: PartnerKey = { id: newId(), clientId, kid: p.kid, publicJwk: p.publicJwk, source: p.source, createdAt: now };
      if (p.x5t !== undefined) key.x5t = p.x5t;
      if (p.x5tS256 !== undefined) key.x5tS256 = p.x5tS256;
      if (p.notBefore !== undefined) key.notBefore = p.notBefore;
      if (p.notAfter !== undefined) key.notAfter = p.notAfter;
      await this.deps.keys.add(key);
      added.push(key);
    }
    await this.deps.changes.publish('client', clientId);
    if (actor !== null) {
      for (const k of added) {
        await this.deps.audit.record({ type: 'partner_key.added', actor, clientId, details: { partner_key_id: k.id, kid: k.kid, source: k.source } });
      }
    }
    return added;
  }

  async list(clientId: string): Promise<PartnerKey[]> {
    if (!(await this.deps.clients.find(clientId))) throw notFound(`client ${clientId}`);
    return this.deps.keys.listByClient(clientId);
  }

  /** Removes a key by its id or by its kid. Audited as `partner_key.removed`. */
  async remove(clientId: string, idOrKid: string, actor: AuditActor): Promise<PartnerKey> {
    const key = (await this.list(clientId)).find((k) => k.id === idOrKid || k.kid === idOrKid);
    if (!key || !(await this.deps.keys.remove(clientId, key.id))) throw notFound(`partner key ${idOrKid} of client ${clientId}`);
    await this.deps.changes.publish('client', clientId);
    await this.deps.audit.record({ type: 'partner_key.removed', actor, clientId, details: { partner_key_id: key.id, kid: key.kid } });
    return key;
  }
}
