import { DataSource } from 'typeorm';
import { readEnvironment } from '../config/environment';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';

/** `npm run migration:run` / `migration:revert` / `node dist/src/database/migrate.cli.js show`. */
async function main(command: string | undefined): Promise<void> {
  const config = loadConfig(readEnvironment());
  const dataSource = new DataSource(dataSourceOptions(config.database));
  await dataSource.initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('reverted the last migration');
    } else if (command === 'show') {
      console.log((await dataSource.showMigrations()) ? 'migrations pending' : 'schema is up to date');
    } else {
      throw new Error('usage: migrate.cli.js run|revert|show');
    }
  } finally {
    await dataSource.destroy();
  }
}

main(process.argv[2]).catch((err: Error) => {
  console.error(`migration failed: ${err.message}`);
  process.exit(1);
});
