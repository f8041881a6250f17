import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../alipayplus/simulator-server';
import { adminClient } from '../admin/admin-client';
import { startReceiver, waitFor, type Receiver } from '../callbacks/callback-receiver';
import { seedMerchant } from '../support/merchants';
import { notificationSet } from '../support/notifications';
import { postSigned } from '../support/signed-client';
import { startTestApp, type TestApp } from '../support/test-app';
import { describeWithSdk, runPythonWithSdk } from './antom-sdk';

const README = join(__dirname, '..', '..', 'README.md');
const MARKER = '<!-- merchant quick start: python -->';

/**
 * The README's merchant quick start, run as a Python merchant would copy it:
 * the code block after the marker, with only its four settings and token filled in and
 * the SDK's transport pointed at the local port (the SDK is HTTPS-only on port
 * 443; in production the gateway sits behind TLS on 443 and nothing changes).
 */
describeWithSdk('python', "the README's merchant quick start, in the official Python SDK", () => {
  let sim: RunningSimulator;
  let sut: TestApp;
  let receiver: Receiver;

  beforeAll(async () => {
    sim = await startSimulator();
    sut = await startTestApp({ env: { ALIPAYPLUS_BASE_URL: sim.baseUrl, CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', CALLBACK_POLL_MS: '50' } });
    sim.simulator.setGatewayBaseUrl(sut.baseUrl);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await sut?.close();
    await sim?.close();
    await receiver?.close();
  });

  /** The quick start's Python, verbatim but for the values of its settings. */
  function quickStart(settings: Record<string, string>): string {
    const readme = readFileSync(README, 'utf8');
    const at = readme.indexOf(MARKER);
    if (at < 0) throw new Error(`README.md has no "${MARKER}" before the quick start's code`);
    const block = /```python\n([\s\S]*?)```/.exec(readme.slice(at));
    if (!block) throw new Error('no ```python block after the quick start marker');
    let code = block[1];
    for (const [name, value] of Object.entries(settings)) {
      const line = new RegExp(`^${name} = "[^"\\n]*"`, 'm');
      if (!line.test(code)) throw new Error(`the quick start sets no ${name} = "..."`);
      code = code.replace(line, `${name} = ${JSON.stringify(value)}`);
    }
    return code;
  }

  it("revokes a token, queries it and accepts the gateway's callback with the code the README shows", async () => {
    const admin = adminClient(sut.baseUrl);
    const merchant = await seedMerchant(sut.app, { freshKey: true });
    expect((await admin.post(`/admin/v1/merchants/${merchant.id}/endpoints`, { url: receiver.url('/antom/notify') })).status).toBe(201);
    const n = notificationSet(merchant.referenceMerchantId);
    expect((await postSigned(sut.baseUrl, '/aps/api/v1/authorizations/authNotify', n.tokenCreated)).json.result.resultStatus).toBe('S');
    const gatewayKey = (await admin.get('/admin/v1/gateway/public-key')).json.base64 as string;

    const code = quickStart({
      GATEWAY_URL: sut.baseUrl,
      CLIENT_ID: merchant.clientId,
      MERCHANT_PRIVATE_KEY: merchant.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
      GATEWAY_PUBLIC_KEY: gatewayKey,
      ACCESS_TOKEN: n.accessToken,
    });
    const transport = [
      'import http.client, urllib.parse',
      'import com.alipay.ams.api.net.default_http_rpc as rpc',
      "setattr(rpc, '__get_http_connection', lambda url, timeout=15: http.client.HTTPConnection(urllib.parse.urlparse(url).hostname, urllib.parse.urlparse(url).port, timeout=timeout))",
    ].join('\n');
    expect((await runPythonWithSdk(`${transport}\n${code}`)).trim().split('\n')).toEqual(['S SUCCESS', 'CANCELED']);

    // The TOKEN_CANCELED callback, handed to the quick start's receiver function as a web framework would.
    await waitFor(() => receiver.received.length > 0, 'the TOKEN_CANCELED callback');
    const callback = receiver.received[0];
    const handle = [
      `HEADERS = ${JSON.stringify({ 'request-time': callback.headers['request-time'], signature: callback.headers.signature })}`,
      `print(on_notification(${JSON.stringify(callback.path)}, HEADERS, ${JSON.stringify(callback.raw)}))`,
      'print(ACCESS_TOKEN in canceled_tokens)',
    ].join('\n');
    const out = (await runPythonWithSdk(`${transport}\n${code}\n${handle}`)).trim().split('\n');
    expect(out).toEqual(['S SUCCESS', 'CANCELED', '{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}', 'True']);
  });
});
