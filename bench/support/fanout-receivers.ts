import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PEMS } from './bench-keys';
import { httpGet, httpPost, startNodeChild, type BenchChild } from './child-process';

/** Every callback the receivers recorded, column by column (one index per callback). */
export interface ReceivedLog {
  /** Arrival, epoch ms (µs precision). */
  times: number[];
  endpoints: number[];
  notifyIds: string[];
  tokens: string[];
  valid: boolean[];
}

async function json<T>(answer: Promise<{ status: number; body: string }>, what: string): Promise<T> {
  const res = await answer;
  if (res.status !== 200) throw new Error(`receiver ${what}: HTTP ${res.status}`);
  return JSON.parse(res.body) as T;
}

/**
 * The merchants' side of the fan-out: `processes` receiver processes
 * (bench/support/fanout-receiver.server.ts), each on `portsPerProcess` ports;
 * endpoint n is `http://127.0.0.1:<port>/r/<n>`, spread round-robin over
 * processes and ports. They verify every signature with the gateway's public
 * key (the test key GATEWAY_PRIVATE_KEY is made from) and answer S.
 */
export class FanoutReceivers {
  private constructor(
    private readonly children: BenchChild[],
    private readonly ports: number[][],
    private readonly keyFile: string,
  ) {}

  static async start(processes: number, portsPerProcess: number): Promise<FanoutReceivers> {
    const keyFile = join(tmpdir(), `acqp-bench-gateway-public-${process.pid}.pem`);
    writeFileSync(keyFile, BENCH_PEMS.acqpPublic);
    const children: BenchChild[] = [];
    const ports: number[][] = [];
    for (let i = 0; i < processes; i++) {
      const script = join(__dirname, 'fanout-receiver.server.js');
      const child = startNodeChild(`receiver ${i + 1}`, script, { env: {}, cwd: tmpdir(), args: [String(portsPerProcess), keyFile] });
      children.push(child);
      ports.push((await child.waitForLine(/^READY ([\d,]+)/, 20_000))[1].split(',').map(Number));
    }
    return new FanoutReceivers(children, ports, keyFile);
  }

  get pids(): number[] {
    return this.children.flatMap((c) => (c.child.pid === undefined ? [] : [c.child.pid]));
  }

  /** The callback URL of endpoint n (0-based). */
  url(n: number): string {
    const ports = this.ports[n % this.ports.length];
    return `http://127.0.0.1:${ports[Math.floor(n / this.ports.length) % ports.length]}/r/${n}`;
  }

  describe(): string {
    return `${this.ports.length} receiver process(es) x ${this.ports[0]?.length ?? 0} port(s)`;
  }

  async reset(): Promise<void> {
    await Promise.all(this.ports.map((p) => json(httpPost(p[0], '/_reset'), 'reset')));
  }

  /** Every endpoint back to the Antom RSA check (a new target's endpoints say which are Standard Webhooks). */
  async clearSecrets(): Promise<void> {
    await Promise.all(this.ports.map((p) => json(httpPost(p[0], '/_secret?clear=1'), 'clear secrets')));
  }

  /** Endpoint n signs with Standard Webhooks under this secret (its receiver process verifies with it). */
  async setSecret(n: number, secret: string): Promise<void> {
    await json(httpPost(this.ports[n % this.ports.length][0], `/_secret?n=${n}&secret=${encodeURIComponent(secret)}`), 'secret');
  }

  async count(): Promise<number> {
    const counts = await Promise.all(this.ports.map((p) => json<{ count: number }>(httpGet(p[0], '/_count'), 'count')));
    return counts.reduce((n, c) => n + c.count, 0);
  }

  /** Everything recorded since the last reset, from every receiver process. */
  async dump(): Promise<ReceivedLog> {
    const out: ReceivedLog = { times: [], endpoints: [], notifyIds: [], tokens: [], valid: [] };
    for (const p of this.ports) {
      // Bounded: pages of 50,000 up to the total the receiver reported (at most 2,000,000).
      for (let from = 0, page = 0; page < 100; page++) {
        const part = await json<{ total: number; records: Array<[number, number, string, string, boolean]> }>(
          httpGet(p[0], `/_dump?from=${from}`, {}, 30_000),
          'dump',
        );
        for (const [time, endpoint, notifyId, token, valid] of part.records) {
          out.times.push(time);
          out.endpoints.push(endpoint);
          out.notifyIds.push(notifyId);
          out.tokens.push(token);
          out.valid.push(valid);
        }
        from += part.records.length;
        if (part.records.length === 0 || from >= part.total) break;
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop(5_000)));
    rmSync(this.keyFile, { force: true });
  }
}
