/**
 * What one reach-in of the oidc-provider seam assumes about the pinned oidc-provider: the upstream
 * file and line it depends on, and a check the seam test runs (the text still on that line, or a
 * probe of a fresh, unmodified provider).
 */
import type Provider from 'oidc-provider';

/** What the seam test hands a probe: oidc-provider's class and a fresh instance nothing was changed on. */
export interface UpstreamProbe {
  Provider: typeof Provider;
  provider: Provider;
}

export interface Assumption {
  /** The name the seam test reports when the assumption breaks. */
  name: string;
  /** The upstream file, relative to the oidc-provider package (e.g. `lib/actions/token.js`). */
  file: string;
  /** The line of `file` (in the pinned version, patches applied) the reach-in depends on. */
  line: number;
  /** Text that must be on that line (a matched message, a private field, a method). */
  text?: string;
  /** A check on a fresh provider (a method or field exists before the seam overrides or reads it). */
  holds?: (probe: UpstreamProbe) => boolean;
  /** Why the reach-in exists. */
  why: string;
  /** When it can be removed. */
  removeWhen: string;
}
