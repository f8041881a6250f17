import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_PEMS } from './bench-keys';
import { startNodeChild, type BenchChild } from './child-process';

/** Every callback one receiver recorded, column by column (one index per callback). */
export interface ReceivedLog {
  /** Arrival, epoch ms (µs precision). */
  times: number[];
  endpoints: number[];
  notifyIds: string[];
  tokens: string[];
  valid: boolean[];
}

/** What the receivers hold right now. */
export interface ReceiverStats {
  count: number;
  invalid: number;
  dropped: number;
  /** Most requests open at once on one receiver process. */
  maxOpen: number;
}

function call(port: number, method: 'GET' | 'POST', path: string, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(new Error(`${path}: HTTP ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
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
    readonly children: BenchChild[],
    private readonly ports: number[][],
    private readonly keyFile: string,
  ) {}

  static async start(processes: number, portsPerProcess: number): Promise<FanoutReceivers> {
    const keyFile = join(tmpdir(), `acqp-bench-gateway-public-${process.pid}.pem`);
    writeFileSync(keyFile, BENCH_PEMS.acqpPublic);
    const children: BenchChild[] = [];
    const ports: number[][] = [];
    for (let i = 0; i < processes; i++) {
      const child = startNodeChild(`receiver ${i + 1}`, join(__dirname, 'fanout-receiver.server.js'), {
        env: {},
        cwd: tmpdir(),
        args: [String(portsPerProcess), keyFile],
      });
      children.push(child);
      const ready = await child.waitForLine(/^READY ([\d,]+)/, 20_000);
      ports.push(ready[1].split(',').map(Number));
    }
    return new FanoutReceivers(children, ports, keyFile);
  }

  get pids(): number[] {
    return this.children.map((c) => c.child.pid!).filter((p) => p !== undefined);
  }

  /** The callback URL of endpoint n (0-based). */
  url(n: number): string {
    const proc = n % this.ports.length;
    const ports = this.ports[proc];
    const port = ports[Math.floor(n / this.ports.length) % ports.length];
    return `http://127.0.0.1:${port}/r/${n}`;
  }

  describe(): string {
    return `${this.ports.length} receiver process(es) x ${this.ports[0]?.length ?? 0} port(s)`;
  }

  async reset(): Promise<void> {
    await Promise.all(this.ports.map((p) => call(p[0], 'POST', '/_reset')));
  }

  async stats(): Promise<ReceiverStats> {
    const all = await Promise.all(this.ports.map(async (p) => JSON.parse(await call(p[0], 'GET', '/_stats')) as ReceiverStats));
    return all.reduce(
      (a, b) => ({ count: a.count + b.count, invalid: a.invalid + b.invalid, dropped: a.dropped + b.dropped, maxOpen: Math.max(a.maxOpen, b.maxOpen) }),
      {
        count: 0,
        invalid: 0,
        dropped: 0,
        maxOpen: 0,
      },
    );
  }

  /** Everything recorded since the last reset, from every receiver process. */
  async dump(): Promise<ReceivedLog> {
    const out: ReceivedLog = { times: [], endpoints: [], notifyIds: [], tokens: [], valid: [] };
    for (const p of this.ports) {
      // Bounded: pages of 50,000 up to the total the receiver reported (at most 2,000,000).
      for (let from = 0, page = 0; page < 100; page++) {
        const part = JSON.parse(await call(p[0], 'GET', `/_dump?from=${from}`)) as ReceivedLog & { total: number };
        for (let i = 0; i < part.times.length; i++) {
          out.times.push(part.times[i]);
          out.endpoints.push(part.endpoints[i]);
          out.notifyIds.push(part.notifyIds[i]);
          out.tokens.push(part.tokens[i]);
          out.valid.push(part.valid[i]);
        }
        from += part.times.length;
        if (part.times.length === 0 || from >= part.total) break;
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop(5_000)));
    rmSync(this.keyFile, { force: true });
  }
}
