/**
 * Routes of the sign-in and consent pages the authorization endpoint sends the browser to
 * (`/interaction/:uid`): GET shows the current step; POST `login`, `consent` and `abort` submit its
 * form. Every POST is urlencoded, bounded, and carries the interaction's CSRF token; pages never
 * need JavaScript.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { readForm, FormBodyError } from '../shared/form-body.ts';
import { loadInteraction } from './load.ts';
import { pageLocale } from '../shared/locale.ts';
import { REFUSALS, formBodyRefusal, refuse } from '../shared/refusal.ts';
import { showLoginPrompt, submitLogin, submitPasskeySignIn } from './login.ts';
import { conclude, surfaceOf } from './second-step.ts';
import { submitCode, submitContinue, submitEnrolPasskey, submitEnrolTotp, submitPasskey, type SecondStepOutcome, type SecondStepServices, type SecondStepSurface } from '../shared/second-step-flow.ts';
import { showConsent, submitConsent, switchAccount } from './consent.ts';
import { abortInteraction } from './abort.ts';
import { redirectToCurrentStep, type InteractionDeps, type InteractionPage } from './page.ts';
import { applicationHome, lastApplication, rememberApplication } from './way-back.ts';
import { t } from '../../views/index.ts';

export type { InteractionDeps } from './page.ts';

/** Loads the interaction of `/interaction/:uid`; renders the "expired" page and returns undefined when there is none. */
async function open(ctx: Context, deps: InteractionDeps, uid: string): Promise<InteractionPage | undefined> {
  const interaction = await loadInteraction(deps.provider, ctx, uid);
  const locale = pageLocale(ctx, interaction?.params.ui_locales as string | undefined);
  if (!interaction) {
    const back = await applicationHome(deps, lastApplication(ctx));
    refuse(ctx, REFUSALS.interactionExpired, { locale, ...(back ? { homeHref: back.href, homeLabel: t(locale, 'interaction.expired.back', { client: back.name }) } : {}) });
    return undefined;
  }
  rememberApplication(ctx, String(interaction.params.client_id ?? ''));
  return { ctx, deps, interaction, locale };
}

type StepHandler = (page: InteractionPage, form: URLSearchParams) => Promise<void>;

export function interactionRoutes(deps: InteractionDeps): Router {
  const router = new Router({ prefix: '/interaction' });

  router.get('/:uid', async (ctx) => {
    const page = await open(ctx, deps, ctx.params.uid!);
    if (!page) return;
    if (page.interaction.prompt.name === 'login') return showLoginPrompt(page);
    if (page.interaction.prompt.name === 'consent') return showConsent(page);
    refuse(ctx, REFUSALS.interactionExpired, { locale: page.locale });
  });

  const step = (name: string, handler: StepHandler) =>
    router.post(`/:uid/${name}`, async (ctx) => {
      const uid = ctx.params.uid!;
      let form: URLSearchParams;
      try {
        form = await readForm(ctx);
      } catch (err) {
        if (err instanceof FormBodyError) return refuse(ctx, formBodyRefusal(err.status, err.code));
        throw err;
      }
      if (!deps.formTokens.verify('interaction', uid, form.get('csrf'))) return refuse(ctx, REFUSALS.interactionFormToken);
      const page = await open(ctx, deps, uid);
      if (page) await handler(page, form);
    });

  step('login', submitLogin);
  step('passkey-sign-in', submitPasskeySignIn);
  // The second step (web/interactions/second-step.ts): each form answers only during the login prompt.
  const secondStep = (name: string, handle: (svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams) => Promise<SecondStepOutcome>) =>
    step(name, async (page, form) => {
      if (page.interaction.prompt.name !== 'login') return redirectToCurrentStep(page);
      await conclude(page, await handle(page.deps.secondFactor, await surfaceOf(page), form));
    });
  secondStep('second-factor', submitCode);
  secondStep('passkey', submitPasskey);
  secondStep('enrol-totp', submitEnrolTotp);
  secondStep('enrol-passkey', submitEnrolPasskey);
  secondStep('continue', (svc, surface) => submitContinue(svc, surface));
  step('consent', submitConsent);
  step('switch-account', (page) => switchAccount(page));
  step('abort', (page) => abortInteraction(page));
  return router;
}
