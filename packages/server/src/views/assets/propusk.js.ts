/** The optional enhancement script served at /assets/propusk.js: copy-to-clipboard buttons (`data-copy-target`) and nothing else. */

/**
 * Script source. Reveals each `button[data-copy-target]` (rendered `hidden`, so pages work without JavaScript)
 * and copies the target element's value or text; announces `data-copied-label` through a polite live region.
 */
export const script = String.raw`(function () {
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
