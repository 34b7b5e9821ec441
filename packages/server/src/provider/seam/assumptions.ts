/**
 * Every assumption the oidc-provider seam makes, in one list the seam test checks: the pinned
 * version, and per reach-in the upstream file and line it depends on. A module added to the seam
 * adds its `assumptions` here (the seam test fails for a seam module whose list is missing).
 */
import type { Assumption } from './assumption.ts';
import { assumptions as adapter } from './adapter.ts';
import { assumptions as clients } from './clients.ts';
import { assumptions as configuration } from './configuration.ts';
import { assumptions as device } from './device.ts';
import { assumptions as errorRewrites } from './error-rewrites.ts';
import { assumptions as grant } from './grant.ts';
import { assumptions as requestContext } from './request-context.ts';
import { assumptions as resumeQuery } from './resume-query.ts';
import { assumptions as reuse } from './reuse.ts';
import { assumptions as session } from './session.ts';
import { assumptions as unsavedSession } from './unsaved-session.ts';

export type { Assumption, UpstreamProbe } from './assumption.ts';

/** The oidc-provider version the seam is written against (package.json pins it; patches/ is named after it). */
export const PINNED_OIDC_PROVIDER_VERSION = '9.13.3';

/** Each seam module's assumptions, by module file name. */
export const SEAM_MODULES: Readonly<Record<string, readonly Assumption[]>> = {
  'adapter.ts': adapter,
  'clients.ts': clients,
  'configuration.ts': configuration,
  'device.ts': device,
  'error-rewrites.ts': errorRewrites,
  'grant.ts': grant,
  'request-context.ts': requestContext,
  'resume-query.ts': resumeQuery,
  'reuse.ts': reuse,
  'session.ts': session,
  'unsaved-session.ts': unsavedSession,
};

export const SEAM_ASSUMPTIONS: readonly Assumption[] = Object.values(SEAM_MODULES).flat();
