import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

const INDEX = 'ix_delivery_attempts_started';

/**
 * `delivery_attempts.started_at` indexed: the console's per-minute charts and
 * busiest-endpoint table read the last hour of attempts, which without it is
 * a scan of every attempt ever made (a hundred rows per cancellation).
 * Re-runnable: an index a stopped run already made is kept.
 */
export class AttemptStartedIndex1764000000000 implements MigrationInterface {
  name = 'AttemptStartedIndex1764000000000';

  async up(q: QueryRunner): Promise<void> {
    if (await hasIndex(q)) return;
    await q.createIndex('delivery_attempts', new TableIndex({ name: INDEX, columnNames: ['started_at'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    if (!(await hasIndex(q))) return;
    await q.dropIndex('delivery_attempts', INDEX);
  }
}

async function hasIndex(q: QueryRunner): Promise<boolean> {
  const table = await q.getTable('delivery_attempts');
  return table?.indices.some((i) => i.name === INDEX) ?? false;
}
