import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { JOB_OPTIONS, type CallbackJob } from './callback-job';

/** Where the jobs of one cancellation go: one per endpoint. */
export interface ProducerEndpoint {
  readonly url: string;
  readonly merchantAccountId: string;
}

/**
 * The producer side of the BullMQ peer: per cancellation, one bulk add of a
 * job per endpoint (one MULTI to Redis). "Acknowledged" is when addBulk
 * resolves: the jobs are in Redis (in memory: the bench's Redis has no
 * persistence, so a crash loses them; the gateway's outbox is in MariaDB).
 */
export class FanoutProducer {
  readonly queue: Queue<CallbackJob>;
  private readonly connection: Redis;

  constructor(
    redisUrl: string,
    readonly queueName: string,
    private readonly referenceMerchantId: string,
    private readonly endpoints: readonly ProducerEndpoint[],
  ) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue<CallbackJob>(queueName, { connection: this.connection });
  }

  /** Enqueues the callbacks of one cancellation of `accessToken`; resolves 'S' once Redis has them all. */
  async cancel(accessToken: string): Promise<string> {
    const notifyId = randomUUID();
    const occurredAt = new Date().toISOString();
    await this.queue.addBulk(
      this.endpoints.map((e) => ({
        name: 'callback',
        data: {
          notifyId,
          accessToken,
          referenceMerchantId: this.referenceMerchantId,
          merchantAccountId: e.merchantAccountId,
          url: e.url,
          occurredAt,
          cancelSource: 'PSP',
        },
        opts: JOB_OPTIONS,
      })),
    );
    return 'S';
  }

  /** Jobs still waiting, running, delayed (retries) or failed for good. */
  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized');
  }

  /** Redis's peak memory (INFO memory used_memory_peak), MB. */
  async redisPeakMB(): Promise<number> {
    const info = await this.connection.info('memory');
    return Number(/used_memory_peak:(\d+)/.exec(info)?.[1] ?? NaN) / 1e6;
  }

  /** Removes the queue and everything in it, then disconnects. */
  async close(): Promise<void> {
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    this.connection.disconnect();
  }
}
