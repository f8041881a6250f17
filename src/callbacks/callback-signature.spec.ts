import { generateKeyPairSync } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { parseSignatureHeader, signMessage, verifyMessage } from '../signing';
import { antomCallbackHeaders, standardWebhookHeaders, webhookSecretBytes } from './callback-signature';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const body = Buffer.from('{"notifyId":"e1","authorizationNotifyType":"TOKEN_CANCELED","note":"解绑"}', 'utf8');

describe(antomCallbackHeaders.name, () => {
  it('signs POST <path?query>\\n<client-id>.<request-time>.<body> in lower-case headers', async () => {
    const sut = await antomCallbackHeaders(new URL('https://m.example/notify/sub-1?v=2'), body, { clientId: 'GW', privateKey }, '2026-11-22T02:15:30.000Z');
    expect(Object.keys(sut).sort()).toEqual(['client-id', 'content-type', 'request-time', 'signature']);
    expect(sut['client-id']).toBe('GW');
    const parsed = parseSignatureHeader(sut.signature)!;
    expect(parsed.algorithm).toBe('RSA256');
    const m = { method: 'POST', path: '/notify/sub-1?v=2', clientId: 'GW', time: '2026-11-22T02:15:30.000Z', body };
    expect(verifyMessage(m, parsed.signature, [publicKey])).toBe(true);
    expect(verifyMessage({ ...m, path: '/notify/sub-1' }, parsed.signature, [publicKey])).toBe(false);
  });

  it('gives the very signature signMessage gives on the event loop', async () => {
    const time = '2026-11-22T02:15:30.000Z';
    const sut = await antomCallbackHeaders(new URL('https://m.example/n'), body, { clientId: 'GW', privateKey }, time);
    const onLoop = signMessage({ method: 'POST', path: '/n', clientId: 'GW', time, body }, privateKey);
    expect(parseSignatureHeader(sut.signature)!.signature).toBe(onLoop);
  });
});

describe(standardWebhookHeaders.name, () => {
  const current = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
  const previous = `whsec_${Buffer.alloc(24, 2).toString('base64')}`;
  const now = Math.floor(Date.now() / 1000);

  it('is accepted by the standardwebhooks reference verifier', () => {
    const sut = standardWebhookHeaders('evt_1', now, body, [current]);
    expect(sut['webhook-id']).toBe('evt_1');
    expect(sut['webhook-timestamp']).toBe(String(now));
    expect(new Webhook(current).verify(body.toString('utf8'), sut)).toMatchObject({ notifyId: 'e1' });
    expect(() => new Webhook(current).verify(body.toString('utf8').replace('e1', 'e2'), sut)).toThrow();
  });

  it('signs with the current and the previous secret during a rotation', () => {
    const sut = standardWebhookHeaders('evt_1', now, body, [current, previous]);
    expect(sut['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body.toString('utf8'), sut)).toBeDefined();
    expect(new Webhook(previous).verify(body.toString('utf8'), sut)).toBeDefined();
    expect(() => new Webhook(`whsec_${Buffer.alloc(24, 3).toString('base64')}`).verify(body.toString('utf8'), sut)).toThrow();
  });

  it('reads secrets with or without the whsec_ prefix, and refuses an empty one', () => {
    expect(webhookSecretBytes(current)).toEqual(Buffer.alloc(24, 1));
    expect(webhookSecretBytes(current.slice(6))).toEqual(Buffer.alloc(24, 1));
    expect(() => webhookSecretBytes('whsec_')).toThrow();
  });
});
