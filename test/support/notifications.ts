import { randomBytes, randomUUID } from 'node:crypto';

const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();

/** Realistic, unique authNotify bodies for the three scenarios (per alipayplus-authnotify-scenarios). */
export function notificationSet(referenceMerchantId = `2188${hex(6)}`) {
  const accessToken = `2810100${hex(16)}`;
  const authCode = `2810101${hex(12)}`;
  const referenceAgreementId = `667d${hex(8)}`;
  const common = {
    authClientId: '2188238637260001',
    referenceMerchantId,
    acquirerId: '102218800000001234',
    pspId: '102208800000001230',
  };
  return {
    accessToken,
    authCode,
    referenceMerchantId,
    authCodeCreated: {
      authorizationNotifyType: 'AUTHCODE_CREATED',
      ...common,
      authCode,
      authState: randomUUID().toUpperCase(),
      referenceAgreementId,
      customerId: '278980891234567891234567891',
    },
    tokenCreated: {
      authorizationNotifyType: 'TOKEN_CREATED',
      ...common,
      referenceAgreementId,
      accessToken,
      accessTokenExpiryTime: '2027-06-06T12:12:12+08:00',
      refreshToken: `2810100334${hex(12)}`,
      refreshTokenExpiryTime: '2027-06-08T12:12:12+08:00',
      scopes: ['AGREEMENT_PAY', 'USER_LOGIN_ID'],
      customerId: '278980891234567891234567891',
      userLoginId: '62-34312736',
      walletForAccountBinding: {
        walletName: 'AlipayCN',
        walletBrandName: 'AlipayCN',
        walletLogo: { logoName: 'AlipayCN', logoUrl: 'https://www.alipayplus.com/logo/20022222xxx.png' },
      },
    },
    tokenCanceled: (source: 'PSP' | 'ACQUIRER' = 'PSP') => ({
      authorizationNotifyType: 'TOKEN_CANCELED',
      ...common,
      accessToken,
      tokenCancelSource: source,
    }),
  };
}
