import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** MySQL errors after which the whole transaction can safely run again. */
const RETRYABLE_MYSQL_ERRORS = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);
const MAX_ATTEMPTS = 5;

/**
 * Runs a unit of work in one transaction, the `EntityManager` passed down
 * explicitly so a state change and its outbox rows commit together.
 *
 * SQLite has one connection: TypeORM would interleave two concurrent
 * transactions on it, so they are queued here. MySQL deadlocks are retried.
 */
@Injectable()
export class UnitOfWork {
  private readonly serial: boolean;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'better-sqlite3';
  }

  /**
   * `retryOnDuplicateKey`: a unique-key collision means a concurrent twin
   * committed first; running again sees its row (insert-or-find flows).
   */
  run<T>(work: (em: EntityManager) => Promise<T>, options: { retryOnDuplicateKey?: boolean } = {}): Promise<T> {
    if (!this.serial) return this.withRetry(work, options.retryOnDuplicateKey === true);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async withRetry<T>(work: (em: EntityManager) => Promise<T>, retryDuplicates: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        // READ COMMITTED: REPEATABLE READ's gap locks on a not-yet-existing token hash make two
        // concurrent first notifications of new tokens deadlock; the unique keys keep us correct.
        return await this.dataSource.transaction('READ COMMITTED', work);
      } catch (err) {
        const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
        const retryable = code !== undefined && (RETRYABLE_MYSQL_ERRORS.has(code) || (retryDuplicates && code === 'ER_DUP_ENTRY'));
        if (attempt >= MAX_ATTEMPTS || !retryable) throw err;
      }
    }
  }
}
