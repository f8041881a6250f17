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
  /** Pooled MySQL connections whose session is already READ COMMITTED. */
  private readonly readCommitted = new WeakSet<object>();

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
        return await this.readCommittedTransaction(work);
      } catch (err) {
        const code = (err as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (err as { code?: string }).code;
        const retryable = code !== undefined && (RETRYABLE_MYSQL_ERRORS.has(code) || (retryDuplicates && code === 'ER_DUP_ENTRY'));
        if (attempt >= MAX_ATTEMPTS || !retryable) throw err;
      }
    }
  }

  /**
   * DataSource.transaction('READ COMMITTED', work), except that the isolation
   * level is set once per pooled connection (for its session) instead of by
   * an extra statement before every transaction: a round trip saved on each.
   * READ COMMITTED: REPEATABLE READ's gap locks on a not-yet-existing token
   * hash make two concurrent first notifications of new tokens deadlock; the
   * unique keys keep us correct. Every transaction on MySQL runs through here.
   */
  private async readCommittedTransaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const connection = (runner as unknown as { databaseConnection: object }).databaseConnection;
      if (!this.readCommitted.has(connection)) {
        await runner.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
        this.readCommitted.add(connection);
      }
      await runner.startTransaction();
      try {
        const result = await work(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (err) {
        await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }
}
