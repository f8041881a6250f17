import { checkApplyTokenBody, checkPrepareBody } from './authorization.validation';

const PREPARE = {
  acquirerId: 'A',
  authClientId: 'C',
  referenceMerchantId: 'M',
  customerBelongsTo: 'ALIPAY_CN',
  authRedirectUrl: 'https://m.example/back',
  scopes: ['AGREEMENT_PAY'],
  authState: 'S',
  terminalType: 'WEB',
};

describe(checkPrepareBody.name, () => {
  it('accepts the required fields, and null for the optional ones', () => {
    expect(checkPrepareBody({ ...PREPARE, osType: null })).toEqual({ ok: true, body: PREPARE });
  });

  it.each([
    ['authState missing', { ...PREPARE, authState: undefined }, 'authState is required'],
    ['terminalType ""', { ...PREPARE, terminalType: '' }, 'terminalType must not be empty'],
    ['authClientName a number', { ...PREPARE, authClientName: 7 }, 'authClientName must be a string'],
    ['scopes empty', { ...PREPARE, scopes: [] }, 'scopes must be a non-empty array of strings'],
    ['scopes a string', { ...PREPARE, scopes: 'AGREEMENT_PAY' }, 'scopes must be a non-empty array of strings'],
    ['a scope ""', { ...PREPARE, scopes: ['AGREEMENT_PAY', ''] }, 'scopes must be a non-empty array of strings'],
  ])('refuses %s', (_case, body, message) => {
    expect(checkPrepareBody(body)).toEqual({ ok: false, message });
  });
});

describe(checkApplyTokenBody.name, () => {
  const base = { acquirerId: 'A', authClientId: 'C' };

  it.each([
    [{ ...base, grantType: 'AUTHORIZATION_CODE', authCode: 'X' }],
    [{ ...base, grantType: 'REFRESH_TOKEN', refreshToken: 'R', referenceMerchantId: 'M' }],
  ])('accepts %j', (body) => {
    expect(checkApplyTokenBody(body)).toEqual({ ok: true, body });
  });

  it.each([
    ['an unknown grant type', { ...base, grantType: 'PASSWORD' }, 'grantType must be one of AUTHORIZATION_CODE, REFRESH_TOKEN'],
    ['a code grant without authCode', { ...base, grantType: 'AUTHORIZATION_CODE', refreshToken: 'R' }, 'authCode is required for AUTHORIZATION_CODE'],
    ['a refresh grant without refreshToken', { ...base, grantType: 'REFRESH_TOKEN', authCode: 'X' }, 'refreshToken is required for REFRESH_TOKEN'],
    ['no authClientId', { acquirerId: 'A', grantType: 'AUTHORIZATION_CODE', authCode: 'X' }, 'authClientId is required'],
  ])('refuses %s', (_case, body, message) => {
    expect(checkApplyTokenBody(body)).toEqual({ ok: false, message });
  });
});
