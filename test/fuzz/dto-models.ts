import { MAX_PAGE_SIZE } from '../../src/common/keyset-page';
import { AUTH_NOTIFY_TYPES, EVENT_TYPES, type NotificationType as AuthNotifyType } from '../../src/protocol/notification-types';
import { int, omittable, oneOf, optional, required, text, unchecked, type DtoModel, type Field } from './dto-model';

// The contract of every request DTO, written from the API documentation (README,
// Alipay+/Antom references, the admin OpenAPI), not from the decorators: where the two
// disagree, a property spec fails.

// ----- Alipay+ → gateway (validateBody; unknown fields accepted) ------------------------------

const walletLogo: DtoModel = {
  name: 'WalletLogo',
  source: 'json',
  unknownKeys: 'accepted',
  fields: [optional('logoName', text(128)), optional('logoUrl', text(2048))],
};

const walletForAccountBinding: DtoModel = {
  name: 'WalletForAccountBinding',
  source: 'json',
  unknownKeys: 'accepted',
  fields: [optional('walletName', text(128)), optional('walletBrandName', text(128)), optional('walletLogo', { kind: 'object', model: walletLogo })],
};

/** authNotify per notification type: which of authCode / accessToken / tokenCancelSource is required. */
export function authNotifyModel(type: AuthNotifyType): DtoModel {
  const when = (applies: boolean, field: Field): Field => (applies ? field : unchecked(field.name));
  return {
    name: `AuthNotifyDto(${type})`,
    source: 'json',
    unknownKeys: 'accepted',
    fields: [
      required('authorizationNotifyType', oneOf([type], AUTH_NOTIFY_TYPES)),
      optional('authClientId', text(64)),
      optional('referenceMerchantId', text(64)),
      optional('referenceAgreementId', text(64)),
      optional('acquirerId', text(64)),
      optional('pspId', text(64)),
      optional('customerId', text(64)),
      when(type === 'AUTHCODE_CREATED', required('authCode', text(128))),
      optional('authState', text(256)),
      when(type !== 'AUTHCODE_CREATED', required('accessToken', text(128))),
      optional('accessTokenExpiryTime', { kind: 'time', style: 'offset' }),
      optional('refreshToken', text(128)),
      optional('refreshTokenExpiryTime', { kind: 'time', style: 'offset' }),
      optional('scopes', { kind: 'stringList', maxItems: 32, itemMax: 64 }),
      optional('userLoginId', text(64)),
      optional('walletForAccountBinding', { kind: 'object', model: walletForAccountBinding }),
      when(type === 'TOKEN_CANCELED', required('tokenCancelSource', oneOf(['ACQUIRER', 'PSP']))),
    ],
  };
}

export const AUTH_NOTIFY_MODELS = AUTH_NOTIFY_TYPES.map(authNotifyModel);

export const CONSULT_UNBINDING_MODEL: DtoModel = {
  name: 'ConsultUnbindingDto',
  source: 'json',
  unknownKeys: 'accepted',
  fields: [
    required('authClientId', text(64)),
    required('referenceMerchantId', text(64)),
    required('accessToken', text(128)),
    required('acquirerId', text(64)),
    required('pspId', text(64)),
  ],
};

// ----- merchant → gateway (Antom-compatible; validateBody) -----------------------------------

export const REVOKE_MODEL: DtoModel = {
  name: 'RevokeDto',
  source: 'json',
  unknownKeys: 'accepted',
  fields: [
    required('accessToken', text(128)),
    optional('merchantAccountId', text(64)),
    optional('extendInfo', text(4096)),
    optional('passThroughInfo', text(20000)),
  ],
};

export const ACCESS_TOKEN_MODEL: DtoModel = {
  name: 'AccessTokenDto',
  source: 'json',
  unknownKeys: 'accepted',
  fields: [required('accessToken', text(128))],
};

// ----- operator API (admin ValidationPipe; unknown fields refused) ---------------------------

const STATUSES = ['ACTIVE', 'DISABLED'] as const;
const CONSULT_POLICIES = ['ALLOW', 'DENY', 'ASK'] as const;
const MAX_KEY_LENGTH = 8192;
const rateLimit = int(1, 100_000);
const body = (name: string, fields: Field[]): DtoModel => ({ name, source: 'json', unknownKeys: 'refused', fields });
const query = (name: string, fields: Field[]): DtoModel => ({ name, source: 'query', unknownKeys: 'refused', fields });
const page: Field[] = [omittable('limit', int(1, MAX_PAGE_SIZE)), omittable('cursor', text(200, 'allowed'))];

