import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Columns } from './columns';

/**
 * The gateway's schema, portable between SQLite and MySQL 8 / MariaDB 10.6+.
 * Times are DATETIME(3) in UTC; ids are UUID strings; secrets are stored
 * encrypted (`*_enc`) next to an HMAC look-up hash (`*_hash`).
 *
 * Re-runnable, as every migration here must be: MySQL DDL is not
 * transactional, so a run that stopped half-way (a lost connection, a missing
 * privilege) has created some tables and not others. Each table is created
 * whole in one statement if it is not there yet, with its text columns in
 * utf8mb4_bin whatever the database's default collation (a foreign key needs
 * the same collation on both sides), then its default collation is set too.
 */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    const c = new Columns(q);
    const tables: Table[] = [
      new Table({
        name: 'merchants',
        columns: [
          c.id(),
          c.str('reference_merchant_id', 64),
          c.str('name', 128),
          c.str('status', 16, { default: "'ACTIVE'" }),
          c.str('client_id', 64),
          c.text('public_key', { isNullable: true }),
          c.text('previous_public_key', { isNullable: true }),
          c.str('consult_policy', 16, { default: "'ALLOW'" }),
          c.str('consult_url', 2048, { isNullable: true }),
          c.int('rate_limit_per_second', { isNullable: true }),
          ...c.stamps(),
        ],
        uniques: [
          { name: 'uq_merchants_reference_merchant_id', columnNames: ['reference_merchant_id'] },
          { name: 'uq_merchants_client_id', columnNames: ['client_id'] },
        ],
      }),
      new Table({
        name: 'sub_merchants',
        columns: [
          c.id(),
          c.ref('merchant_id'),
          c.str('merchant_account_id', 64),
          c.str('name', 128),
          c.str('status', 16, { default: "'ACTIVE'" }),
          ...c.stamps(),
        ],
        uniques: [{ name: 'uq_sub_merchants_account', columnNames: ['merchant_id', 'merchant_account_id'] }],
        foreignKeys: [c.fk('sub_merchants', 'merchant_id', 'merchants')],
      }),
      new Table({
        name: 'callback_endpoints',
        columns: [
          c.id(),
          c.ref('merchant_id'),
          c.ref('sub_merchant_id', true),
          c.str('url', 2048),
          c.str('event_types', 128),
          c.str('status', 16, { default: "'ACTIVE'" }),
          c.str('signing_scheme', 24, { default: "'ANTOM_RSA'" }),
          c.text('secret_enc', { isNullable: true }),
          c.text('previous_secret_enc', { isNullable: true }),
          c.str('disabled_reason', 256, { isNullable: true }),
          c.time('disabled_at', true),
          c.time('failing_since', true),
          ...c.stamps(),
        ],
        indices: [{ name: 'ix_callback_endpoints_merchant', columnNames: ['merchant_id', 'status'] }],
        foreignKeys: [c.fk('callback_endpoints', 'merchant_id', 'merchants'), c.fk('callback_endpoints', 'sub_merchant_id', 'sub_merchants')],
      }),
      new Table({
        name: 'auth_codes',
        columns: [
          c.id(),
          c.hash('auth_code_hash'),
          c.text('auth_code_enc'),
          c.str('enc_key_id', 16),
          c.str('auth_state', 256, { isNullable: true }),
          c.ref('merchant_id', true),
          ...c.authorizationIds(),
          c.time('created_at'),
        ],
        uniques: [{ name: 'uq_auth_codes_hash', columnNames: ['auth_code_hash'] }],
        indices: [
          { name: 'ix_auth_codes_auth_state', columnNames: ['auth_state'] },
          { name: 'ix_auth_codes_agreement', columnNames: ['reference_agreement_id'] },
        ],
      }),
      new Table({
        name: 'authorizations',
        columns: [
          c.id(),
          c.hash('access_token_hash'),
          c.text('access_token_enc'),
          c.text('refresh_token_enc', { isNullable: true }),
          c.str('enc_key_id', 16),
          c.str('status', 16),
          c.str('cancel_source', 16, { isNullable: true }),
          c.time('canceled_at', true),
          c.time('token_created_at', true),
          c.ref('merchant_id', true),
          c.ref('auth_code_id', true),
          ...c.authorizationIds(),
          c.str('user_login_id', 64, { isNullable: true }),
          c.str('scopes', 512, { isNullable: true }),
          c.text('wallet', { isNullable: true }),
          c.time('access_token_expiry_time', true),
          c.time('refresh_token_expiry_time', true),
          c.int('version', { default: 0 }),
          ...c.stamps(),
        ],
        uniques: [{ name: 'uq_authorizations_token_hash', columnNames: ['access_token_hash'] }],
        indices: [
          { name: 'ix_authorizations_customer', columnNames: ['customer_id'] },
          { name: 'ix_authorizations_merchant', columnNames: ['merchant_id', 'status'] },
        ],
      }),
      new Table({
        name: 'notifications',
        columns: [
          c.id(),
          c.str('notify_type', 32),
          c.hash('dedupe_key'),
          c.hash('subject_hash'),
          c.ref('authorization_id', true),
          c.str('client_id', 64),
          c.str('request_time', 64),
          c.text('redacted_body'),
          c.str('outcome', 32),
          c.int('duplicate_count', { default: 0 }),
          c.time('received_at'),
          c.time('last_received_at'),
        ],
        uniques: [{ name: 'uq_notifications_dedupe', columnNames: ['dedupe_key'] }],
        indices: [
          { name: 'ix_notifications_subject', columnNames: ['subject_hash'] },
          { name: 'ix_notifications_received', columnNames: ['received_at'] },
        ],
      }),
      new Table({
        name: 'events',
        columns: [
          c.id(),
          c.str('event_type', 32),
          c.hash('dedupe_key'),
          c.ref('authorization_id', true),
          c.ref('auth_code_id', true),
          c.ref('merchant_id', true),
          c.str('cancel_source', 16, { isNullable: true }),
          c.time('occurred_at'),
          c.time('created_at'),
        ],
        uniques: [{ name: 'uq_events_dedupe', columnNames: ['dedupe_key'] }],
        indices: [{ name: 'ix_events_authorization', columnNames: ['authorization_id'] }],
      }),
      new Table({
        name: 'deliveries',
        columns: [
          c.id(),
          c.ref('event_id'),
          c.ref('endpoint_id'),
          c.ref('merchant_id'),
          c.str('status', 16),
          c.int('attempt_count', { default: 0 }),
          c.time('next_attempt_at'),
          c.str('lease_owner', 64, { isNullable: true }),
          c.time('lease_expires_at', true),
          c.int('lease_version', { default: 0 }),
          c.int('last_http_status', { isNullable: true }),
          c.str('last_error', 256, { isNullable: true }),
          c.time('delivered_at', true),
          ...c.stamps(),
        ],
        uniques: [{ name: 'uq_deliveries_event_endpoint', columnNames: ['event_id', 'endpoint_id'] }],
        indices: [
          // The claim query: WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at.
          { name: 'ix_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_deliveries_lease', columnNames: ['status', 'lease_expires_at'] },
          { name: 'ix_deliveries_endpoint', columnNames: ['endpoint_id', 'status', 'created_at'] },
        ],
      }),
      new Table({
        name: 'delivery_attempts',
        columns: [
          c.id(),
          c.ref('delivery_id'),
          c.int('attempt_no'),
          c.time('started_at'),
          c.int('duration_ms'),
          c.int('http_status', { isNullable: true }),
          c.str('response_body', 1024, { isNullable: true }),
          c.str('error_class', 64, { isNullable: true }),
          c.str('outcome', 16),
        ],
        indices: [{ name: 'ix_delivery_attempts_delivery', columnNames: ['delivery_id', 'attempt_no'] }],
      }),
      new Table({
        name: 'cancel_token_jobs',
        columns: [
          c.id(),
          c.ref('authorization_id'),
          c.ref('merchant_id'),
          c.str('merchant_account_id', 64, { isNullable: true }),
          c.str('status', 16),
          c.longText('pass_through_info', { isNullable: true }),
          c.int('attempt_count', { default: 0 }),
          c.time('next_attempt_at'),
          c.str('lease_owner', 64, { isNullable: true }),
          c.time('lease_expires_at', true),
          c.int('lease_version', { default: 0 }),
          c.str('last_result_status', 1, { isNullable: true }),
          c.str('last_result_code', 64, { isNullable: true }),
          c.time('settled_at', true),
          ...c.stamps(),
        ],
        uniques: [{ name: 'uq_cancel_token_jobs_authorization', columnNames: ['authorization_id'] }],
        indices: [
          { name: 'ix_cancel_token_jobs_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_cancel_token_jobs_lease', columnNames: ['status', 'lease_expires_at'] },
        ],
      }),
      new Table({
        name: 'cancel_token_attempts',
        columns: [
          c.id(),
          c.ref('job_id'),
          c.int('attempt_no'),
          c.time('started_at'),
          c.int('duration_ms'),
          c.str('result_status', 1, { isNullable: true }),
          c.str('result_code', 64, { isNullable: true }),
          c.str('error_class', 64, { isNullable: true }),
        ],
        indices: [{ name: 'ix_cancel_token_attempts_job', columnNames: ['job_id', 'attempt_no'] }],
      }),
      new Table({
        name: 'merchant_requests',
        columns: [
          c.id(),
          c.ref('merchant_id'),
          c.ref('authorization_id', true),
          c.str('api', 32),
          c.str('result_status', 1),
          c.str('result_code', 64),
          c.time('received_at'),
        ],
        indices: [{ name: 'ix_merchant_requests_authorization', columnNames: ['authorization_id', 'received_at'] }],
      }),
    ];
    for (const table of tables) await c.createTable(table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of [
      'merchant_requests',
      'cancel_token_attempts',
      'cancel_token_jobs',
      'delivery_attempts',
      'deliveries',
      'events',
      'notifications',
      'authorizations',
      'auth_codes',
      'callback_endpoints',
      'sub_merchants',
      'merchants',
    ]) {
      await q.dropTable(name, true, true, true);
    }
  }
}
