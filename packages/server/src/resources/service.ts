/** API resource use cases: create (audited) and list, seed the defaults. */
import { DEFAULT_RESOURCES, OIDC_SCOPES, type Resource, type ResourceRepository } from './types.ts';
import { conflict, invalid } from '../shared/errors.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import type { AuditActor, AuditLog } from '../audit/types.ts';
import type { IssuedKey } from '../clients/service.ts';
import { DEFAULT_SIGNING_ALG, SIGNING_ALGS, isSigningAlg, type SigningAlg } from '../keys/types.ts';

const SCOPE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export interface CreateResourceInput {
  scope: string;
  name: string;
  indicator?: string | undefined;
  accessTokenFormat?: string | undefined;
  /** JWT access tokens only: `RS256` (default), `ES256` or `EdDSA`. */
  accessTokenSigningAlg?: string | undefined;
  accessTokenTtl?: number | undefined;
}

export interface ResourceServiceDeps {
  resources: ResourceRepository;
  changes: ChangeFeed;
  /** Creates the client an API uses to call introspection (no grants, an api-key only). */
  createIntrospectionClient(clientId: string, name: string): Promise<void>;
  /** Issues an api-key of an introspection client; not audited on its own (`resource.created` stands for it). */
  issueIntrospectionKey(clientId: string): Promise<IssuedKey>;
  audit: AuditLog;
  /**
   * Makes sure a signing key of `alg` exists before an API needs it (KeyService.ensureSigningKey):
   * adds one when none does, announced so that every instance loads it.
   */
  ensureSigningKey(alg: SigningAlg, actor: AuditActor): Promise<unknown>;
}

/** The introspection client id of an API: `rs.` + its scope, e.g. `rs.extern.api`. */
export const introspectionClientId = (scope: string) => `rs.${scope}`;

export class ResourceService {
  constructor(private readonly deps: ResourceServiceDeps) {}

  /**
   * Creates an API resource, its introspection client and that client's first api-key (returned
   * once). Audited as `resource.created`, with the introspection client as the event's client.
   */
  async create(input: CreateResourceInput, actor: AuditActor): Promise<{ resource: Resource; key: IssuedKey }> {
    if (!SCOPE.test(input.scope)) throw invalid('scope must be 1-100 letters, digits, dots, dashes, underscores or colons');
    if ((OIDC_SCOPES as readonly string[]).includes(input.scope)) throw invalid(`${input.scope} is an OpenID Connect scope, not an API`);
    const name = input.name.trim();
    if (!name || name.length > 200) throw invalid('name must be 1-200 characters');
    const indicator = input.indicator ?? `urn:propusk:api:${input.scope}`;
    let url: URL;
    try {
      url = new URL(indicator);
    } catch {
      throw invalid('indicator must be an absolute URI');
    }
    if (url.hash) throw invalid('indicator must not contain a fragment');
    const format = input.accessTokenFormat ?? 'opaque';
    if (format !== 'opaque' && format !== 'jwt') throw invalid('access token format must be opaque or jwt');
    const requestedAlg = input.accessTokenSigningAlg;
    if (requestedAlg !== undefined && format !== 'jwt') throw invalid('a signing algorithm applies to JWT access tokens only: use it with access token format jwt');
    if (requestedAlg !== undefined && !isSigningAlg(requestedAlg)) throw invalid(`signing algorithm must be ${SIGNING_ALGS.join(', ')}`);
    const alg = format === 'jwt' ? (requestedAlg ?? DEFAULT_SIGNING_ALG) : null;
    const ttl = input.accessTokenTtl ?? null;
    if (ttl !== null && (!Number.isInteger(ttl) || ttl < 60 || ttl > 31_536_000)) throw invalid('access token lifetime must be 60..31536000 seconds');
    if (await this.deps.resources.findByScope(input.scope)) throw conflict(`a resource with scope ${input.scope} already exists`);
    if (await this.deps.resources.findByIndicator(indicator)) throw conflict(`a resource with indicator ${indicator} already exists`);
    // The key first: once the API is announced, every instance can sign its tokens.
    if (alg) await this.deps.ensureSigningKey(alg, actor);
    const clientId = introspectionClientId(input.scope);
    await this.deps.createIntrospectionClient(clientId, `${name} (introspection)`);
    const resource = await this.deps.resources.create({ indicator, scope: input.scope, name, accessTokenFormat: format, accessTokenSigningAlg: alg, accessTokenTtl: ttl, introspectionClientId: clientId });
    await this.deps.changes.publish('resource', indicator);
    const key = await this.deps.issueIntrospectionKey(clientId);
    await this.deps.audit.record({ type: 'resource.created', actor, clientId: key.client_id, details: { scope: resource.scope, indicator: resource.indicator } });
    return { resource, key };
  }

  list(): Promise<Resource[]> {
    return this.deps.resources.list();
  }

  /** Creates the default resources that are missing (first start). */
  async seedDefaults(): Promise<void> {
    for (const r of DEFAULT_RESOURCES) {
      if (!(await this.deps.resources.findByScope(r.scope))) {
        const clientId = introspectionClientId(r.scope);
        await this.deps.createIntrospectionClient(clientId, `${r.name} (introspection)`).catch(() => undefined);
        await this.deps.resources.create({ ...r, introspectionClientId: clientId }).catch(async (err: unknown) => {
          // Another process seeded it at the same moment.
          if (!(await this.deps.resources.findByScope(r.scope))) throw err;
        });
      }
    }
  }

  /** The signature algorithms the JWT APIs use (what needs a signing key besides RS256). */
  async signingAlgs(): Promise<SigningAlg[]> {
    return [...new Set((await this.deps.resources.list()).flatMap((r) => (r.accessTokenSigningAlg ? [r.accessTokenSigningAlg] : [])))];
  }

  /** Every scope a client may be registered for. */
  async knownScopes(): Promise<string[]> {
    return [...OIDC_SCOPES, ...(await this.deps.resources.list()).map((r) => r.scope)];
  }
}
