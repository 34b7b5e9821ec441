/** Display form of a device-flow user code: letters upper-cased, separators dropped, split in groups of four (`BDWPHQPK` → `BDWP-HQPK`). */

/** Formats a user code for display; input case and dashes/spaces are ignored. */
export function formatUserCode(code: string): string {
  const compact = code.replace(/[^0-9a-z]/gi, '').toUpperCase();
  return compact.match(/.{1,4}/g)?.join('-') ?? '';
}
