/** "Cancel" on the sign-in page: ends the request with `access_denied` at the client's redirect_uri. */
import { finishInteraction } from './load.ts';
import { clientIdOf, type InteractionPage } from './page.ts';

export async function abortInteraction(page: InteractionPage): Promise<void> {
  await page.deps.audit.record({ type: 'login.cancelled', clientId: clientIdOf(page), accountId: page.interaction.session?.accountId });
  await finishInteraction(page.deps.provider, page.ctx, { error: 'access_denied', error_description: 'the user cancelled the sign-in' }, { mergeWithLastSubmission: false });
}
