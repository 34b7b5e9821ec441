/** Public API of the view layer: pages, layout and components, i18n, and the static assets the server serves. */
export { html, raw, join, escapeHtml, SafeHtml, type HtmlValue } from './html.ts';
export { attributes, type AttributeValue } from './attributes.ts';
export { safeUrl } from './url.ts';

export { locales, defaultLocale, isLocale, otherLocale, type Locale } from './i18n/locale.ts';
export { negotiateLocale, type LocaleSources } from './i18n/negotiate.ts';
export { t, tHtml, isMessageKey, dictionaries, type MessageParams } from './i18n/t.ts';
export type { MessageKey, Messages } from './i18n/ru.ts';

export { page, type PageOptions } from './layout.ts';
export { card, type CardOptions } from './components/card.ts';
export { formField, type FormFieldOptions } from './components/form-field.ts';
export { button, linkButton, type ButtonOptions } from './components/button.ts';
export { actions } from './components/actions.ts';
export { notice, type NoticeOptions } from './components/notice.ts';
export { dataTable, type DataTableColumn, type DataTableOptions } from './components/data-table.ts';
export { form, type FormOptions } from './components/form.ts';
export { hiddenField, csrfField } from './components/hidden-field.ts';
export { copyButton } from './components/copy-button.ts';
export { scopeList } from './components/scope-list.ts';
export { describeScope, describeClaim, type ScopeInfo } from './scopes.ts';
export { formatUserCode } from './user-code.ts';

export { loginPage, loginErrorText, type LoginPageParams, type LoginError } from './pages/login.ts';
export { waitText, lifetimeText } from './wait.ts';
export { passwordLinkMail, type PasswordLinkMailParams } from './mail/password-link.ts';
export { forgotPasswordPage, forgotPasswordSentPage, type ForgotPasswordPageParams } from './pages/forgot-password.ts';
export {
  secondStepPage,
  enrolPage,
  recoveryCodesPage,
  totpSetupSection,
  passkeyAddSection,
  passkeyForm,
  type SecondStepPageParams,
  type SecondStepMethod,
  type SecondStepError,
  type PasskeyCeremony,
  type TotpSetup,
  type EnrolPageParams,
  type RecoveryCodesPageParams,
} from './pages/second-factor.ts';
export { accountTwoStepSection, accountTwoStepPage, accountReauthPage, type AccountTwoStepPageParams, type TwoStepNotice, type TwoStepPasskeyRow, type FactorSummaryView } from './pages/account-two-step.ts';
export { consentPage, type ConsentPageParams } from './pages/consent.ts';
export { errorPage, type ErrorPageParams } from './pages/error.ts';
export { signedOutPage, type SignedOutPageParams } from './pages/signed-out.ts';
export { demoCallbackPage, demoTokenCommand, type DemoCallbackPageParams, type DemoCallbackResult } from './pages/demo-callback.ts';
export { logoutConfirmPage, type LogoutConfirmPageParams } from './pages/logout-confirm.ts';
export { accountSwitchPage, type AccountSwitchPageParams } from './pages/account-switch.ts';
export { deviceEntryPage, type DeviceEntryPageParams, type DeviceEntryError } from './pages/device-entry.ts';
export { deviceConfirmPage, type DeviceConfirmPageParams } from './pages/device-confirm.ts';
export { deviceDonePage, type DeviceDonePageParams, type DeviceOutcome } from './pages/device-done.ts';
export { accountPage, type AccountPageParams, type AccountNotice } from './pages/account-overview.ts';
export { accountApplicationsSection, accountDateTime, type AccountApplication } from './pages/account-applications.ts';
export { accountPasswordSection, type AccountPasswordSectionParams, type PasswordChangeError } from './pages/account-password.ts';
export { passwordLinkPage, passwordLinkDonePage, type PasswordLinkPageParams, type PasswordLinkDonePageParams, type PasswordLinkError } from './pages/password-link.ts';
export { accountConfirmPage, type AccountConfirmPageParams } from './pages/account-confirm.ts';
export { accountSignOutSection, type AccountSignOutSectionParams } from './pages/account-sign-out.ts';
export { integrationsListPage, type IntegrationsListPageParams, type IntegrationListItem } from './pages/integrations-list.ts';
export { integrationClientPage, type IntegrationClientPageParams, type IntegrationKeyRow, type IntegrationPermission } from './pages/integrations-client.ts';
export { integrationKeyIssuedPage, type IntegrationKeyIssuedPageParams } from './pages/integrations-key-issued.ts';
export { integrationKeyRevokePage, type IntegrationKeyRevokePageParams } from './pages/integrations-key-revoke.ts';
export { integrationRedirectUrisPage, type IntegrationRedirectUrisPageParams } from './pages/integrations-redirect-uris.ts';
export { integrationInvitationCreatedPage, type IntegrationInvitationCreatedPageParams } from './pages/integrations-invitation-created.ts';
export { integrationInvitationPage, type IntegrationInvitationPageParams, type SignUpError } from './pages/integrations-invitation.ts';
export { formatDate, type PortalChrome } from './pages/integrations-common.ts';
export {
  CONSOLE_SECTIONS,
  consolePage,
  consoleLandingPage,
  consoleNoRolePage,
  consoleRefusalPage,
  confirmPage,
  secretPage,
  consoleDate,
  type ConsoleChrome,
  type ConsoleNavItem,
  type ConsoleProblem,
  type ConsoleSection,
  type ConfirmPageParams,
  type SecretPageParams,
} from './pages/console-common.ts';
export {
  consoleClientsPage,
  consoleClientPage,
  consoleRedirectUrisPage,
  type ConsoleClient,
  type ConsoleApiKey,
  type ConsolePartnerKey,
} from './pages/console-clients.ts';
export { consoleUsersPage, consoleUserPage, factorsText, fullName, hasFactors, type ConsoleFactors, type ConsoleUser, type ConsoleUserApplication, type ConsoleLink } from './pages/console-users.ts';
export { consoleLinksPage, type ConsolePartner } from './pages/console-links.ts';
export { consoleAuditPage, AUDIT_FILTERS, type ConsoleAuditEvent } from './pages/console-audit.ts';
export { consoleApisPage, type ConsoleApi, type ConsoleApisPageParams } from './pages/console-apis.ts';
export { consoleSigningKeysPage, type ConsoleSigningKey, type ConsoleSigningKeysPageParams } from './pages/console-signing-keys.ts';

export { stylesheetPath, scriptPath, passkeyScriptPath, webauthnScriptPath } from './assets/paths.ts';
export { stylesheet } from './assets/propusk.css.ts';
export { script } from './assets/propusk.js.ts';
export { passkeyScript } from './assets/passkeys.js.ts';
