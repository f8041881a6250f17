import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { GroupSync } from './group-sync';
import { SqlDialect } from './sql-dialect';

const MAX_ATTEMPTS = 5;

/**
 * For `run`: a write no one is told of (a worker's lease and completion
 * bookkeeping). It resolves at the commit; a power cut before the next group
 * fsync can only make the worker repeat an attempt, which it must survive anyway.
 */
export const NOT_TOLD = { durable: false } as const;

/**
 * Runs a unit of work in one transaction, the `EntityManager` passed down
 * explicitly so a state change and its outbox rows commit together.
 *
 * SQLite has one connection: TypeORM would interleave two concurrent
 * transactions on it, so they are queued here. MySQL deadlocks are retried.
 *
 * Durable means the same on both engines: MySQL's COMMIT returns once its
 * log is flushed (innodb_flush_log_at_trx_commit=1); on SQLite `run`
 * resolves only after a group fsync of the WAL that began after the commit
 * (GroupSync), unless the work is marked `durable: false` because nobody is
 * told of it (a worker's lease bookkeeping, which a power cut only repeats).
 *
 * `afterCommit(em, fn)` runs `fn` once that transaction has committed (never
 * for an attempt that rolled back and ran again): how a write wakes whoever
 * acts on it without the wake-up being threaded back through return values.
 */
@Injectable()
export class UnitOfWork {
  private readonly serial: boolean;
  private readonly dialect: SqlDialect;
  private tail: Promise<unknown> = Promise.resolve();
  /** The callbacks each open transaction registered, by its EntityManager. */
  private readonly committed = new WeakMap<EntityManager, Array<() => void>>();
  /** Pooled MySQL connections whose session is already READ COMMITTED. */
  private readonly readCommitted = new WeakSet<object>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(GroupSync) private readonly groupSync: GroupSync | null = null,
  ) {
    this.dialect = SqlDialect.of(dataSource);
    this.serial = !this.dialect.mysql;
  }

  /**
   * `retryOnDuplicateKey`: a unique-key collision means a concurrent twin
   * committed first; running again sees its row (insert-or-find flows).
   * `durable: false`: resolve at the commit, without waiting for SQLite's
   * group fsync (for writes no one is told of).
   */
  run<T>(work: (em: EntityManager) => Promise<T>, options: { retryOnDuplicateKey?: boolean; durable?: boolean } = {}): Promise<T> {
    if (!this.serial) return this.withRetry(work, options.retryOnDuplicateKey === true);
    const result = this.tail.then(() => this.committing((run) => this.dataSource.transaction(run), work));
    this.tail = result.catch(() => undefined);
    const groupSync = this.groupSync;
    // The next transaction starts while this one waits for the disk: that is what groups them.
    return groupSync && options.durable !== false ? result.then(async (value) => (await groupSync.sync(), value)) : result;
  }

  /**
   * Runs `fn` after the transaction `em` belongs to commits; an `fn` that
   * throws cannot undo the commit. An `em` outside any unit of work (no
   * transaction to wait for) runs `fn` on the next tick.
   */
  afterCommit(em: EntityManager, fn: () => void): void {
    const list = this.committed.get(em);
    if (list) list.push(fn);
    else queueMicrotask(fn);
  }

  /** One transaction through `transact`, then its afterCommit callbacks once it has committed. */
  private async committing<T>(transact: (run: (em: EntityManager) => Promise<T>) => Promise<T>, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const callbacks: Array<() => void> = [];
    const result = await transact((em) => {
      this.committed.set(em, callbacks);
      return work(em);
    });
    for (const fn of callbacks) {
      try {
        fn();
      } catch {
        // A wake-up that throws must not turn a committed transaction into an error.
      }
    }
    return result;
  }

  private async withRetry<T>(work: (em: EntityManager) => Promise<T>, retryDuplicates: boolean): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.committing((run) => this.readCommittedTransaction(run), work);
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !this.dialect.isRetryable(err, { duplicates: retryDuplicates })) throw err;
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
