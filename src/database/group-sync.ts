import { open } from 'node:fs/promises';

/**
 * Group commit for the embedded database's fsync. SQLite in WAL mode with
 * `synchronous = NORMAL` commits into the OS page cache: a process crash
 * loses nothing, a power cut can lose the last commits. `FULL` would fsync
 * inside every COMMIT, and better-sqlite3 runs that on the event loop, so
 * every request would wait for the disk one commit at a time.
 *
 * Instead a unit of work commits as NORMAL, then waits here for an
 * fdatasync of the -wal file that *started after its commit returned*
 * (fsync works on the file, whichever descriptor asks). Commits that finish
 * while one fdatasync runs share the next one: one flush for a whole group,
 * off the event loop, and no acknowledgement before its own bytes are on
 * disk. The WAL is append-ordered, so a flush covers every commit before it.
 */
export class GroupSync {
  /** The flush in progress, and the one queued to start after it (it covers everyone who arrived meanwhile). */
  private running: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly flush: () => Promise<void>) {}

  /** Resolves once a flush that began after this call has completed; rejects if that flush failed. */
  sync(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    // The running flush may have begun before the caller's commit: it does not count.
    const after = this.running.catch(() => undefined);
    this.queued = after.then(() => {
      this.queued = null;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<void> {
    const flush = (this.running = Promise.resolve().then(this.flush));
    void flush.then(
      () => this.finished(flush),
      () => this.finished(flush),
    );
    return flush;
  }

  private finished(flush: Promise<void>): void {
    if (this.running === flush) this.running = null;
  }
}

/** fdatasync of an SQLite database's write-ahead log (`<path>-wal`). */
export function walFlush(databasePath: string): () => Promise<void> {
  return async () => {
    const wal = await open(`${databasePath}-wal`, 'r');
    try {
      await wal.datasync();
    } finally {
      await wal.close();
    }
  };
}
