/**
 * The scenario registry, in report order. A new scenario is one file exporting a `Scenario`,
 * added here; seed.ts learns any new fixture kind it `needs`.
 */
import type { Scenario } from './types.ts';
import { discovery } from './discovery.ts';
import { jwks } from './jwks.ts';
import { clientCredentials } from './client-credentials.ts';
import { clientCredentialsJwt, clientCredentialsPaced } from './client-credentials-jwt.ts';
import { introspection } from './introspection.ts';
import { refreshToken } from './refresh-token.ts';
import { trusted } from './trusted.ts';
import { devicePoll } from './device-poll.ts';
import { codeFlow } from './code-flow.ts';
import { loginStorm } from './login-storm.ts';
import { rsVerify } from './rs-verify.ts';
import { externApi } from './extern-api.ts';

export const scenarios: readonly Scenario[] = [discovery, jwks, clientCredentials, clientCredentialsPaced, ...clientCredentialsJwt, introspection, refreshToken, trusted, devicePoll, codeFlow, loginStorm, rsVerify, externApi];

/** Scenarios named in `--only` (comma-separated), in registry order; throws on an unknown name. */
export function selectScenarios(only: string | undefined): Scenario[] {
  if (!only) return [...scenarios];
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !scenarios.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${scenarios.map((s) => s.name).join(', ')})`);
  return scenarios.filter((s) => names.includes(s.name));
}

export type { Scenario, LoadScenario, CustomScenario, CustomRun, Target, Fixtures, TargetName, FixtureKind, EndpointPaths } from './types.ts';
export { DEFAULT_PATHS } from './types.ts';
