/**
 * The attacker of flood.bench, on its own thread so that its work does not
 * delay the measuring client's timers: `flooders` connections posting one
 * body back to back (closed loop) until told to stop, then it reports what
 * came back.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface FloodOrder {
  port: number;
  path: string;
  flooders: number;
  /** Size of the JSON array of ones to post. */
  bytes: number;
  clientId: string;
  /** Signature header value: any bytes, never a valid signature. */
  signature: string;
}

export interface FloodStats {
  sent: number;
  answered: Record<string, number>;
  bytesPerSecond: number;
}

/** A JSON array of ones of about `bytes`, as the review posted. */
function arrayOfOnes(bytes: number): Buffer {
  return Buffer.from(`[${Array.from({ length: Math.floor((bytes - 1) / 2) }, () => '1').join(',')}]`);
}

const order = workerData as FloodOrder;
const body = arrayOfOnes(order.bytes);
const agent = new Agent({ keepAlive: true, maxSockets: order.flooders });
const answered: Record<string, number> = {};
const count = (label: string) => (answered[label] = (answered[label] ?? 0) + 1);
let sent = 0;
let running = true;
const started = performance.now();

const one = () =>
  new Promise<void>((resolve) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port: order.port,
        method: 'POST',
        path: order.path,
        headers: {
          'content-type': 'application/json',
          'client-id': order.clientId,
          'request-time': new Date().toISOString(),
          signature: order.signature,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          let label = `HTTP ${res.statusCode}`;
          try {
            label = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { result?: { resultCode?: string } }).result?.resultCode ?? label;
          } catch {
            // keep the HTTP status as the label
          }
          count(label);
          resolve();
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      count(err.code ?? 'error');
      resolve();
    });
    sent++;
    req.end(body);
  });

const loops = Array.from({ length: order.flooders }, async () => {
  while (running) await one();
});

parentPort!.once('message', () => {
  running = false;
  void Promise.all(loops).then(() => {
    agent.destroy();
    const stats: FloodStats = { sent, answered, bytesPerSecond: (sent * body.length) / ((performance.now() - started) / 1000) };
    parentPort!.postMessage(stats);
  });
});
