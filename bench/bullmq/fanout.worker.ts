/**
 * The BullMQ peer of the gateway's callback dispatcher, in a process of its
 * own: a Worker (concurrency 128, like CALLBACK_CONCURRENCY) that signs and
 * POSTs each callback job, retried by BullMQ (attempts, exponential backoff).
 *
 *   REDIS_URL=redis://127.0.0.1:6390 QUEUE=<name> [CONCURRENCY=128] node dist/bench/bullmq/fanout.worker.js
 *
 * Prints `READY` once connected; on SIGTERM closes the worker (waiting for
 * the jobs in hand) and prints `STATS {"completed":n,"failedAttempts":n}`.
 */
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { BENCH_CLIENT_ID, BENCH_KEYS } from '../support/bench-keys';
import { CallbackSender, type CallbackJob } from './callback-job';

async function main(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
  const queue = process.env.QUEUE;
  if (!queue) throw new Error('QUEUE is required');
  const concurrency = Number(process.env.CONCURRENCY ?? 128);
  const sender = new CallbackSender({ clientId: BENCH_CLIENT_ID, privateKey: BENCH_KEYS.acqpPrivate });
  // A Worker's blocking connection must retry forever (BullMQ requires maxRetriesPerRequest: null).
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  let completed = 0;
  let failedAttempts = 0;
  const worker = new Worker<CallbackJob>(queue, (job: Job<CallbackJob>) => sender.send(job.data), { connection, concurrency });
  worker.on('completed', () => completed++);
  worker.on('failed', () => failedAttempts++);
  worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));
  await worker.waitUntilReady();
  process.stdout.write('READY\n');
  const stop = () => {
    void worker
      .close()
      .then(() => {
        sender.agents.http.destroy();
        process.stdout.write(`STATS ${JSON.stringify({ completed, failedAttempts })}\n`);
        connection.disconnect();
        process.exit(0);
      })
      .catch(() => process.exit(1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`bullmq worker failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
