/** URLs of the account's two-step verification pages (`/account/two-step`). */
export const TWO_STEP_PATH = '/account/two-step';

export const twoStepPaths = {
  page: TWO_STEP_PATH,
  totp: `${TWO_STEP_PATH}/totp`,
  removeTotp: `${TWO_STEP_PATH}/totp/remove`,
  passkeys: `${TWO_STEP_PATH}/passkeys`,
  renamePasskey: (id: string) => `${TWO_STEP_PATH}/passkeys/${encodeURIComponent(id)}/rename`,
  removePasskey: (id: string) => `${TWO_STEP_PATH}/passkeys/${encodeURIComponent(id)}/remove`,
  recoveryCodes: `${TWO_STEP_PATH}/recovery-codes`,
  confirmPassword: `${TWO_STEP_PATH}/confirm-password`,
} as const;

/** Route templates (http/route-templates.ts). */
export const TWO_STEP_ROUTES: readonly string[] = [
  TWO_STEP_PATH,
  `${TWO_STEP_PATH}/totp`,
  `${TWO_STEP_PATH}/totp/remove`,
  `${TWO_STEP_PATH}/passkeys`,
  `${TWO_STEP_PATH}/passkeys/:id/rename`,
  `${TWO_STEP_PATH}/passkeys/:id/remove`,
  `${TWO_STEP_PATH}/recovery-codes`,
  `${TWO_STEP_PATH}/confirm-password`,
];
