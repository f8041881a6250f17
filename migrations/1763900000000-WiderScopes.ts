import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { isMysql } from '../src/database/sql-dialect';

/**
 * `authorizations.scopes` as TEXT: a TOKEN_CREATED may carry 32 scopes of up
 * to 64 characters (about 2,080 space-separated), more than VARCHAR(512) held,
 * and a valid notification must never be refused by the database.
 *
 * On MySQL one MODIFY, which keeps the data and can run twice (TypeORM's
 * changeColumn drops and re-adds a column whose type changes, which loses the
 * data and cannot be re-run once the drop is done). SQLite rebuilds the table
 * inside the migration's transaction.
 */
export class WiderScopes1763900000000 implements MigrationInterface {
  name = 'WiderScopes1763900000000';

  async up(q: QueryRunner): Promise<void> {
    if (isMysql(q.connection)) {
      await q.query('ALTER TABLE `authorizations` MODIFY `scopes` TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL');
      return;
    }
    await q.changeColumn('authorizations', 'scopes', new TableColumn({ name: 'scopes', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    if (isMysql(q.connection)) {
      await q.query('ALTER TABLE `authorizations` MODIFY `scopes` VARCHAR(512) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL');
      return;
    }
    await q.changeColumn('authorizations', 'scopes', new TableColumn({ name: 'scopes', type: 'varchar', length: '512', isNullable: true }));
  }
}
