import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface MessageToSign {
  path: string;
  clientId: string;
  /** Exact JSON text to send. */
  body: string;
}

/** A request ready to send: headers signed the way Alipay+ and the Antom SDKs sign. */
export interface PreparedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Request-Time, epoch ms: the skew window (300 s) runs from here. */
  readonly signedAtMs: number;
}

/**
 * Signs every message before the timed phase, on all cores (worker threads),
 * so signing is not on the client while it measures. Request-Time is the
 * moment each one is signed: use the result within the skew window.
 */
export async function presign(messages: readonly MessageToSign[], privateKeyPem: string): Promise<PreparedRequest[]> {
  const threads = Math.max(1, Math.min(availableParallelism(), Math.ceil(messages.length / 200)));
  const per = Math.ceil(messages.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => messages.slice(i * per, (i + 1) * per));
  const signed = await Promise.all(
    slices.map(
      (slice) =>
        new Promise<Array<{ time: string; signature: string }>>((resolve, reject) => {
          const worker = new Worker(join(__dirname, 'presign.worker.js'), { workerData: { privateKeyPem, messages: slice } });
          worker.once('message', resolve);
          worker.once('error', reject);
          worker.once('exit', (code) => code !== 0 && reject(new Error(`presign worker exited ${code}`)));
        }),
    ),
  );
  return signed.flat().map(({ time, signature }, i) => {
    const m = messages[i];
    const body = Buffer.from(m.body, 'utf8');
    return {
      path: m.path,
      body,
      signedAtMs: Date.parse(time),
      headers: {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': String(body.length),
        'client-id': m.clientId,
        'request-time': time,
        signature: `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(signature)}`,
      },
    };
  });
}
