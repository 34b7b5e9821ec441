/** Where a page may send the browser back to after signing in: only a path under its own surface. */

/** `value` when it is `base` or a path below it (no other site, no `//` or `\`); `base` otherwise. */
export function returnPathUnder(base: string, value: unknown, maxLength = 1000): string {
  if (typeof value !== 'string' || value.length > maxLength) return base;
  return value === base || (value.startsWith(`${base}/`) && !value.includes('//') && !value.includes('\\')) ? value : base;
}
