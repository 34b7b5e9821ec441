/** The passkey forms' script, served at /assets/passkeys.js (after @simplewebauthn/browser's bundle at /assets/webauthn.js). */

/**
 * Script source. Each `form[data-passkey]` is rendered `hidden` (pages work without JavaScript) and
 * revealed when the browser has WebAuthn; `[data-passkey-fallback]` texts are hidden then. On
 * submit the form runs the ceremony with the options of `data-passkey-options` (`register` or
 * `authenticate`), puts the browser's answer as JSON into its `credential` field and posts.
 * A cancelled or failed ceremony shows `data-passkey-error` in the form and posts nothing.
 */
export const passkeyScript = String.raw`(function () {
  'use strict';
  var lib = window.SimpleWebAuthnBrowser;
  if (!lib || !lib.browserSupportsWebAuthn || !lib.browserSupportsWebAuthn()) return;
  Array.prototype.forEach.call(document.querySelectorAll('[data-passkey-fallback]'), function (el) { el.hidden = true; });
  Array.prototype.forEach.call(document.querySelectorAll('form[data-passkey]'), function (form) {
    var options;
    try { options = JSON.parse(form.getAttribute('data-passkey-options') || 'null'); } catch (e) { return; }
    if (!options) return;
    form.hidden = false;
    var mode = form.getAttribute('data-passkey');
    var field = form.querySelector('input[name="credential"]');
    var error = form.querySelector('.passkey-form__error');
    var busy = false;
    form.addEventListener('submit', function (event) {
      if (field.value) return;
      event.preventDefault();
      if (busy || (form.checkValidity && !form.checkValidity())) return;
      busy = true;
      if (error) error.hidden = true;
      var ceremony = mode === 'register' ? lib.startRegistration({ optionsJSON: options }) : lib.startAuthentication({ optionsJSON: options });
      ceremony.then(function (answer) {
        field.value = JSON.stringify(answer);
        form.submit();
      }, function () {
        busy = false;
        if (error) {
          error.textContent = form.getAttribute('data-passkey-error') || '';
          error.hidden = false;
        }
      });
    });
  });
})();
`;
