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
    authClientId: '2188238637260001',
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
      notifyType: 'TOKEN_CANCELED',
      authorizationNotifyType: 'TOKEN_CANCELED',
      authClientId: '2188238637260001',
      accessToken: 'tok',
      tokenCancelSource: 'PSP',
      referenceMerchantId: '2188001',
      merchantAccountId: 'SUB_1',
      occurredAt: '2026-11-22T02:15:30.000Z',
      result,
    });
  });

  it('leaves out what is unknown instead of sending null', () => {
    const body = callbackBody({
      ...base,
      merchantAccountId: null,
      cancelSource: null,
      referenceMerchantId: null,
      token: { ...base.token!, authClientId: null },
    });
    expect(Object.keys(body)).toEqual(['notifyId', 'notifyType', 'authorizationNotifyType', 'accessToken', 'occurredAt', 'result']);
  });

  it('gives TOKEN_CREATED the token and its details, never a refresh token', () => {
    expect(callbackBody({ ...base, eventType: 'TOKEN_CREATED', cancelSource: null })).toEqual({
      notifyId: 'e-1',
      notifyType: 'TOKEN_CREATED',
      authorizationNotifyType: 'TOKEN_CREATED',
      authClientId: '2188238637260001',
      accessToken: 'tok',
      accessTokenExpiryTime: '2027-06-06T04:12:12.000Z',
      userId: 'c-1',
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
      authCode: { authCode: 'code', authClientId: '2188238637260001', authState: 'st', customerId: 'c-1', referenceAgreementId: null },
    });
    expect(body).toMatchObject({
      notifyType: 'AUTHCODE_CREATED',
      authorizationNotifyType: 'AUTHCODE_CREATED',
      authClientId: '2188238637260001',
      authCode: 'code',
      authState: 'st',
      userId: 'c-1',
      customerId: 'c-1',
    });
    expect(body).not.toHaveProperty('accessToken');
  });
});
