/** The one stylesheet of all Propusk pages, exported as text so the server can serve it at /assets/propusk.css with a long cache. */

/** Stylesheet source: system fonts, a centred card, AA contrast, visible focus, 48px controls, dark scheme. */
export const stylesheet = String.raw`
:root {
  color-scheme: light dark;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
  --bg: #f3f5f8;
  --surface: #ffffff;
  --text: #161a21;
  --muted: #515a68;
  --border: #dce1e8;
  --control: #727b8a;
  --primary: #1d4ed8;
  --primary-hover: #1a43bb;
  --primary-active: #163a9f;
  --on-primary: #ffffff;
  --primary-soft: #edf2ff;
  --focus: #1d4ed8;
  --danger: #b42318;
  --danger-soft: #fef3f2;
  --danger-border: #f6c4bf;
  --warning: #7a4500;
  --warning-soft: #fff8e6;
  --warning-border: #f3d58a;
  --success: #05693f;
  --success-soft: #ebfaf1;
  --success-border: #a6e4c1;
  --shadow: 0 1px 2px rgb(16 24 40 / 6%), 0 8px 24px rgb(16 24 40 / 8%);
  --radius: 10px;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116;
    --surface: #171b22;
    --text: #e8ebf0;
    --muted: #a7afbc;
    --border: #2b323d;
    --control: #808a9a;
    --primary: #8fb3ff;
    --primary-hover: #a9c4ff;
    --primary-active: #c2d5ff;
    --on-primary: #0a1533;
    --primary-soft: #1a2440;
    --focus: #8fb3ff;
    --danger: #ff9d94;
    --danger-soft: #2b1715;
    --danger-border: #6b2c26;
    --warning: #f5c76b;
    --warning-soft: #2a2111;
    --warning-border: #65501f;
    --success: #6fdca4;
    --success-soft: #10261b;
    --success-border: #24573c;
    --shadow: 0 1px 2px rgb(0 0 0 / 40%), 0 8px 24px rgb(0 0 0 / 30%);
  }
}

*, *::before, *::after { box-sizing: border-box; }

[hidden] { display: none !important; }

html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }

body {
  margin: 0;
  min-height: 100vh;
  min-height: 100dvh;
  display: flex;
  flex-direction: column;
  background: var(--bg);
  color: var(--text);
  font-family: var(--font);
  font-size: 1rem;
  line-height: 1.5;
  -webkit-font-smoothing: antialiased;
}

a { color: var(--primary); text-underline-offset: 0.2em; }
a:hover { color: var(--primary-hover); }

:focus-visible {
  outline: 3px solid var(--focus);
  outline-offset: 2px;
}

code { font-family: var(--mono); font-size: 0.9em; }

.visually-hidden {
  position: absolute !important;
  width: 1px; height: 1px;
  margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%);
  white-space: nowrap;
}

.skip-link {
  position: absolute;
  left: 1rem;
  top: 1rem;
  transform: translateY(-200%);
  z-index: 10;
  padding: 0.75rem 1rem;
  border-radius: var(--radius);
  background: var(--surface);
  color: var(--primary);
  font-weight: 600;
  box-shadow: var(--shadow);
}
.skip-link:focus { transform: none; }

/* Header */
.site-header__inner {
  max-width: 64rem;
  margin: 0 auto;
  min-height: 4.25rem;
  padding: 0.75rem 1rem;
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 1rem;
}
.brand {
  display: inline-flex;
  align-items: center;
  gap: 0.625rem;
  font-weight: 700;
  font-size: 1.125rem;
  letter-spacing: -0.01em;
}
.brand__mark { flex: none; border-radius: 8px; }
.site-header__end { display: flex; flex-wrap: wrap; justify-content: flex-end; align-items: center; gap: 0.5rem; min-width: 0; }
@media (max-width: 29.99em) {
  .site-header__inner { flex-wrap: wrap; gap: 0.5rem; padding: 0.5rem 0.75rem; }
  .site-header__end { flex: 1 1 auto; }
  .portal-user { min-width: 0; max-width: 100%; }
  .portal-user__name { max-width: 9rem; }
}
.lang-switch {
  display: inline-flex;
  align-items: center;
  gap: 0.375rem;
  min-height: 44px;
  padding: 0 0.875rem;
  border-radius: 999px;
  color: var(--text);
  font-size: 0.9375rem;
  font-weight: 500;
  text-decoration: none;
}
.lang-switch:hover { background: var(--surface); color: var(--text); box-shadow: inset 0 0 0 1px var(--border); }
.lang-switch__icon { width: 1.125rem; height: 1.125rem; flex: none; color: var(--muted); }

/* Main and card */
.site-main {
  flex: 1 0 auto;
  width: 100%;
  display: flex;
  justify-content: center;
  align-items: flex-start;
  padding: 1.5rem 1rem 3rem;
}
.site-main:focus { outline: none; }
@media (min-height: 44em) and (min-width: 30em) {
  .site-main { padding-top: 6vh; }
}

.card {
  width: 100%;
  max-width: 28rem;
  padding: 2rem;
  background: var(--surface);
  border: 1px solid var(--border);
  border-radius: 16px;
  box-shadow: var(--shadow);
}
.site-main--wide .card { max-width: 52rem; }
@media (max-width: 29.99em) {
  .site-main { padding: 0.75rem 0.75rem 2rem; }
  .card { padding: 1.5rem 1.25rem; border-radius: 14px; }
}

.card__badge {
  width: 3rem;
  height: 3rem;
  margin-bottom: 1rem;
  display: grid;
  place-items: center;
  border-radius: 50%;
}
.card__badge svg { width: 1.75rem; height: 1.75rem; }
.card__badge--success { background: var(--success-soft); color: var(--success); }
.card__badge--danger { background: var(--danger-soft); color: var(--danger); }
.card__badge--info { background: var(--primary-soft); color: var(--primary); }

.card__title {
  margin: 0 0 0.5rem;
  font-size: 1.5rem;
  line-height: 1.25;
  font-weight: 650;
  letter-spacing: -0.015em;
  overflow-wrap: anywhere;
}
.card__lead {
  margin: 0 0 1.5rem;
  color: var(--muted);
  overflow-wrap: anywhere;
}
.card__lead:last-child { margin-bottom: 0; }
.card__title + .table-scroll, .card__title + .form { margin-top: 1.25rem; }
.card__footer {
  margin-top: 1.5rem;
  padding-top: 1rem;
  border-top: 1px solid var(--border);
  color: var(--muted);
  font-size: 0.875rem;
}
.card__footer p { margin: 0 0 0.5rem; }
.card__footer p:last-child { margin-bottom: 0; }

.client-name { color: var(--text); font-weight: 600; }

.section-title {
  margin: 1.5rem 0 0.5rem;
  font-size: 0.9375rem;
  font-weight: 600;
  overflow-wrap: anywhere;
}
.section-title:first-child { margin-top: 0; }

/* Forms */
.form { margin: 0; }
.form--secondary { margin-top: 0.5rem; }
.field { margin-bottom: 1.25rem; }
.field__label {
  display: block;
  margin-bottom: 0.375rem;
  font-weight: 600;
  font-size: 0.9375rem;
}
.field__hint {
  margin: -0.125rem 0 0.5rem;
  color: var(--muted);
  font-size: 0.875rem;
}
.field__error {
  margin: 0.5rem 0 0;
  color: var(--danger);
  font-size: 0.875rem;
  font-weight: 500;
}
.input {
  display: block;
  width: 100%;
  min-height: 3rem;
  padding: 0.625rem 0.875rem;
  border: 1px solid var(--control);
  border-radius: var(--radius);
  background: var(--surface);
  color: var(--text);
  font: inherit;
  font-size: 1rem;
  line-height: 1.5;
  transition: border-color 0.15s, box-shadow 0.15s;
}
.input:hover { border-color: var(--text); }
.input:focus { border-color: var(--primary); box-shadow: 0 0 0 1px var(--primary); }
.input:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.field--invalid .input, .input[aria-invalid="true"] {
  border-color: var(--danger);
  box-shadow: 0 0 0 1px var(--danger);
}
.input--code {
  width: 100%;
  max-width: 15rem;
  font-family: var(--mono);
  font-size: 1.5rem;
  font-weight: 600;
  letter-spacing: 0.12em;
  text-transform: uppercase;
  text-align: center;
}

/* Buttons */
.actions {
  display: flex;
  flex-direction: column;
  gap: 0.75rem;
  margin-top: 1.5rem;
}
.field + .actions { margin-top: 1.75rem; }
@media (min-width: 30em) {
  .actions:has(> :nth-child(2)) { flex-direction: row-reverse; }
  .actions > * { flex: 1 1 0; }
}
.form--secondary .actions { margin-top: 0; }

.button {
  display: inline-flex;
  align-items: center;
  justify-content: center;
  gap: 0.5rem;
  min-height: 3rem;
  padding: 0.625rem 1.25rem;
  border: 1px solid transparent;
  border-radius: var(--radius);
  font: inherit;
  font-size: 1rem;
  font-weight: 600;
  line-height: 1.25;
  text-align: center;
  text-decoration: none;
  cursor: pointer;
  transition: background-color 0.15s, border-color 0.15s, color 0.15s;
}
.button--primary { background: var(--primary); color: var(--on-primary); }
.button--primary:hover { background: var(--primary-hover); color: var(--on-primary); }
.button--primary:active { background: var(--primary-active); }
.button--secondary { background: var(--surface); color: var(--text); border-color: var(--control); }
.button--secondary:hover { background: var(--bg); color: var(--text); border-color: var(--text); }
.button--quiet { background: transparent; color: var(--primary); }
.button--quiet:hover { background: var(--primary-soft); color: var(--primary-hover); }
.button--danger { background: var(--danger); color: var(--surface); }
.button--danger:hover { filter: brightness(0.92); color: var(--surface); }
.button--small { min-height: 2.75rem; padding: 0.375rem 0.75rem; font-size: 0.875rem; }

/* Notices */
.notice {
  margin: 0 0 1.25rem;
  padding: 0.75rem 1rem;
  border: 1px solid;
  border-left-width: 4px;
  border-radius: var(--radius);
  font-size: 0.9375rem;
}
.notice p { margin: 0; }
.notice__title { font-weight: 600; margin-bottom: 0.25rem !important; }
.notice--error { background: var(--danger-soft); border-color: var(--danger-border); border-left-color: var(--danger); color: var(--text); }
.notice--warning { background: var(--warning-soft); border-color: var(--warning-border); border-left-color: var(--warning); color: var(--text); }
.notice--success { background: var(--success-soft); border-color: var(--success-border); border-left-color: var(--success); color: var(--text); }
.notice--info { background: var(--primary-soft); border-color: var(--border); border-left-color: var(--primary); color: var(--text); }

/* A password field with its show/hide toggle */
.field__control { display: flex; flex-direction: column; align-items: flex-end; }
.field__control .input { align-self: stretch; }
.field__reveal {
  min-height: 2.75rem;
  padding: 0 0.25rem;
  border: 0;
  background: none;
  color: var(--primary);
  font: inherit;
  font-size: 0.9375rem;
  font-weight: 600;
  cursor: pointer;
}
.field__reveal:hover { color: var(--primary-hover); text-decoration: underline; }
.field__reveal[hidden] { display: none; }

/* A quiet line under a card's actions */
.card__note { margin: 1rem 0 0; color: var(--muted); font-size: 0.9375rem; }

.field-aside { margin: -0.5rem 0 1.25rem; font-size: 0.9375rem; }

/* Account chip (consent) */
.account-chip {
  margin: 0 0 1.5rem;
  padding: 0.625rem 0.875rem;
  border-radius: var(--radius);
  background: var(--bg);
  color: var(--muted);
  font-size: 0.9375rem;
  overflow-wrap: anywhere;
}
.account-chip strong { color: var(--text); font-weight: 600; }
.account-chip { display: flex; flex-wrap: wrap; align-items: center; column-gap: 0.75rem; }
/* A submit button that reads as a link ("Use another account"), with a full-size touch target. */
.link-button {
  min-height: 2.75rem;
  padding: 0;
  border: 0;
  background: none;
  color: var(--primary);
  font: inherit;
  text-align: start;
  text-decoration: underline;
  cursor: pointer;
}
.link-button:hover { color: var(--primary-hover); }
.redirect-note { margin: 0 0 1.25rem; color: var(--muted); font-size: 0.9375rem; overflow-wrap: anywhere; }
.redirect-note strong { color: var(--text); }

/* Scope checklist */
.scopes {
  list-style: none;
  margin: 0 0 1.25rem;
  padding: 0;
  border: 1px solid var(--border);
  border-radius: 12px;
}
.scopes__item {
  display: grid;
  grid-template-columns: 1.25rem 1fr;
  column-gap: 0.75rem;
  padding: 0.75rem 1rem;
  overflow-wrap: anywhere;
}
.scopes__item + .scopes__item { border-top: 1px solid var(--border); }
.scopes__item::before {
  content: "";
  grid-row: 1 / span 2;
  justify-self: center;
  width: 0.4375rem;
  height: 0.8125rem;
  margin-top: 0.25rem;
  border: solid var(--success);
  border-width: 0 2.5px 2.5px 0;
  transform: rotate(45deg);
}
.scopes__text { grid-column: 2; }
.scopes__name { grid-column: 2; color: var(--muted); font-size: 0.8125rem; }

/* Device user code */
.user-code {
  margin: 0 0 1.5rem;
  padding: 1rem;
  border-radius: 12px;
  background: var(--primary-soft);
  text-align: center;
}
.user-code__label { color: var(--muted); font-size: 0.875rem; font-weight: 500; }
.user-code__value {
  margin: 0.25rem 0 0;
  font-family: var(--mono);
  font-size: clamp(1.625rem, 9vw, 2.25rem);
  font-weight: 700;
  letter-spacing: 0.14em;
  color: var(--text);
  white-space: nowrap;
}

/* Support details (error page) */
.details { margin: 0; font-size: 0.8125rem; }
.details__row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.5rem; margin-top: 0.375rem; }
.details dt { color: var(--muted); }
.details dt::after { content: ":"; }
.details dd { margin: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.details code { color: var(--text); word-break: break-all; }
.error-details { margin: 0.5rem 0; font-size: 0.8125rem; }
.error-details summary { cursor: pointer; color: var(--muted); }

/* Tables */
.table-scroll { overflow-x: auto; margin: 0 0 1.25rem; border: 1px solid var(--border); border-radius: 12px; }
.table { width: 100%; border-collapse: collapse; font-size: 0.9375rem; }
.table caption { padding: 0.75rem 1rem 0.25rem; text-align: start; font-weight: 600; }
.table th, .table td { padding: 0.75rem 1rem; text-align: start; vertical-align: top; border-top: 1px solid var(--border); }
.table thead th { border-top: 0; color: var(--muted); font-size: 0.8125rem; font-weight: 600; }
.table tbody th { font-weight: 600; }
.table .num { text-align: end; font-variant-numeric: tabular-nums; }
.table-scroll:last-child { margin-bottom: 0; }
.table-empty { color: var(--muted); }
.table th, .table td, .table code { overflow-wrap: anywhere; }
/* On a phone every row is a card: the column headers become labels above the cells, nothing scrolls sideways. */
@media (max-width: 40em) {
  .table-scroll { overflow-x: visible; border: 0; border-radius: 0; }
  .table, .table tbody, .table tr, .table th, .table td, .table caption { display: block; width: auto; }
  .table caption { padding: 0 0 0.5rem; }
  .table thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .table tbody tr { border: 1px solid var(--border); border-radius: 12px; margin-bottom: 0.75rem; padding: 0.25rem 0; }
  .table th, .table td { border-top: 0; padding: 0.375rem 1rem; }
  .table .num { text-align: start; }
  .table td[data-label]::before { content: attr(data-label); display: block; color: var(--muted); font-size: 0.8125rem; font-weight: 600; }
}

/* Account pages: sections of one card, forms inside table cells */
.consequences { margin: 0 0 1.5rem; padding-left: 1.25rem; }
.consequences li + li { margin-top: 0.5rem; }
.account-section { margin-top: 2rem; padding-top: 1.5rem; border-top: 1px solid var(--border); }
.account-section > .section-title { margin-top: 0; font-size: 1.0625rem; }
.account-section > .card__lead { margin-bottom: 1.25rem; }
.table .compact-list { margin: 0; padding-left: 1.125rem; }
.table .form .actions { margin-top: 0; }
.table-note { margin: 0.5rem 0 0; color: var(--muted); font-size: 0.875rem; }

/* Integrator portal */
.portal-user { display: flex; align-items: center; gap: 0.5rem; min-width: 0; }
.portal-user__name { color: var(--muted); font-size: 0.875rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 16rem; }
.details--portal { margin: 0 0 1.25rem; font-size: 0.9375rem; }
.details--portal code { font-family: var(--mono); }
.portal-list { margin: 0 0 1rem; padding-left: 1.25rem; overflow-wrap: anywhere; }
.actions--start { margin-top: 0; margin-bottom: 1.25rem; }
.input--multiline { min-height: 8rem; font-family: var(--mono); font-size: 0.9375rem; resize: vertical; }
.secret-box { margin: 0 0 1.25rem; padding: 1rem; border-radius: 12px; background: var(--primary-soft); text-align: center; }
.secret-box__label { margin: 0; color: var(--muted); font-size: 0.875rem; font-weight: 500; }
.secret-box__value { margin: 0.375rem 0 0.5rem; font-family: var(--mono); font-size: clamp(1rem, 4vw, 1.375rem); font-weight: 700; overflow-wrap: anywhere; user-select: all; }
.command { margin: 0 0 0.5rem; padding: 0.75rem 1rem; border-radius: 8px; background: var(--primary-soft); font-size: 0.8125rem; line-height: 1.5; white-space: pre-wrap; overflow-wrap: anywhere; }
.command code { font-size: inherit; }

/* Operator console: navigation above one wide card; filters and paging */
.console { width: 100%; max-width: 64rem; min-width: 0; }
.console .card { max-width: none; }
.console-nav { margin: 0 0 1rem; }
.console-nav ul { display: flex; flex-wrap: wrap; gap: 0.375rem; margin: 0; padding: 0; list-style: none; }
.console-nav__link {
  display: inline-flex;
  align-items: center;
  min-height: 2.75rem;
  padding: 0 0.875rem;
  border-radius: 999px;
  color: var(--text);
  font-size: 0.9375rem;
  font-weight: 500;
  text-decoration: none;
}
.console-nav__link:hover { background: var(--surface); color: var(--text); box-shadow: inset 0 0 0 1px var(--border); }
.console-nav__link[aria-current="page"] { background: var(--primary); color: var(--on-primary); }
.console-search { margin: 0 0 1.25rem; }
.console-search .actions { margin-top: 0; }
@media (min-width: 40em) {
  .console-search { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 0.75rem; }
  .console-search .field { flex: 1 1 12rem; margin-bottom: 0; }
  .console-search .actions { flex: 0 0 auto; }
}
.pager { display: flex; flex-wrap: wrap; gap: 0.75rem; margin: 0 0 1.25rem; }
.console .section-title { font-size: 1.0625rem; margin-top: 2rem; }
.console .card__title + .section-title { margin-top: 1rem; }
.console .form + .form { margin-top: 0.5rem; }
.console .details dd { min-width: 0; overflow-wrap: anywhere; }
.input--select { appearance: auto; }
.status { display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.8125rem; font-weight: 600; background: var(--bg); color: var(--muted); }
.status--danger { background: var(--danger-soft); color: var(--danger); }
.status--success { background: var(--success-soft); color: var(--success); }

/* Footer */
.site-footer {
  padding: 1.25rem 1rem 1.5rem;
  color: var(--muted);
  font-size: 0.8125rem;
  text-align: center;
}
.site-footer p { margin: 0; }

/* Two-step verification: the authenticator app's QR code and key, recovery codes, passkey forms */
.steps { margin: 0 0 1rem; padding-left: 1.25rem; }
.steps li { margin: 0 0 0.75rem; }
.totp-qr { display: block; width: 200px; max-width: 100%; height: auto; margin: 0.75rem 0 0; padding: 8px; border-radius: 8px; background: #fff; }
.totp-secret { font-family: var(--mono); font-size: 0.9375rem; overflow-wrap: anywhere; user-select: all; }
.recovery-codes { display: grid; grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); gap: 0.5rem 1rem; margin: 0 0 1rem; padding: 1rem 1rem 1rem 2.25rem; border-radius: 12px; background: var(--primary-soft); }
.recovery-codes code { font-family: var(--mono); font-size: 1rem; font-weight: 600; user-select: all; }
.link-list { margin: 1rem 0 0; padding: 0; list-style: none; text-align: center; }
.link-list li { margin: 0.5rem 0; }
.passkey-form { margin-top: 0.75rem; }
.passkey-fallback { color: var(--muted); font-size: 0.875rem; }
.form--inline { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0.25rem 0.5rem 0.25rem 0; }
.form--inline .actions { flex-direction: row; margin: 0; }
.form--inline .button { width: auto; }
.form--inline .actions > * { flex: 0 0 auto; }
.input--small { width: auto; max-width: 12rem; padding-block: 0.375rem; }

@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { transition: none !important; animation: none !important; }
}

@media (forced-colors: active) {
  .button, .input, .card, .notice { border: 1px solid CanvasText; }
  .scopes__item::before { border-color: CanvasText; }
}
`;
