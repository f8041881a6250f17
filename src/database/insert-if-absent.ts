import type { EntityManager } from 'typeorm';

/** `YYYY-MM-DD HH:mm:ss.SSS` in UTC: how TypeORM writes DATETIME values on both engines. */
export function sqlTime(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Inserts `row` (column names as keys) unless a row with the same value of the
 * unique `conflictColumn` exists; true when this call inserted it. One
 * statement instead of find-then-insert on the hot paths; a concurrent twin
 * waits on the unique key and then sees the row. Validation upstream bounds
 * every value, so MySQL's IGNORE only ever skips the duplicate.
 */
export async function insertIfAbsent(em: EntityManager, table: string, row: Record<string, unknown>, conflictColumn: string): Promise<boolean> {
  const mysql = em.connection.options.type === 'mysql';
  const columns = Object.keys(row);
  const values = columns.map((c) => (row[c] instanceof Date ? sqlTime(row[c]) : row[c]));
  const sql =
    `INSERT${mysql ? ' IGNORE' : ''} INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})` +
    (mysql ? '' : ` ON CONFLICT(${conflictColumn}) DO NOTHING`);
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  const result = (await runner.query(sql, values, true)) as { affected?: number };
  return result.affected === 1;
}
