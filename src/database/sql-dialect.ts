import type { DataSource } from 'typeorm';

/** MySQL or MariaDB (the `mysql` driver serves both): where DDL is not transactional and text needs a collation. */
export function isMysql(dataSource: Pick<DataSource, 'options'>): boolean {
  return dataSource.options.type === 'mysql' || dataSource.options.type === 'mariadb';
}
