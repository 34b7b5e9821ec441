/** A "copy to clipboard" button for progressive enhancement: rendered `hidden`, revealed and wired by `/assets/propusk.js`. */
import type { SafeHtml } from '../html.ts';
import type { Locale } from '../i18n/locale.ts';
import { t } from '../i18n/t.ts';
import { button } from './button.ts';

/** Renders a hidden button copying the text (or value) of the element with id `targetId`. Pages using it must set `page({ script: true })`. */
export function copyButton(locale: Locale, targetId: string): SafeHtml {
  return button({
    label: t(locale, 'common.copy'),
    type: 'button',
    variant: 'quiet',
    extra: {
      hidden: true,
      'data-copy-target': targetId,
      'data-copied-label': t(locale, 'common.copied'),
      class: 'button button--quiet button--small',
    },
  });
}
