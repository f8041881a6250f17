import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { Columns } from './columns';

/**
 * Who operates the gateway, and what they did:
 * - `operators`: named API tokens, stored as a keyed hash, each with a role;
 * - `console_sessions`: console log-ins, in the database so that instances
 *   behind one load balancer share them (no sticky sessions);
 * - `auth_throttles`: failed log-ins per client address, shared the same way;
 * - `audit_events`: one append-only row per operator write.
 */
export class OperatorsAndAudit1764100000000 implements MigrationInterface {
  name = 'OperatorsAndAudit1764100000000';

  async up(q: QueryRunner): Promise<void> {
    const c = new Columns(q);
    const tables = [
      new Table({
        name: 'operators',
        columns: [
          c.id(),
          c.str('name', 64),
          c.str('role', 16),
          c.hash('token_hash'),
          c.str('status', 16, { default: "'ACTIVE'" }),
          c.str('created_by', 64),
          c.time('created_at'),
          c.time('revoked_at', true),
          c.time('last_used_at', true),
        ],
        uniques: [
          { name: 'uq_operators_name', columnNames: ['name'] },
          { name: 'uq_operators_token_hash', columnNames: ['token_hash'] },
        ],
      }),
      new Table({
        name: 'console_sessions',
        columns: [
          { ...c.hash('id_hash'), isPrimary: true },
          c.ref('operator_id', true),
          c.str('operator_name', 64),
          c.str('operator_role', 16),
          c.str('ip', 64),
          c.time('created_at'),
          c.time('expires_at'),
        ],
        indices: [{ name: 'ix_console_sessions_expires', columnNames: ['expires_at'] }],
      }),
      new Table({
        name: 'auth_throttles',
        columns: [
          { ...c.str('subject', 128), isPrimary: true },
          c.int('failures'),
          c.time('window_started_at'),
          c.time('locked_until', true),
          c.time('updated_at'),
        ],
      }),
      new Table({
        name: 'audit_events',
        columns: [
          c.id(),
          c.time('created_at'),
          c.ref('actor_id', true),
          c.str('actor_name', 64),
          c.str('actor_role', 16),
          c.str('action', 160),
          c.str('target', 256, { isNullable: true }),
          c.int('status'),
          c.str('ip', 64),
        ],
        indices: [
          { name: 'ix_audit_events_created', columnNames: ['created_at'] },
          { name: 'ix_audit_events_actor', columnNames: ['actor_name', 'created_at'] },
        ],
      }),
    ];
    for (const table of tables) await c.createTable(table);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const name of ['audit_events', 'auth_throttles', 'console_sessions', 'operators']) await q.dropTable(name, true);
  }
}
