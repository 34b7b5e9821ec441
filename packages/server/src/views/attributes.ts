/** Renders an element's attributes from a record, escaping values, so components never hand-build attribute strings. */
import { SafeHtml, escapeHtml } from './html.ts';

/** An attribute value: `true` renders a boolean attribute, `false`/`null`/`undefined` omit it. */
export type AttributeValue = string | number | boolean | null | undefined;

const NAME = /^[a-z][a-z0-9:_.-]*$/i;

/** `attributes({ id: 'x', required: true, hidden: false })` → ` id="x" required`. Throws on an invalid attribute name. */
export function attributes(record: Readonly<Record<string, AttributeValue>>): SafeHtml {
  let out = '';
  for (const [name, value] of Object.entries(record)) {
    if (!NAME.test(name)) throw new TypeError(`Invalid attribute name: ${JSON.stringify(name)}`);
    if (value === false || value === null || value === undefined) continue;
    out += value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`;
  }
  return SafeHtml.trust(out);
}
