import type { DataSource } from 'typeorm';
import { managedMariadb } from './managed-mariadb';

/**
 * Takes the database away from a running gateway and brings it back. On the
 * project's own MariaDB (scripts/mariadb.sh, as in CI) the server really stops;
 * on SQLite, or a server the tests don't manage, the gateway's pool is closed
 * and reopened, which its queries see the same way.
 */
export function databaseOutage(dataSource: DataSource) {
  const managed = managedMariadb();
  return {
    kind: managed ? ('server stopped' as const) : ('pool closed' as const),
    async stop(): Promise<void> {
      if (managed) managed.stop();
      else await dataSource.destroy();
    },
    async start(): Promise<void> {
      if (managed) managed.start();
      else await dataSource.initialize();
    },
  };
}
