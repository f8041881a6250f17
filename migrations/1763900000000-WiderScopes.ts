import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `authorizations.scopes` as TEXT: a TOKEN_CREATED may carry 32 scopes of up
 * to 64 characters (about 2,080 space-separated), more than VARCHAR(512) held,
 * and a valid notification must never be refused by the database.
 */
export class WiderScopes1763900000000 implements MigrationInterface {
  name = 'WiderScopes1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.changeColumn('authorizations', 'scopes', new TableColumn({ name: 'scopes', type: 'text', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.changeColumn('authorizations', 'scopes', new TableColumn({ name: 'scopes', type: 'varchar', length: '512', isNullable: true }));
  }
}
