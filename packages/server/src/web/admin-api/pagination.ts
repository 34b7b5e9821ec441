/**
 * Cursor pagination of every list: `?limit=` (default 50, at most 200) and `?cursor=` (opaque, from
 * `next_cursor`), answering `{ items, next_cursor }`; `next_cursor` is null on the last page.
 *
 * A cursor is the sort key of the last item returned (base64url of a JSON array), so walking a list
 * returns each item once even while items are added or removed (keyset pagination). A cursor that
 * does not decode to such a key is a 400 `invalid-cursor`, never a 500.
 */
import { z } from 'zod';
import { Problem } from './problem.ts';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** A sort key: strings and numbers, compared in order. */
export type CursorKey = readonly (string | number)[];

export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe(`items per page (1-${MAX_LIMIT}, default ${DEFAULT_LIMIT})`),
  cursor: z.string().max(1000).optional().describe('`next_cursor` of the previous page'),
};

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().describe('pass as `cursor` for the next page; null on the last page'),
  });

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The key in `cursor`, of `arity` elements; Problem `invalid-cursor` otherwise. */
export function decodeCursor(cursor: string, arity: number): CursorKey {
  let key: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new Problem('invalid-cursor', 'cursor is not a value of next_cursor');
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))) {
    throw new Problem('invalid-cursor', 'cursor is not a value of next_cursor');
  }
  return key as CursorKey;
}

/**
 * A page of `rows` fetched with one more than `limit` (keyset query: `key > after`, ascending or
 * descending as the caller ordered): the first `limit`, and a cursor to the last of them when more exist.
 */
export function pageFromRows<R, T>(rows: R[], limit: number, keyOf: (row: R) => CursorKey, toItem: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  return { items: kept.map(toItem), next_cursor: more ? encodeCursor(keyOf(kept[kept.length - 1]!)) : null };
}

const compareKeys = (a: CursorKey, b: CursorKey): number => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
};

/** A page of a list held in memory (clients, resources, keys): sorted by `keyOf`, after the cursor. */
export function pageInMemory<R, T>(
  all: readonly R[],
  query: { limit: number; cursor?: string | undefined },
  key: { arity: number; of: (row: R) => CursorKey },
  toItem: (row: R) => T,
): Page<T> {
  const keyOf = key.of;
  const sorted = [...all].sort((a, b) => compareKeys(keyOf(a), keyOf(b)));
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, key.arity);
  const rest = after === undefined ? sorted : sorted.filter((r) => compareKeys(keyOf(r), after) > 0);
  return pageFromRows(rest.slice(0, query.limit + 1), query.limit, keyOf, toItem);
}
