import { CallbackClient } from '../../src/callbacks/callback.client';
import { GuardedHttpClient } from '../../src/outbound/guarded-http.client';
import { DnsResolver, SsrfGuard, type ResolvedAddress } from '../../src/outbound/ssrf-guard';
import type { GatewayConfig } from '../../src/config/gateway-config';
import { ACK_BODY, behaviours, startReceiver, type Receiver } from './callback-receiver';

class TestResolver extends DnsResolver {
  constructor(private readonly answers: Record<string, ResolvedAddress[]>) {
    super();
  }
  override async lookupAll(host: string): Promise<ResolvedAddress[]> {
    const a = this.answers[host];
    if (!a) throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
    return a;
  }
}

const callbacks = (timeoutMs = 2_000): GatewayConfig['callbacks'] => ({
  retryScheduleMs: [0],
  disableAfterMs: 86_400_000,
  timeoutMs,
  pollMs: 1_000,
  concurrency: 4,
  endpointConcurrency: 2,
  allowPrivateNetworks: ['127.0.0.0/8'],
});

function client(options: { nodeEnv?: GatewayConfig['nodeEnv']; timeoutMs?: number } = {}) {
  const config = { nodeEnv: options.nodeEnv ?? 'test', callbacks: callbacks(options.timeoutMs) };
  const resolver = new TestResolver({ 'pinned.test': [{ address: '127.0.0.1', family: 4 }] });
  const http = new GuardedHttpClient(config, new SsrfGuard(config, resolver));
  const sut = Object.assign(new CallbackClient(config, http), { onApplicationShutdown: () => http.onApplicationShutdown() });
  return { sut, connects: jest.spyOn(sut.agents.http, 'createConnection') };
}

/** The HTTP exchange of one callback attempt, against receivers on loopback only. */
describe(CallbackClient.name, () => {
  let receiver: Receiver;
  const body = Buffer.from('{"notifyId":"x"}');
  const headers = { 'content-type': 'application/json' };

  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(() => receiver.close());

  it('connects to the addresses the guard checked, not to a second DNS answer', async () => {
    const { sut } = client();
    // The system resolver knows no `pinned.test`: only the checked answer can have been used.
    const exchange = await sut.post(`http://pinned.test:${new URL(receiver.url()).port}/cb?x=1`, headers, body);
    expect(exchange).toEqual({
      result: { kind: 'answer', httpStatus: 200, resultStatus: 'S', retryAfter: null },
      responseBody: ACK_BODY,
      detail: 'HTTP 200',
    });
    expect(receiver.received[0]).toMatchObject({ path: '/cb?x=1', raw: '{"notifyId":"x"}' });
    expect(receiver.received[0].headers.host).toBe(`pinned.test:${new URL(receiver.url()).port}`);
    sut.onApplicationShutdown();
  });

  it('refuses plain http in production before resolving or connecting', async () => {
    const { sut, connects } = client({ nodeEnv: 'production' });
    const exchange = await sut.post(receiver.url(), headers, body);
    expect(exchange.result).toEqual({ kind: 'error', errorClass: 'INSECURE_URL' });
    expect(connects).not.toHaveBeenCalled();
    expect(receiver.received).toEqual([]);
  });

  it('reads at most 64 KiB of an answer and keeps 1 KiB of it', async () => {
    receiver.setBehaviour(behaviours.always({ status: 200, body: `{"result":{"resultStatus":"S"},"pad":"${'x'.repeat(200_000)}"}` }));
    const { sut } = client();
    const exchange = await sut.post(receiver.url(), headers, body);
    expect(exchange.result).toMatchObject({ kind: 'answer', httpStatus: 200, resultStatus: null });
    expect(exchange.responseBody).toHaveLength(1024);
    sut.onApplicationShutdown();
  });

  it('bounds the whole exchange with the timeout', async () => {
    receiver.setBehaviour(behaviours.hang());
    const { sut } = client({ timeoutMs: 150 });
    const started = Date.now();
    expect((await sut.post(receiver.url(), headers, body)).result).toEqual({ kind: 'error', errorClass: 'TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(1_500);
    sut.onApplicationShutdown();
  });

  it('classifies refused connections, unknown names and Retry-After answers', async () => {
    const { sut } = client();
    const port = new URL(receiver.url()).port;
    await receiver.close();
    expect((await sut.post(`http://127.0.0.1:${port}/gone`, headers, body)).result).toEqual({ kind: 'error', errorClass: 'CONNECTION' });
    expect((await sut.post('http://nowhere.test/x', headers, body)).result).toEqual({ kind: 'error', errorClass: 'DNS' });
    expect((await sut.post('not a url', headers, body)).result).toEqual({ kind: 'error', errorClass: 'BAD_URL' });

    receiver = await startReceiver(behaviours.always({ status: 503, headers: { 'retry-after': '7' } }));
    expect((await sut.post(receiver.url(), headers, body)).result).toEqual({ kind: 'answer', httpStatus: 503, resultStatus: null, retryAfter: '7' });
    sut.onApplicationShutdown();
  });
});
