import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/** MySQL errors after which the whole transaction can safely run again. */
const RETRYABLE_MYSQL_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

type HasOptions = Pick<DataSource, 'options'>;

/** MySQL or MariaDB (the `mysql` driver serves both): where DDL is not transactional and text needs a collation. */
export function isMysql(dataSource: HasOptions): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}

/**
 * Everything the two engines spell differently, in one place: the only code
 * outside `src/database` that asks which engine it runs on asks this.
 *
 * - Row locks: MySQL and MariaDB lock with `FOR UPDATE` (claims add `SKIP
 *   LOCKED`, so instances never claim the same row); SQLite has one writer and
 *   no row locks, so the lock is simply left out.
 * - Insert-if-absent: `INSERT IGNORE` against `ON CONFLICT … DO NOTHING`.
 * - Time buckets: `DATE_FORMAT` against a prefix of SQLite's stored text.
 * - Retryable errors: a deadlock or lock wait on MySQL; SQLite has none.
 */
export class SqlDialect {
  private static readonly known = new WeakMap<object, SqlDialect>();

  /** The dialect of `source`'s engine (a DataSource or an EntityManager). */
  static of(source: HasOptions | EntityManager): SqlDialect {
    const dataSource: HasOptions = 'connection' in source ? source.connection : source;
    let dialect = SqlDialect.known.get(dataSource);
    if (!dialect) {
      dialect = new SqlDialect(isMysql(dataSource));
      SqlDialect.known.set(dataSource, dialect);
    }
    return dialect;
  }

  /** The key for per-engine caches of generated SQL. */
  readonly name: 'mysql' | 'sqlite';

  constructor(readonly mysql: boolean) {
    this.name = mysql ? 'mysql' : 'sqlite';
  }

  /** ` FOR UPDATE` to append to a hand-written SELECT (empty on SQLite). */
  get forUpdate(): string {
    return this.mysql ? ' FOR UPDATE' : '';
  }

  /** Locks the rows `qb` reads until commit; `skipLocked` for claims, so concurrent claimers take disjoint rows. */
  lockForUpdate<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, options: { skipLocked?: boolean } = {}): SelectQueryBuilder<T> {
    if (!this.mysql) return qb;
    qb.setLock('pessimistic_write');
    if (options.skipLocked) qb.setOnLocked('skip_locked');
    return qb;
  }

  /** `INSERT … unless a row with the same unique conflictColumn exists`, `?` placeholders in column order. */
  insertIgnore(table: string, columns: readonly string[], conflictColumn: string): string {
    const values = columns.map(() => '?').join(', ');
    return this.mysql
      ? `INSERT IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${values})`
      : `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values}) ON CONFLICT(${conflictColumn}) DO NOTHING`;
  }

  /** The UTC minute of a DATETIME column as `YYYY-MM-DD HH:MM`: MySQL formats it, SQLite stores it as that text already. */
  minuteOf(column: string): string {
    return this.mysql ? `DATE_FORMAT(${column}, '%Y-%m-%d %H:%i')` : `substr(${column}, 1, 16)`;
  }

  /**
   * True when the whole transaction that failed with `err` can run again;
   * `duplicates`: a unique-key collision counts too (insert-or-find flows).
   */
  isRetryable(err: unknown, options: { duplicates?: boolean } = {}): boolean {
    if (!this.mysql) return false;
    const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
    return code !== undefined && (RETRYABLE_MYSQL_ERRORS.has(code) || (options.duplicates === true && code === 'ER_DUP_ENTRY'));
  }
}
