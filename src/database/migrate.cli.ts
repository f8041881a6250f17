import { DataSource } from 'typeorm';
import { readEnvironment } from '../config/environment';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';
import { migrate, pendingMigrations } from './schema-migrator';

/** `npm run migration:run` / `migration:revert` / `node dist/src/database/migrate.cli.js show`. */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig(readEnvironment());
  const dataSource = new DataSource(dataSourceOptions(config.database));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await migrate(dataSource);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'show') {
      const pending = await pendingMigrations(dataSource);
      console.log(pending.length ? `migrations pending: ${pending.join(', ')}` : 'schema is up to date');
    } else {
      throw new Error('usage: migrate.cli.js run|revert|show');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((err: Error) => {
  // One line: the database's own message names the table or privilege; running again finishes a run that stopped half-way.
  console.error(`migration failed: ${err.message.split('\n')[0]}`);
  process.exit(1);
});
