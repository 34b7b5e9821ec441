/** Paged lists of the console: the operation's `cursor` and `limit`, the filters kept in the links. */
import { call, queryOf, withQuery, type ConsoleRequest } from './page.ts';

/** Rows per console page. */
export const PAGE_SIZE = 25;

export interface ListPage<T> {
  items: T[];
  /** The next page, when there is one. */
  next: string | undefined;
  /** The first page, when this is not it. */
  first: string | undefined;
  /** The filters of the request (non-empty query parameters among `filters`). */
  filters: Record<string, string>;
}

/** One page of list operation `id` with the request's `filters` and `cursor`. */
export async function listPage<T>(req: ConsoleRequest, id: string, path: string, filters: readonly string[], extra: Record<string, string> = {}): Promise<ListPage<T>> {
  const query = queryOf(req, filters);
  const cursor = queryOf(req, ['cursor']).cursor;
  const page = await call<{ items: T[]; next_cursor: string | null }>(req, id, { query: { ...query, ...extra, limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) } });
  return {
    items: page.items,
    next: page.next_cursor ? withQuery(path, { ...query, cursor: page.next_cursor }) : undefined,
    first: cursor ? withQuery(path, query) : undefined,
    filters: query,
  };
}
