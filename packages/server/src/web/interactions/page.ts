/** What every interaction step handler works with: the request, the loaded interaction, the page language and the services. */
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import type { AccountService } from '../../accounts/service.ts';
import type { AccountRepository } from '../../accounts/types.ts';
import type { ConsentService } from '../../accounts/consents.ts';
import type { AuditLog } from '../../audit/types.ts';
import type { ResourceDirectory } from '../../resources/directory.ts';
import type { Locale } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import type { FormTokens } from '../shared/form-tokens.ts';
import type { PasswordSignIn } from '../../accounts/password-sign-in.ts';
import type { SecondStepServices } from '../shared/second-step-flow.ts';
import type { SecondFactorRequirement } from '../../provider/second-factor.ts';

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountService;
  accountRepository: AccountRepository;
  resources: ResourceDirectory;
  audit: AuditLog;
  /** Form tokens (`interaction` binding: the interaction uid). */
  formTokens: FormTokens;
  /** Password sign-in under the brute-force limits (per login and per client IP). */
  passwordSignIn: PasswordSignIn;
  /** Consents remembered per account and client (accounts/consents.ts). */
  consents: ConsentService;
  /** The second factor's services and pages (web/shared/second-step-flow.ts). */
  secondFactor: SecondStepServices;
  /** Which requests need a second factor (provider/second-factor.ts). */
  requirement: SecondFactorRequirement;
  /** "Forgot password?" is offered (a mail transport is configured). */
  recoveryAvailable: boolean;
}

export interface InteractionPage {
  ctx: Context;
  deps: InteractionDeps;
  interaction: Interaction;
  locale: Locale;
}

/** The client_id the interaction is for. */
export const clientIdOf = (page: InteractionPage): string => String(page.interaction.params.client_id);

/** The application's display name (its registered name, else its client_id). */
export async function clientName(page: InteractionPage): Promise<string> {
  const clientId = clientIdOf(page);
  const client = await page.deps.provider.Client.find(clientId);
  return client?.clientName ?? clientId;
}

/** POST target of a step's form; keeps the page language. */
export const stepAction = (page: InteractionPage, step: string): string =>
  `/interaction/${page.interaction.uid}/${step}?lang=${page.locale}`;

export const switchHref = (page: InteractionPage): string => switchLocaleHref(`/interaction/${page.interaction.uid}`, page.locale);

export const csrfToken = (page: InteractionPage): string => page.deps.formTokens.issue('interaction', page.interaction.uid);

/** Sends the browser to the interaction's current step (after a form posted to a step that is not current). */
export function redirectToCurrentStep(page: InteractionPage): void {
  page.ctx.status = 303;
  page.ctx.redirect(`/interaction/${page.interaction.uid}?lang=${page.locale}`);
}
