import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * `delivery_attempts.started_at` indexed: the console's per-minute charts and
 * busiest-endpoint table read the last hour of attempts, which without it is
 * a scan of every attempt ever made (a hundred rows per cancellation).
 */
export class AttemptStartedIndex1764000000000 implements MigrationInterface {
  name = 'AttemptStartedIndex1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex('delivery_attempts', new TableIndex({ name: 'ix_delivery_attempts_started', columnNames: ['started_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('delivery_attempts', 'ix_delivery_attempts_started');
  }
}
