/** Guards caller-supplied URLs placed in href/action attributes: only relative and http(s) URLs pass, so `javascript:` can never be linked. */

const SAFE = /^(?:\/(?!\/)|\?|#|https?:\/\/)/i;

function hasControlOrBackslash(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

/** Returns `url` when it is same-site relative (`/x`, `?x`, `#x`) or absolute http(s); otherwise `fallback` (default `#`). */
export function safeUrl(url: string, fallback = '#'): string {
  const trimmed = url.trim();
  return SAFE.test(trimmed) && !hasControlOrBackslash(trimmed) ? trimmed : fallback;
}
