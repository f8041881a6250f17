import { connect } from 'node:net';
import { seedMerchant, type TestMerchant } from '../support/merchants';
import { postSignedRaw } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

const QUERY = '/ams/api/v1/authorizations/query';
const ONE_MIB = 1024 * 1024;

/** What came back on a raw connection that declared `declaredLength` bytes and sent `bodyBytes` of them. */
interface RawExchange {
  head: string;
  body: string;
  /** The gateway closed the connection (we never do). */
  closedByGateway: boolean;
}

/**
 * Finding 1, the cost side: a flood of big unsigned bodies held the event
 * loop for seconds. A body whose Content-Length is over the limit is now
 * answered 413 on its headers, before routing, and its connection closed
 * without reading the rest (bench/flood.bench.ts measures what a flood then
 * costs a signed authNotify). The refusal leans on Node's HTTP parser, so
 * the connections after it must read their bodies as before.
 */
describe(`security: a body over the limit is refused on its headers, on ${testEngine()}`, () => {
  let sut: TestApp;
  let port: number;
  let merchant: TestMerchant;

  beforeAll(async () => {
    sut = await startTestApp();
    port = Number(new URL(sut.baseUrl).port);
    merchant = await seedMerchant(sut.app);
  });
  afterAll(() => sut.close());

  /** Declares `declaredLength` bytes, sends `bodyBytes` of them, never ends the request; resolves when the gateway closes. */
  function rawExchange(path: string, declaredLength: number, bodyBytes: number): Promise<RawExchange> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(split(Buffer.concat(chunks).toString('latin1'), false));
      }, 5_000);
      socket.on('data', (c: Buffer) => chunks.push(c));
      // The gateway may reset rather than close: it has not read what we sent.
      socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(split(Buffer.concat(chunks).toString('latin1'), true));
      });
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${declaredLength}\r\n` +
          `Client-Id: STRANGER\r\nRequest-Time: ${new Date().toISOString()}\r\nSignature: algorithm=RSA256,keyVersion=1,signature=QUJD\r\n\r\n`,
      );
      if (bodyBytes > 0) socket.write(Buffer.alloc(bodyBytes, '1'));
    });
  }

  it.each([
    ['a protocol route', '/aps/api/v1/authorizations/authNotify'],
    ['a merchant route', QUERY],
    ['the admin API, unauthenticated', '/admin/v1/merchants'],
    ['the console log-in', '/console/login'],
    ['no route at all', '/nowhere'],
  ])('%s: 413 with the documented body before any of the body is sent, and the connection closed', async (_name, path) => {
    const answer = await rawExchange(path, ONE_MIB, 0);
    expect(answer.head).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer.body)).toEqual({ statusCode: 413, message: 'Request body is too large' });
    expect(answer.closedByGateway).toBe(true);
  });

  it('a body at the limit is still read and answered (by its signature check)', async () => {
    const limit = sut.config.http.bodyLimitBytes;
    const answer = await signedOnNewConnection(Buffer.from(`{"accessToken":"${'x'.repeat(limit - 19)}"}`));
    expect(answer.status).toBe(200);
    expect(answer.signatureValid).toBe(true);
  });

  it('after many refusals mid-body, every new connection still has its body read', async () => {
    const control = await signedOnNewConnection(Buffer.from('{"accessToken":"NO_SUCH_TOKEN_0001"}'));
    expect(control.signatureValid).toBe(true);
    for (let round = 0; round < 5; round++) {
      // Refused while the body is arriving: the parser these used goes back to Node's pool ...
      const refusals = await Promise.all(Array.from({ length: 8 }, () => rawExchange(QUERY, ONE_MIB, 96 * 1024)));
      for (const r of refusals) expect(r.head).toMatch(/^HTTP\/1\.1 413 /);
      // ... and the next connections take it from there: a body lost now would be a signature failure or a hang.
      const answers = await Promise.all(Array.from({ length: 8 }, () => signedOnNewConnection(Buffer.from('{"accessToken":"NO_SUCH_TOKEN_0001"}'))));
      for (const a of answers) {
        expect(a.signatureValid).toBe(true);
        expect(a.json.result).toEqual(control.json.result);
      }
    }
  });

  /** A merchant-signed query on a connection of its own (no keep-alive), with a 5 s deadline. */
  const signedOnNewConnection = (body: Buffer) => postSignedRaw(sut.baseUrl, QUERY, body, merchant);
});

/**
 * Beyond the review: a sender too slow to finish its request held a
 * connection for as long as it liked (Fastify's server has no request
 * timeout). Now HTTP_REQUEST_TIMEOUT_MS bounds a request, its headers a third of it.
 */
describe(`security: a request that does not arrive in time is answered 408 and closed, on ${testEngine()}`, () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp({ env: { HTTP_REQUEST_TIMEOUT_MS: '1200' } });
  });
  afterAll(() => sut.close());

  /** Sends `text` and nothing more; resolves with what came back once the gateway closes, and how long that took. */
  function stall(text: string): Promise<{ answer: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const socket = connect(Number(new URL(sut.baseUrl).port), '127.0.0.1');
      const chunks: Buffer[] = [];
      const deadline = setTimeout(() => socket.destroy(new Error('the gateway kept a stalled request open for 10 s')), 10_000);
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        clearTimeout(deadline);
        resolve({ answer: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - started });
      });
      socket.write(text);
    });
  }

  it('a body that stops arriving', async () => {
    const { answer, ms } = await stall(
      'POST /aps/api/v1/authorizations/authNotify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(1_000);
  });

  it('headers that stop arriving', async () => {
    const { answer } = await stall('POST /aps/api/v1/authorizations/authNotify HTTP/1.1\r\nHost: x\r\nContent-Ty');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });
});

function split(raw: string, closedByGateway: boolean): RawExchange {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? { head: raw, body: '', closedByGateway } : { head: raw.slice(0, end + 2), body: raw.slice(end + 4), closedByGateway };
}
