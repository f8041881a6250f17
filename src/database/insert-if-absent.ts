import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { runSql } from './raw-rows';
import { SqlDialect } from './sql-dialect';

/** The statement for one shape of row (which columns it sets) and conflict column, built once: this runs in every authNotify. */
type Statement = { sql: string; columns: ColumnMetadata[] };
const statements = new WeakMap<EntityMetadata, Map<string, Statement>>();

/**
 * Inserts `entity` (its defined properties, converted as TypeORM writes them)
 * unless a row with the same value of the unique column behind
 * `conflictProperty` exists; true when this call inserted it. One statement
 * instead of find-then-insert on the hot paths; a concurrent twin waits on the
 * unique key and then sees the row. Validation upstream bounds every value, so
 * MySQL's IGNORE only ever skips the duplicate. Run inside a transaction.
 */
export async function insertIfAbsent<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  entity: T,
  conflictProperty: keyof T & string,
): Promise<boolean> {
  const meta = em.connection.getMetadata(target);
  const row = entity as Record<string, unknown>;
  let shape = conflictProperty;
  for (const c of meta.columns) shape += row[c.propertyName] === undefined ? '0' : '1';
  let byShape = statements.get(meta);
  if (!byShape) statements.set(meta, (byShape = new Map<string, Statement>()));
  let statement = byShape.get(shape);
  if (!statement) {
    const columns = meta.columns.filter((c) => row[c.propertyName] !== undefined);
    const conflict = meta.findColumnWithPropertyName(conflictProperty);
    if (!conflict) throw new Error(`${meta.name} has no property ${conflictProperty}`);
    const sql = SqlDialect.of(em).insertIgnore(
      meta.tableName,
      columns.map((c) => c.databaseName),
      conflict.databaseName,
    );
    byShape.set(shape, (statement = { sql, columns }));
  }
  const driver = em.connection.driver;
  const values = statement.columns.map((c) => driver.preparePersistentValue(row[c.propertyName], c) as unknown);
  return (await runSql(em, statement.sql, values)).affected === 1;
}
