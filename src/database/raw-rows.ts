import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { SqlDialect } from './sql-dialect';

/**
 * Single-row reads and writes as hand-written, parameterized SQL, for the hot
 * path of authNotify intake. They use TypeORM's own column metadata and value
 * conversions (`preparePersistentValue` / `prepareHydratedValue`), so a row is
 * written and read exactly as `em.insert`, `em.update` and `getOne` would,
 * version column included, without the query builder's per-call SQL
 * generation (most of the intake's TypeORM time under load). Run inside a
 * transaction: they use its query runner.
 */

/** `affected` for writes, `records` for reads, on both engines. */
export async function runSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<{ records: unknown[]; affected?: number }> {
  if (!em.queryRunner) throw new Error('runSql needs a transaction');
  const result = (await em.queryRunner.query(sql, params as unknown[], true)) as { records?: unknown; affected?: number };
  return { records: Array.isArray(result.records) ? result.records : [], affected: result.affected };
}

/** The row whose `column` (its database name) equals `value`, hydrated as TypeORM would; locked FOR UPDATE on MySQL when asked. */
export function findRowBy<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  column: string,
  value: unknown,
  options: { forUpdate?: boolean } = {},
): Promise<T | null> {
  return findRowWhere(em, target, `${column} = ?`, [value], options);
}

/**
 * The first row matching `where` (SQL over database column names, `?`
 * placeholders), hydrated as TypeORM would; locked FOR UPDATE on MySQL when
 * asked (inside a transaction). Outside one it reads through the pool.
 */
export async function findRowWhere<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  where: string,
  params: readonly unknown[],
  options: { forUpdate?: boolean } = {},
): Promise<T | null> {
  const meta = em.connection.getMetadata(target);
  const lock = options.forUpdate ? SqlDialect.of(em).forUpdate : '';
  const names = meta.columns.map((c) => c.databaseName);
  const sql = `SELECT ${names.join(', ')} FROM ${meta.tableName} WHERE ${where} LIMIT 1${lock}`;
  const records = em.queryRunner ? (await runSql(em, sql, params)).records : await em.query<unknown[]>(sql, [...params]);
  const raw = records[0] as Record<string, unknown> | undefined;
  return raw ? (hydrateRow(em, meta, raw) as T) : null;
}

/**
 * The entity `meta` describes, from a raw result row whose columns for it are
 * named `<prefix><column>`, converted as TypeORM reads them; null when its
 * primary key is null (a LEFT JOIN that found nothing).
 */
export function hydrateRow(em: EntityManager, meta: EntityMetadata, raw: Record<string, unknown>, prefix = ''): ObjectLiteral | null {
  if (raw[`${prefix}${meta.primaryColumns[0].databaseName}`] == null) return null;
  const entity = meta.create() as ObjectLiteral;
  for (const c of meta.columns) entity[c.propertyName] = em.connection.driver.prepareHydratedValue(raw[`${prefix}${c.databaseName}`], c) as unknown;
  return entity;
}

/** A column value computed by the database in the same statement, e.g. a scalar sub-query: one round trip instead of two. */
export class SqlExpression {
  constructor(
    readonly sql: string,
    readonly params: readonly unknown[],
  ) {}
}

export type ColumnExpressions<T> = Partial<Record<keyof T, SqlExpression>>;

/**
 * Inserts the entity's defined properties (a version column starts at 1, as
 * TypeORM starts it); a property in `computed` is set by its expression instead.
 */
export async function insertRow<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  entity: T,
  computed: ColumnExpressions<T> = {},
): Promise<void> {
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const names: string[] = [];
  const placeholders: string[] = [];
  const values: unknown[] = [];
  for (const c of meta.columns) {
    const expression = (computed as Record<string, SqlExpression | undefined>)[c.propertyName];
    let value = (entity as Record<string, unknown>)[c.propertyName];
    if (value === undefined && c === meta.versionColumn) value = 1;
    if (value === undefined && !expression) continue;
    names.push(c.databaseName);
    placeholders.push(expression ? expression.sql : '?');
    values.push(...(expression ? expression.params : [driver.preparePersistentValue(value, c)]));
  }
  await runSql(em, `INSERT INTO ${meta.tableName} (${names.join(', ')}) VALUES (${placeholders.join(', ')})`, values);
}

/**
 * Inserts rows of one shape (the first row's defined properties) in one
 * multi-row INSERT: a fan-out's deliveries, a batch's attempt rows.
 */
export async function insertRows<T extends ObjectLiteral>(em: EntityManager, target: EntityTarget<T>, rows: readonly T[]): Promise<void> {
  if (rows.length === 0) return;
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const columns = meta.columns.filter((c) => (rows[0] as Record<string, unknown>)[c.propertyName] !== undefined);
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  // Under both engines' bound-parameter limits (MySQL 65,535; SQLite 32,766), however many endpoints a merchant has.
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let from = 0; from < rows.length; from += perStatement) {
    const chunk = rows.slice(from, from + perStatement);
    const values: unknown[] = [];
    for (const row of chunk) for (const c of columns) values.push(driver.preparePersistentValue((row as Record<string, unknown>)[c.propertyName], c));
    await runSql(em, `INSERT INTO ${meta.tableName} (${columns.map((c) => c.databaseName).join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, values);
  }
}

const MAX_PARAMETERS = 30_000;

/**
 * Sets `changes` (property names) on the row with this primary key and bumps
 * its version column, as em.update does; a property in `computed` is set by
 * its expression instead.
 */
export async function updateRowById<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  id: string,
  changes: Partial<T>,
  computed: ColumnExpressions<T> = {},
): Promise<void> {
  await updateRowsById(em, target, [id], changes, computed);
}

/**
 * updateRowById for many rows in one statement, only where `condition` (a
 * predicate over the row, e.g. a fence on its state) also holds; how many
 * rows changed.
 */
export async function updateRowsById<T extends ObjectLiteral>(
  em: EntityManager,
  target: EntityTarget<T>,
  ids: readonly string[],
  changes: Partial<T>,
  computed: ColumnExpressions<T> = {},
  condition?: SqlExpression,
): Promise<number> {
  if (ids.length === 0) return 0;
  const meta = em.connection.getMetadata(target);
  const driver = em.connection.driver;
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const c of meta.columns) {
    const expression = (computed as Record<string, SqlExpression | undefined>)[c.propertyName];
    const value = (changes as Record<string, unknown>)[c.propertyName];
    if (value === undefined && !expression) continue;
    sets.push(`${c.databaseName} = ${expression ? expression.sql : '?'}`);
    values.push(...(expression ? expression.params : [driver.preparePersistentValue(value, c)]));
  }
  const version = meta.versionColumn;
  if (version && (changes as Record<string, unknown>)[version.propertyName] === undefined) {
    sets.push(`${version.databaseName} = ${version.databaseName} + 1`);
  }
  if (sets.length === 0) return 0;
  const primary = meta.primaryColumns[0];
  const where = `${primary.databaseName} IN (${ids.map(() => '?').join(', ')})${condition ? ` AND (${condition.sql})` : ''}`;
  const { affected } = await runSql(em, `UPDATE ${meta.tableName} SET ${sets.join(', ')} WHERE ${where}`, [...values, ...ids, ...(condition?.params ?? [])]);
  return affected ?? 0;
}
