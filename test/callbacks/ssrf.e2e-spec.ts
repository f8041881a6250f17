import { CallbackClient } from '../../src/callbacks/callback.client';
import { DnsResolver, type ResolvedAddress } from '../../src/outbound/ssrf-guard';
import { ManualClock } from '../../src/common/clock';
import { adminClient, type AdminClient } from '../admin/admin-client';
import { seedMerchant } from '../support/merchants';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { callbackHarness, type CallbackHarness } from './callback-fixtures';
import { startReceiver, type Receiver } from './callback-receiver';

/** Names the tests' resolver answers; anything else goes to the real resolver (only `localhost` is used). */
const DNS: Record<string, ResolvedAddress[]> = {
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'private.test': [{ address: '10.0.0.1', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mixed.test': [
    { address: '93.184.215.14', family: 4 },
    { address: '169.254.169.254', family: 4 },
  ],
  'public.test': [{ address: '93.184.215.14', family: 4 }],
};

function fakeDns(app: TestApp) {
  const resolver = app.app.get(DnsResolver);
  const real = resolver.lookupAll.bind(resolver);
  return jest.spyOn(resolver, 'lookupAll').mockImplementation(async (host) => DNS[host] ?? real(host));
}

describe(`SSRF guard on callback URLs on ${testEngine()}`, () => {
  const clock = new ManualClock(new Date());
  let sut: TestApp;
  let h: CallbackHarness;
  let admin: AdminClient;
  let receiver: Receiver;

  beforeAll(async () => {
    // Live mode with no CALLBACK_ALLOW_PRIVATE_NETWORKS: nothing private is reachable.
    sut = await startTestApp({ clock });
    h = callbackHarness(sut, clock);
    admin = adminClient(sut.baseUrl);
    receiver = await startReceiver();
    fakeDns(sut);
  });
  afterAll(async () => {
    await sut.close();
    await receiver.close();
  });

  const port = () => new URL(receiver.url()).port;
  const refusedAtRegistration = () => [
    `http://127.0.0.1:${port()}/h`,
    'http://10.0.0.1/h',
    'http://169.254.169.254/latest/meta-data/',
    `http://[::1]:${port()}/h`,
    'https://[::ffff:10.0.0.1]/h',
    `http://localhost:${port()}/h`,
    'https://loopback.test/h',
    'https://metadata.test/h',
    'https://mixed.test/h',
  ];

  it('refuses private, loopback, link-local and metadata targets when an endpoint is registered', async () => {
    const merchant = await seedMerchant(sut.app);
    for (const url of refusedAtRegistration()) {
      const answer = await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url });
      expect([url, answer.status, answer.json.error.code]).toEqual([url, 400, 'PARAM_ILLEGAL']);
      expect(answer.json.error.message).toMatch(/^url: must not point at a private or reserved address \(/);
    }
    expect(Number((await h.db.query('SELECT COUNT(*) AS n FROM callback_endpoints WHERE merchant_id = ?', [merchant.id]))[0].n)).toBe(0);
  });

  it('accepts a public name, and a name that does not resolve yet (judged again at send time)', async () => {
    const merchant = await seedMerchant(sut.app);
    expect((await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: 'https://public.test/h' })).status).toBe(201);
    expect((await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: 'https://merchant.invalid/h' })).status).toBe(201);
  });

  it('refuses the same targets at send time, before any connection is opened', async () => {
    const client = sut.app.get(CallbackClient);
    const connects = [jest.spyOn(client.agents.http, 'createConnection'), jest.spyOn(client.agents.https, 'createConnection')];
    const merchant = await seedMerchant(sut.app);
    // Written straight to the table, as an endpoint registered before its DNS changed would be.
    const urls = [...refusedAtRegistration(), `http://private.test:${port()}/h`];
    const endpoints = [];
    for (const url of urls) endpoints.push(await h.insertEndpoint(merchant.id, url));

    await h.walletCancel(merchant.referenceMerchantId);
    await h.dispatcher.runOnce();

    for (const endpoint of endpoints) {
      const [delivery] = await h.deliveries(endpoint.id);
      const attempts = await h.attempts(delivery.id);
      expect([endpoint.url, attempts.map((a) => [a.outcome, a.errorClass, a.httpStatus])]).toEqual([endpoint.url, [['RETRY', 'SSRF_BLOCKED', null]]]);
      expect(delivery.lastError).toMatch(/^SSRF_BLOCKED: /);
    }
    for (const spy of connects) expect(spy).not.toHaveBeenCalled();
    expect(receiver.received).toEqual([]);
  });

  it('lets an allowlisted network through (the spy does see connections)', async () => {
    const open = await startTestApp({ clock, env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8,::1/128' } });
    try {
      const hh = callbackHarness(open, clock);
      fakeDns(open);
      const connect = jest.spyOn(open.app.get(CallbackClient).agents.http, 'createConnection');
      const merchant = await seedMerchant(open.app);
      const registered = await adminClient(open.baseUrl).post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: `http://loopback.test:${port()}/ok` });
      expect(registered.status).toBe(201);
      const blocked = await hh.insertEndpoint(merchant.id, 'http://10.0.0.1/h');

      await hh.walletCancel(merchant.referenceMerchantId);
      await hh.dispatcher.runOnce();

      expect((await hh.deliveries(registered.json.id)).map((d) => d.status)).toEqual(['DELIVERED']);
      expect((await hh.attempts((await hh.deliveries(blocked.id))[0].id))[0].errorClass).toBe('SSRF_BLOCKED');
      expect(connect).toHaveBeenCalledTimes(1);
      expect(receiver.received.map((c) => c.path)).toEqual(['/ok']);
    } finally {
      await open.close();
    }
  });
});
