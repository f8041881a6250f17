import { alipayTime, newAuthorization, tokenCanceledBody } from './authorization.factory';

describe(alipayTime.name, () => {
  it('writes the instant in +08:00, whole seconds, and parses back to it', () => {
    const ms = Date.UTC(2026, 10, 22, 18, 15, 30, 999);
    expect(alipayTime(ms)).toBe('2026-11-23T02:15:30+08:00');
    expect(Date.parse(alipayTime(ms))).toBe(ms - 999);
  });
});

describe(newAuthorization.name, () => {
  const defaults = { acquirerId: '102218800000001234', pspId: '102208800000001230', now: () => Date.UTC(2026, 0, 1) };

  it('makes fresh values shaped like the Alipay+ samples, within the field limits', () => {
    const a = newAuthorization({ referenceMerchantId: 'M1' }, defaults);
    const b = newAuthorization({ referenceMerchantId: 'M1' }, defaults);
    expect(a.accessToken).not.toBe(b.accessToken);
    expect(a.accessToken).toMatch(/^28101003[0-9A-F]{32}$/);
    expect(a.refreshToken).toMatch(/^28101003[0-9A-F]{32}$/);
    expect(a.authCode).toMatch(/^28101013[0-9A-F]{24}$/);
    expect(a.authState).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(a.authClientId).toMatch(/^2188\d{17}$/);
    expect(a.customerId).toMatch(/^\d{27}$/);
    expect(a.accessTokenExpiryTime).toBe('2026-01-31T08:00:00+08:00');
    expect(a.refreshTokenExpiryTime).toBe('2026-02-02T08:00:00+08:00');
    expect(a).toMatchObject({ acquirerId: defaults.acquirerId, pspId: defaults.pspId, referenceMerchantId: 'M1' });
  });

  it('uses what it is given', () => {
    const a = newAuthorization({ referenceMerchantId: 'M1', authClientId: 'C1', customerId: 'U1', pspId: 'P1', authState: 's' }, defaults);
    expect(a).toMatchObject({ authClientId: 'C1', customerId: 'U1', pspId: 'P1', authState: 's' });
  });
});

describe(tokenCanceledBody.name, () => {
  it('leaves out the fields it does not know rather than sending ""', () => {
    expect(tokenCanceledBody({ accessToken: 'T1' }, 'ACQUIRER')).toEqual({
      authorizationNotifyType: 'TOKEN_CANCELED',
      accessToken: 'T1',
      tokenCancelSource: 'ACQUIRER',
    });
  });
});
