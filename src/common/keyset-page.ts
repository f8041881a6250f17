import { DomainError, ErrorCode } from './errors/domain-error';

/** Page size when the caller names none. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page the admin API serves in one answer. */
export const MAX_PAGE_SIZE = 200;

/** The last row of the previous page: lists are ordered newest first by (created_at, id). */
export interface Keyset {
  readonly createdAt: Date;
  readonly id: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly after?: Keyset;
}

export interface Page<T> {
  readonly items: T[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/**
 * Keyset rather than offset paging: rows inserted while an operator pages do
 * not shift later pages, and a deep page costs the same as the first.
 */
export function pageRequest(limit: number | undefined, cursor: string | undefined): PageRequest {
  const size = limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new DomainError(ErrorCode.PARAM_ILLEGAL, `limit: must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
  return cursor === undefined ? { limit: size } : { limit: size, after: decodeCursor(cursor) };
}

/** Repositories fetch `limit + 1` rows; the extra one only says whether there is a next page. */
export function toPage<R extends Keyset, T>(rows: R[], request: PageRequest, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, request.limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > request.limit && last ? encodeCursor(last) : null;
  return { items: items.map(map), nextCursor };
}

export function encodeCursor(k: Keyset): string {
  return Buffer.from(`${k.createdAt.toISOString()}|${k.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Keyset {
  const [time, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(time ?? '');
  if (extra !== undefined || !id || id.length > 36 || Number.isNaN(createdAt.getTime())) {
    throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'cursor: is not a cursor this API returned');
  }
  return { createdAt, id };
}
