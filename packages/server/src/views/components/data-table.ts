/** A simple accessible data table (caption, column headers, optional empty state); on a phone each row stacks into a card with labelled cells. */
import { html, type HtmlValue, type SafeHtml } from '../html.ts';
import { attributes } from '../attributes.ts';

export interface DataTableColumn<K extends string> {
  key: K;
  label: string;
  /** Right-align numbers and dates. */
  align?: 'start' | 'end';
}

export interface DataTableOptions<K extends string> {
  /** Table caption (its accessible name). */
  caption: string;
  /** Show the caption only to screen readers. */
  captionHidden?: boolean;
  columns: readonly DataTableColumn<K>[];
  rows: readonly Readonly<Record<K, HtmlValue>>[];
  /** Text shown instead of the table when there are no rows. */
  empty?: string;
  /** The first column holds row headers (`<th scope="row">`). Default true. */
  rowHeaders?: boolean;
}

/** Renders the table inside a focusable scroll region. */
export function dataTable<K extends string>(options: DataTableOptions<K>): SafeHtml {
  if (options.rows.length === 0 && options.empty !== undefined) {
    return html`<p class="table-empty">${options.empty}</p>`;
  }
  const rowHeaders = options.rowHeaders ?? true;
  const cellAttrs = (c: DataTableColumn<K>, scope?: 'col' | 'row', label?: string): SafeHtml =>
    attributes({ scope, class: c.align === 'end' ? 'num' : undefined, 'data-label': label });
  const head = options.columns.map((c) => html`<th${cellAttrs(c, 'col')}>${c.label}</th>`);
  const body = options.rows.map(
    (row) =>
      html`<tr>${options.columns.map((c, i) =>
        rowHeaders && i === 0
          ? html`<th${cellAttrs(c, 'row')}>${row[c.key]}</th>`
          : html`<td${cellAttrs(c, undefined, c.label)}>${row[c.key]}</td>`,
      )}</tr>`,
  );
  return html`<div class="table-scroll" role="region" tabindex="0" aria-label="${options.caption}">
<table class="table">
<caption${options.captionHidden ? html` class="visually-hidden"` : ''}>${options.caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${body}</tbody>
</table>
</div>`;
}