export const CREATE_MERCHANT_MODEL = body('CreateMerchantDto', [
  required('referenceMerchantId', text(64, 'blank-refused')),
  required('name', text(128, 'blank-refused')),
  required('clientId', text(64, 'blank-refused')),
  optional('publicKey', text(MAX_KEY_LENGTH, 'allowed')),
  omittable('consultPolicy', oneOf(CONSULT_POLICIES)),
  optional('consultUrl', text(2048, 'blank-refused')),
  optional('rateLimitPerSecond', rateLimit),
]);

export const UPDATE_MERCHANT_MODEL = body('UpdateMerchantDto', [
  omittable('name', text(128, 'blank-refused')),
  omittable('status', oneOf(STATUSES)),
  omittable('consultPolicy', oneOf(CONSULT_POLICIES)),
  optional('consultUrl', text(2048, 'blank-refused')),
  optional('rateLimitPerSecond', rateLimit),
]);

export const ROTATE_KEY_MODEL = body('RotateKeyDto', [required('publicKey', text(MAX_KEY_LENGTH, 'allowed'))]);

export const CREATE_SUB_MERCHANT_MODEL = body('CreateSubMerchantDto', [
  required('merchantAccountId', text(64, 'blank-refused')),
  required('name', text(128, 'blank-refused')),
]);

export const UPDATE_SUB_MERCHANT_MODEL = body('UpdateSubMerchantDto', [omittable('name', text(128, 'blank-refused')), omittable('status', oneOf(STATUSES))]);

const eventTypes = { kind: 'enumList', values: EVENT_TYPES } as const;

export const CREATE_ENDPOINT_MODEL = body('CreateEndpointDto', [
  optional('subMerchantId', text(36, 'allowed')),
  required('url', text(2048, 'blank-refused')),
  omittable('eventTypes', eventTypes),
  omittable('signingScheme', oneOf(['ANTOM_RSA', 'STANDARD_WEBHOOKS'])),
]);

export const UPDATE_ENDPOINT_MODEL = body('UpdateEndpointDto', [
  omittable('url', text(2048, 'blank-refused')),
  omittable('eventTypes', eventTypes),
  omittable('status', oneOf(STATUSES)),
]);

export const TOKEN_LOOKUP_MODEL = body('TokenLookupDto', [required('accessToken', text(128, 'blank-refused'))]);
export const TOKEN_LOOKUP_QUERY_MODEL: DtoModel = { ...TOKEN_LOOKUP_MODEL, name: 'TokenLookupDto (query)', source: 'query' };

export const RECOVER_DELIVERIES_MODEL = body('RecoverDeliveriesDto', [required('since', { kind: 'time', style: 'iso8601' })]);

export const PAGE_QUERY_MODEL = query('PageQuery', page);

export const ENDPOINT_LIST_QUERY_MODEL = query('EndpointListQuery', [...page, omittable('subMerchantId', text(36, 'allowed'))]);

export const TOKEN_LIST_QUERY_MODEL = query('TokenListQuery', [
  ...page,
  required('customerId', text(64, 'blank-refused')),
  omittable('merchantId', text(36, 'allowed')),
]);

/** The delivery states README documents; anything else is a 400 naming `status`. */
const DELIVERY_STATUSES = ['PENDING', 'LEASED', 'DELIVERED', 'FAILED'];

export const DELIVERY_LIST_QUERY_MODEL = query('DeliveryListQuery', [
  ...page,
  omittable('status', oneOf(DELIVERY_STATUSES)),
  omittable('endpointId', text(36, 'allowed')),
  omittable('merchantId', text(36, 'allowed')),
  omittable('since', { kind: 'time', style: 'iso8601' }),
  omittable('until', { kind: 'time', style: 'iso8601' }),
]);

export const HEALTH_QUERY_MODEL = query('HealthQuery', [omittable('window', int(1, 1000))]);

// ----- operator console (admin ValidationPipe) -------------------------------------------------

export const STATS_WINDOW_QUERY_MODEL = query('StatsWindowQuery', [omittable('minutes', int(1, 1440))]);

export const ENDPOINT_STATS_QUERY_MODEL = query('EndpointStatsQuery', [omittable('minutes', int(1, 1440)), omittable('limit', int(1, 200))]);
