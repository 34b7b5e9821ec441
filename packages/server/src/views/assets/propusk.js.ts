/** The optional enhancement script served at /assets/propusk.js: copy-to-clipboard buttons (`data-copy-target`) and show-password toggles (`data-reveal-target`). */

/**
 * Script source. Reveals each `button[data-reveal-target]` (rendered `hidden`) and makes it switch its
 * password field between hidden and shown text, with `aria-pressed` and the label to match. Reveals
 * each `button[data-copy-target]` (rendered `hidden`, so pages work without JavaScript) and copies the
 * target element's value or text; announces `data-copied-label` through a polite live region.
 */
export const script = String.raw`(function () {
  'use strict';
  if (!document.querySelectorAll) return;
  Array.prototype.forEach.call(document.querySelectorAll('button[data-reveal-target]'), function (button) {
    var field = document.getElementById(button.getAttribute('data-reveal-target') || '');
    if (!field || field.type !== 'password') return;
    var show = button.getAttribute('data-show-label') || button.textContent;
    var hide = button.getAttribute('data-hide-label') || show;
    button.hidden = false;
    button.addEventListener('click', function () {
      var shown = field.type === 'text';
      field.type = shown ? 'password' : 'text';
      button.setAttribute('aria-pressed', shown ? 'false' : 'true');
      button.textContent = shown ? show : hide;
    });
    // The password is never submitted or kept as visible text.
    if (field.form) field.form.addEventListener('submit', function () { field.type = 'password'; });
  });
})();
(function () {
  'use strict';
  if (!navigator.clipboard || !document.querySelectorAll) return;
  var live = document.createElement('span');
  live.className = 'visually-hidden';
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');
  document.body.appendChild(live);
  var buttons = document.querySelectorAll('button[data-copy-target]');
  Array.prototype.forEach.call(buttons, function (button) {
    var target = document.getElementById(button.getAttribute('data-copy-target') || '');
    if (!target) return;
    var label = button.textContent;
    var copied = button.getAttribute('data-copied-label') || label;
    var timer = 0;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = 'value' in target && typeof target.value === 'string' ? target.value : target.textContent || '';
      navigator.clipboard.writeText(text.trim()).then(function () {
        button.textContent = copied;
        live.textContent = copied;
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = label;
          live.textContent = '';
        }, 2000);
      }, function () {});
    });
  });
})();
`;
