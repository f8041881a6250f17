import type { QueryRunner, Table, TableColumnOptions } from 'typeorm';
import { isMysql } from '../src/database/sql-dialect';

/**
 * Column shapes written once for both engines, and the one way migrations
 * make a table. Every migration must be re-runnable: MySQL DDL is not
 * transactional, so a run that stopped half-way is finished by the next.
 */
export class Columns {
  readonly mysql: boolean;
  /** On MySQL every text column is utf8mb4_bin: byte-exact compares, and never the database's default. */
  private readonly binary: Partial<TableColumnOptions>;
  constructor(private readonly q: QueryRunner) {
    this.mysql = isMysql(q.connection);
    this.binary = this.mysql ? { charset: 'utf8mb4', collation: 'utf8mb4_bin' } : {};
  }

  /**
   * Creates the table whole (columns, keys, indexes and foreign keys in one
   * statement) unless it is there, then gives it utf8mb4_bin as its default
   * too, which repeats harmlessly.
   */
  async createTable(table: Table): Promise<void> {
    await this.q.createTable(table, true, true, true);
    if (this.mysql) await this.q.query(`ALTER TABLE \`${table.name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  }
  id(): TableColumnOptions {
    return { name: 'id', type: 'varchar', length: '36', isPrimary: true, ...this.binary };
  }
  ref(name: string, nullable = false): TableColumnOptions {
    return { name, type: 'varchar', length: '36', isNullable: nullable, ...this.binary };
  }
  str(name: string, length: number, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
    return { name, type: 'varchar', length: String(length), ...this.binary, ...extra };
  }
  hash(name: string): TableColumnOptions {
    return { name, type: 'varchar', length: '64', ...this.binary };
  }
  text(name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
    return { name, type: 'text', ...this.binary, ...extra };
  }
  /** passThroughInfo may be 20000 characters, more than MySQL's TEXT holds in utf8mb4. */
  longText(name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
    return { name, type: this.mysql ? 'mediumtext' : 'text', ...this.binary, ...extra };
  }
  int(name: string, extra: Partial<TableColumnOptions> = {}): TableColumnOptions {
    return { name, type: 'int', ...extra };
  }
  time(name: string, nullable = false): TableColumnOptions {
    return { name, type: 'datetime', precision: this.mysql ? 3 : undefined, isNullable: nullable };
  }
  stamps(): TableColumnOptions[] {
    return [this.time('created_at'), this.time('updated_at')];
  }
  /** The ids Alipay+ sends with every authorization notification. */
  authorizationIds(): TableColumnOptions[] {
    return [
      this.str('reference_merchant_id', 64, { isNullable: true }),
      this.str('reference_agreement_id', 64, { isNullable: true }),
      this.str('customer_id', 64, { isNullable: true }),
      this.str('auth_client_id', 64, { isNullable: true }),
      this.str('acquirer_id', 64, { isNullable: true }),
      this.str('psp_id', 64, { isNullable: true }),
    ];
  }
  fk(table: string, column: string, referenced: string) {
    return {
      name: `fk_${table}_${column}`,
      columnNames: [column],
      referencedTableName: referenced,
      referencedColumnNames: ['id'],
      onDelete: 'RESTRICT',
    };
  }
}
