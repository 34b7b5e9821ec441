/**
 * When the authorization endpoint asks the user something: oidc-provider's login and consent
 * prompts, with one change. Its consent prompt asks a native client's user on every request
 * (anyone can claim a native app's client_id); we keep that for public clients only, because a
 * confidential client still has to present its api-key to redeem the code. So a remembered consent
 * (per account and client, provider/consents.ts) lets a confidential client with loopback redirect
 * URIs use `prompt=none` like a web client. And one addition: the login prompt asks again when the
 * request needs a second factor and the session's sign-in had only the password
 * (provider/second-factor.ts); and it asks when the person chose "Use another account" on the
 * consent page.
 */
import { interactionPolicy, type KoaContextWithOIDC } from 'oidc-provider';
import { MFA_REASON, mfaCheck, type SecondFactorRequirement } from './second-factor.ts';

const { Check, base } = interactionPolicy;

/** The interaction result of "Not you? Use another account" on the consent page. */
export const ACCOUNT_SWITCH_RESULT = 'propusk_account_switch';

/** The interaction pages' URL (web/interactions/ serves it). */
export const interactionUrl = (_ctx: KoaContextWithOIDC, interaction: { uid: string }): string => `/interaction/${interaction.uid}`;

export function interactionPromptPolicy(secondFactor: SecondFactorRequirement): interactionPolicy.DefaultPolicy {
  const policy = base();
  const login = policy.get('login');
  if (!login) throw new Error('oidc-provider has no login prompt');
  // "Use another account": sign in again, until a sign-in is the result.
  login.checks.add(
    new Check('account_switch', 'the user asked to use another account', 'login_required', (ctx) => {
      const result = ctx.oidc.result as Record<string, unknown> | undefined;
      return result?.[ACCOUNT_SWITCH_RESULT] === true && !result.login;
    }),
  );
  login.checks.add(new Check(MFA_REASON, 'a second factor is required', 'login_required', mfaCheck(secondFactor)));
  const consent = policy.get('consent');
  if (!consent) throw new Error('oidc-provider has no consent prompt');
  const index = consent.checks.findIndex((c) => c.reason === 'native_client_prompt');
  if (index === -1) throw new Error('oidc-provider has no native_client_prompt check');
  consent.checks.remove('native_client_prompt');
  consent.checks.add(
    new Check('native_client_prompt', 'public native clients require End-User interaction', 'interaction_required', (ctx) => {
      const { client, params, result } = ctx.oidc;
      return Boolean(client?.applicationType === 'native' && client.clientAuthMethod === 'none' && params?.response_type !== 'none' && !result?.consent);
    }),
    index,
  );
  return policy;
}
