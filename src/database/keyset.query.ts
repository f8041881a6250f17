import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { PageRequest } from '../common/keyset-page';

/**
 * Repository helper: newest first by (created_at, id), resuming after the
 * cursor's row, one row more than the page so the caller knows if another follows.
 * Column names are the table's, so it serves entity and raw-table queries alike.
 */
export function newestFirst<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, page: PageRequest): SelectQueryBuilder<T> {
  if (page.after) {
    qb.andWhere(`(${alias}.created_at < :keysetTime OR (${alias}.created_at = :keysetTime AND ${alias}.id < :keysetId))`, {
      keysetTime: page.after.createdAt,
      keysetId: page.after.id,
    });
  }
  return qb
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(page.limit + 1);
}

/** A unique index refused the row: a duplicate the service's pre-check could not see (a concurrent insert). */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
