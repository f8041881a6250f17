import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayServerFactory } from '../../src/http/http-server';

/**
 * A request still being answered when the server starts closing leaves a
 * keep-alive connection that goes idle a moment later: it must be closed
 * then, not held for the keep-alive timeout (65 s in the gateway), which
 * would hold the whole shutdown.
 */
describe('closing the HTTP server', () => {
  it('closes a keep-alive connection as soon as the answer in flight at close() has gone out', async () => {
    let release!: () => void;
    let entered!: () => void;
    const answered = new Promise<void>((resolve) => (release = resolve));
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const server = gatewayServerFactory({ bodyLimitBytes: 1024, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 60_000 })((_req, res) => {
      entered();
      void answered.then(() => res.end('ok'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({ keepAlive: true });
    const response = new Promise<string>((resolve, reject) => {
      const req = request({ agent, host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
      req.end();
    });
    await inFlight;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    release();
    expect(await response).toBe('ok');
    // Without the sweep this waits the full 60 s keep-alive and the test times out.
    await closed;
    agent.destroy();
  }, 10_000);
});
