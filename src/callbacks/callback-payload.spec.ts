import { callbackBody, type CallbackFacts } from './callback-payload';

const base: CallbackFacts = {
  eventId: 'e-1',
  eventType: 'TOKEN_CANCELED',
  occurredAt: new Date('2026-11-22T02:15:30.000Z'),
  cancelSource: 'PSP',
  referenceMerchantId: '2188001',
  merchantAccountId: 'SUB_1',
  token: {
    accessToken: 'tok',
    accessTokenExpiryTime: new Date('2027-06-06T04:12:12.000Z'),
    customerId: 'c-1',
    referenceAgreementId: 'ag-1',
    userLoginId: '62-1',
    scopes: 'AGREEMENT_PAY USER_LOGIN_ID',
  },
};
const result = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };

describe(callbackBody.name, () => {
  it('builds the notifyAuthorization-style TOKEN_CANCELED body', () => {
    expect(callbackBody(base)).toEqual({
      notifyId: 'e-1',
      authorizationNotifyType: 'TOKEN_CANCELED',
      accessToken: 'tok',
      tokenCancelSource: 'PSP',
      referenceMerchantId: '2188001',
      merchantAccountId: 'SUB_1',
      occurredAt: '2026-11-22T02:15:30.000Z',
      result,
    });
  });

  it('leaves out what is unknown instead of sending null', () => {
    const body = callbackBody({ ...base, merchantAccountId: null, cancelSource: null, referenceMerchantId: null });
    expect(Object.keys(body)).toEqual(['notifyId', 'authorizationNotifyType', 'accessToken', 'occurredAt', 'result']);
  });

  it('gives TOKEN_CREATED the token and its details, never a refresh token', () => {
    expect(callbackBody({ ...base, eventType: 'TOKEN_CREATED', cancelSource: null })).toEqual({
      notifyId: 'e-1',
      authorizationNotifyType: 'TOKEN_CREATED',
      accessToken: 'tok',
      accessTokenExpiryTime: '2027-06-06T04:12:12.000Z',
      customerId: 'c-1',
      referenceAgreementId: 'ag-1',
      userLoginId: '62-1',
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
      referenceMerchantId: '2188001',
      merchantAccountId: 'SUB_1',
      occurredAt: '2026-11-22T02:15:30.000Z',
      result,
    });
  });

  it('gives AUTHCODE_CREATED the auth code to exchange, and its authState', () => {
    const body = callbackBody({
      ...base,
      eventType: 'AUTHCODE_CREATED',
      token: undefined,
      authCode: { authCode: 'code', authState: 'st', customerId: 'c-1', referenceAgreementId: null },
    });
    expect(body).toMatchObject({ authorizationNotifyType: 'AUTHCODE_CREATED', authCode: 'code', authState: 'st', customerId: 'c-1' });
    expect(body).not.toHaveProperty('accessToken');
  });
});
