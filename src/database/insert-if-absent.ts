import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { SqlDialect } from './sql-dialect';

/**
 * Inserts `entity` (its defined properties, converted as TypeORM writes them)
 * unless a row with the same value of the unique column behind
 * `conflictProperty` exists; true when this call inserted it. One statement
 * instead of find-then-insert on the hot paths; a concurrent twin waits on the
 * unique key and then sees the row. Validation upstream bounds every value, so
 * MySQL's IGNORE only ever skips the duplicate.
 */
export async function insertIfAbsent<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  entity: T,
  conflictProperty: keyof T & string,
): Promise<boolean> {
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const columns = meta.columns.filter((c) => (entity as Record<string, unknown>)[c.propertyName] !== undefined);
  const values = columns.map((c) => driver.preparePersistentValue((entity as Record<string, unknown>)[c.propertyName], c) as unknown);
  const conflict = meta.findColumnWithPropertyName(conflictProperty);
  if (!conflict) throw new Error(`${meta.name} has no property ${conflictProperty}`);
  const sql = SqlDialect.of(em).insertIgnore(
    meta.tableName,
    columns.map((c) => c.databaseName),
    conflict.databaseName,
  );
  const runner = em.queryRunner ?? em.connection.createQueryRunner();
  const result = (await runner.query(sql, values, true)) as { affected?: number };
  return result.affected === 1;
}
