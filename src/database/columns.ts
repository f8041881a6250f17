import { Column, type ColumnOptions } from 'typeorm';

/** A DATETIME(3) column in UTC on MySQL, an ISO-like text on SQLite; a `Date` in code. */
export function TimeColumn(name: string, options: Omit<ColumnOptions, 'name' | 'type'> = {}): PropertyDecorator {
  return Column({ name, type: 'datetime', ...options });
}
