/**
 * Loads the interaction a request belongs to with `provider.interactionDetails()`.
 * An expired, unknown or already finished interaction — or one that is not the uid in the URL —
 * is `undefined`, so the caller shows a friendly page instead of an error.
 */
import type { Context } from 'koa';
import { errors, type Interaction } from 'oidc-provider';
import type Provider from 'oidc-provider';

export async function loadInteraction(provider: Provider, ctx: Context, uid: string): Promise<Interaction | undefined> {
  let interaction: Interaction;
  try {
    interaction = await provider.interactionDetails(ctx.req, ctx.res);
  } catch (err) {
    if (err instanceof errors.SessionNotFound) return undefined;
    throw err;
  }
  return interaction.uid === uid ? interaction : undefined;
}

/** Finishes the interaction and sends the browser back to the authorization endpoint (303). */
export async function finishInteraction(
  provider: Provider,
  ctx: Context,
  result: Parameters<Provider['interactionResult']>[2],
  options: { mergeWithLastSubmission: boolean },
): Promise<void> {
  const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, options);
  ctx.status = 303;
  ctx.redirect(returnTo);
}
