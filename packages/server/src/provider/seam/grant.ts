/**
 * Seam: the private `resources` field of oidc-provider's Grant, the only place that lists which
 * resource indicators a grant has scopes for.
 */
import type { Grant } from 'oidc-provider';
import type { Assumption } from './assumption.ts';

/**
 * The resource indicators the grant holds scopes for (their scopes: `grant.getResourceScope(r)`).
 * Upstream: lib/models/grant.js:8 (`resources` is stored with the grant, indicator → scope) and
 * :149 (`addResourceScope` fills it). Remove when Grant lists its resources publicly.
 */
export function grantedResources(grant: Grant): string[] {
  return Object.keys((grant as Grant & { resources?: Record<string, string> }).resources ?? {});
}

export const assumptions: Assumption[] = [
  {
    name: 'Grant: resources is a stored field',
    file: 'lib/models/grant.js',
    line: 8,
    text: "'resources',",
    why: 'a remembered consent lists every API the grant has scopes for',
    removeWhen: 'Grant lists its resources publicly',
  },
  {
    name: 'Grant.addResourceScope fills resources by indicator',
    file: 'lib/models/grant.js',
    line: 149,
    text: 'this.resources ||= {};',
    holds: ({ provider }) => {
      const grant = new provider.Grant({ accountId: 'a', clientId: 'c' });
      grant.addResourceScope('urn:probe', 'probe');
      return grantedResources(grant).join() === 'urn:probe';
    },
    why: 'a remembered consent lists every API the grant has scopes for',
    removeWhen: 'Grant lists its resources publicly',
  },
];
