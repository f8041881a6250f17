import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { Columns } from './columns';

/**
 * Binding through the gateway (consult → auth code → applyToken → token):
 * - `consultations`: one row per merchant consult, found again by the
 *   authState Alipay+ echoes in AUTHCODE_CREATED;
 * - `auth_codes`: the exchange of a code for a token, leased so one caller at
 *   a time asks Alipay+ (the merchant's applyToken or the automatic
 *   exchange), and the token it gave;
 * - `authorizations.refresh_token_hash`: a refresh finds its token (only a
 *   token our applyToken issued has one the merchant knows: `query` never
 *   answers refresh tokens, so older rows need no backfill);
 * - `authorizations.auth_code_id` indexed: an exchange whose answer was lost
 *   finds the token Alipay+'s TOKEN_CREATED linked to its code;
 * - `merchants.auto_exchange`: the gateway exchanges AUTHCODE_CREATED codes
 *   itself (off by default).
 *
 * Re-runnable: columns and indexes are added only when missing.
 */
export class BindLifecycle1764200000000 implements MigrationInterface {
  name = 'BindLifecycle1764200000000';

  async up(q: QueryRunner): Promise<void> {
    const c = new Columns(q);
    await c.createTable(
      new Table({
        name: 'consultations',
        columns: [
          c.id(),
          c.ref('merchant_id'),
          c.str('auth_state', 256),
          c.str('customer_belongs_to', 64),
          c.str('psp_id', 64, { isNullable: true }),
          c.text('scopes', { isNullable: true }),
          c.str('merchant_account_id', 64, { isNullable: true }),
          c.str('result_status', 1),
          c.str('result_code', 64),
          c.time('created_at'),
        ],
        indices: [{ name: 'ix_consultations_state', columnNames: ['merchant_id', 'auth_state'] }],
      }),
    );
    await addMissing(q, 'auth_codes', [
      c.str('exchange_status', 16, { isNullable: true }),
      c.time('exchange_lease_until', true),
      c.time('next_exchange_at', true),
      c.int('exchange_attempts', { default: 0 }),
      c.str('exchange_result_code', 64, { isNullable: true }),
      c.ref('authorization_id', true),
      c.str('customer_belongs_to', 64, { isNullable: true }),
    ]);
    await addIndex(q, 'auth_codes', new TableIndex({ name: 'ix_auth_codes_exchange_due', columnNames: ['exchange_status', 'next_exchange_at'] }));
    await addMissing(q, 'authorizations', [c.hash('refresh_token_hash'), c.str('customer_belongs_to', 64, { isNullable: true })].map(nullable));
    await addIndex(q, 'authorizations', new TableIndex({ name: 'ix_authorizations_refresh', columnNames: ['refresh_token_hash'] }));
    await addIndex(q, 'authorizations', new TableIndex({ name: 'ix_authorizations_auth_code', columnNames: ['auth_code_id'] }));
    await addMissing(q, 'merchants', [c.int('auto_exchange', { default: 0 })]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('merchants', 'auto_exchange');
    await q.dropIndex('authorizations', 'ix_authorizations_refresh');
    await q.dropIndex('authorizations', 'ix_authorizations_auth_code');
    for (const column of ['refresh_token_hash', 'customer_belongs_to']) await q.dropColumn('authorizations', column);
    await q.dropIndex('auth_codes', 'ix_auth_codes_exchange_due');
    for (const column of [
      'exchange_status',
      'exchange_lease_until',
      'next_exchange_at',
      'exchange_attempts',
      'exchange_result_code',
      'authorization_id',
      'customer_belongs_to',
    ]) {
      await q.dropColumn('auth_codes', column);
    }
    await q.dropTable('consultations', true);
  }
}

function nullable(column: TableColumnOptions): TableColumnOptions {
  return { ...column, isNullable: true };
}

/** Adds the columns the table lacks, in one statement (one rebuild on SQLite). */
async function addMissing(q: QueryRunner, table: string, columns: TableColumnOptions[]): Promise<void> {
  const existing = new Set((await q.getTable(table))?.columns.map((col) => col.name) ?? []);
  const missing = columns.filter((col) => !existing.has(col.name)).map((col) => new TableColumn(col));
  if (missing.length > 0) await q.addColumns(table, missing);
}

async function addIndex(q: QueryRunner, table: string, index: TableIndex): Promise<void> {
  const existing = (await q.getTable(table))?.indices.some((i) => i.name === index.name);
  if (!existing) await q.createIndex(table, index);
}
