import { issuedTokenOf, preparedAuthorizationOf, toApplyTokenWireRequest, toPrepareWireRequest } from './authorization.transformers';

describe('prepare and applyToken bodies', () => {
  it('leave out optional fields that are absent, null or "", never send them empty', () => {
    const body = toApplyTokenWireRequest({
      acquirerId: 'A',
      authClientId: 'C',
      referenceMerchantId: 'R',
      grantType: 'AUTHORIZATION_CODE',
      authCode: 'code',
      refreshToken: null,
      customerBelongsTo: '',
      pspId: undefined,
    });
    expect(body).toEqual({ acquirerId: 'A', authClientId: 'C', referenceMerchantId: 'R', grantType: 'AUTHORIZATION_CODE', authCode: 'code' });
  });

  it('send scopes as an array, in order', () => {
    const body = toPrepareWireRequest({
      acquirerId: 'A',
      authClientId: 'C',
      authClientName: 'Shop',
      referenceMerchantId: 'R',
      customerBelongsTo: 'ALIPAY_CN',
      authRedirectUrl: 'https://m.example/',
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
      authState: 's',
      terminalType: 'WEB',
      osType: null,
    });
    expect(body.scopes).toEqual(['AGREEMENT_PAY', 'USER_LOGIN_ID']);
    expect(body).not.toHaveProperty('osType');
  });
});

describe('reading S answers', () => {
  it('parses expiry times, and leaves out one that is not ISO 8601 with an offset rather than guess', () => {
    const token = issuedTokenOf({ accessToken: 'T', accessTokenExpiryTime: '2027-01-02T10:00:00+08:00', refreshTokenExpiryTime: '2027-02-30T10:00:00+08:00' });
    expect(token?.accessTokenExpiryTime).toEqual(new Date('2027-01-02T02:00:00Z'));
    expect(token?.refreshTokenExpiryTime).toBeNull();
  });

  it('takes a token only when there is one, and drops fields that are not strings or too long', () => {
    expect(issuedTokenOf({ result: {} })).toBeNull();
    expect(issuedTokenOf({ accessToken: 42 })).toBeNull();
    expect(issuedTokenOf({ accessToken: 'x'.repeat(129) })).toBeNull();
    expect(issuedTokenOf({ accessToken: 'T', refreshToken: ['R'], userLoginId: 'u'.repeat(65), customerId: 'c' })).toEqual({
      accessToken: 'T',
      accessTokenExpiryTime: null,
      refreshToken: null,
      refreshTokenExpiryTime: null,
      customerId: 'c',
      userLoginId: null,
      pspId: null,
    });
  });

  it('trusts a prepare S only with at least one URL to send the user to', () => {
    expect(preparedAuthorizationOf({ appIdentifier: 'com.wallet' })).toBeNull();
    expect(preparedAuthorizationOf({ schemeUrl: 'wallet://auth', authUrl: null })).toEqual({ schemeUrl: 'wallet://auth' });
  });
});
