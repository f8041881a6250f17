import type { DtoModel } from './dto-model';
import {
  AUTH_NOTIFY_MODELS,
  CONSULT_UNBINDING_MODEL,
  CREATE_ENDPOINT_MODEL,
  CREATE_MERCHANT_MODEL,
  CREATE_SUB_MERCHANT_MODEL,
  DELIVERY_LIST_QUERY_MODEL,
  ENDPOINT_LIST_QUERY_MODEL,
  ENDPOINT_STATS_QUERY_MODEL,
  HEALTH_QUERY_MODEL,
  PAGE_QUERY_MODEL,
  RECOVER_DELIVERIES_MODEL,
  REVOKE_MODEL,
  ROTATE_KEY_MODEL,
  STATS_WINDOW_QUERY_MODEL,
  TOKEN_LIST_QUERY_MODEL,
  TOKEN_LOOKUP_MODEL,
  TOKEN_LOOKUP_QUERY_MODEL,
  ACCESS_TOKEN_MODEL,
  UPDATE_ENDPOINT_MODEL,
  UPDATE_MERCHANT_MODEL,
  UPDATE_SUB_MERCHANT_MODEL,
} from './dto-models';

// The public routes the fuzz aims at, and the DTO models of their bodies and queries.

export type RouteKind = 'protocol' | 'admin' | 'ops' | 'docs' | 'console' | 'sandbox' | 'unknown';

export interface Route {
  method: string;
  /** OpenAPI-style template, `{name}` for path parameters. */
  template: string;
  kind: RouteKind;
  /** Protocol routes: whose key signs them. */
  signer?: 'alipayplus' | 'merchant';
  bodyModels?: DtoModel[];
  queryModel?: DtoModel;
}

const PROTOCOL_MODELS: Record<string, { signer: 'alipayplus' | 'merchant'; models: DtoModel[] }> = {
  '/aps/api/v1/authorizations/authNotify': { signer: 'alipayplus', models: AUTH_NOTIFY_MODELS },
  '/aps/api/v1/authorizations/consultUnbinding': { signer: 'alipayplus', models: [CONSULT_UNBINDING_MODEL] },
  '/ams/api/v1/authorizations/revoke': { signer: 'merchant', models: [REVOKE_MODEL] },
  '/ams/sandbox/api/v1/authorizations/revoke': { signer: 'merchant', models: [REVOKE_MODEL] },
  '/ams/api/v1/authorizations/query': { signer: 'merchant', models: [ACCESS_TOKEN_MODEL] },
  '/ams/sandbox/api/v1/authorizations/query': { signer: 'merchant', models: [ACCESS_TOKEN_MODEL] },
  '/ams/api/v1/authorizations/status': { signer: 'merchant', models: [ACCESS_TOKEN_MODEL] },
  '/ams/sandbox/api/v1/authorizations/status': { signer: 'merchant', models: [ACCESS_TOKEN_MODEL] },
};

const ADMIN_BODY_MODELS: Record<string, DtoModel> = {
  'POST /admin/v1/merchants': CREATE_MERCHANT_MODEL,
  'PATCH /admin/v1/merchants/{id}': UPDATE_MERCHANT_MODEL,
  'POST /admin/v1/merchants/{id}/keys': ROTATE_KEY_MODEL,
  'POST /admin/v1/merchants/{merchantId}/sub-merchants': CREATE_SUB_MERCHANT_MODEL,
  'PATCH /admin/v1/merchants/{merchantId}/sub-merchants/{id}': UPDATE_SUB_MERCHANT_MODEL,
  'POST /admin/v1/merchants/{merchantId}/endpoints': CREATE_ENDPOINT_MODEL,
  'PATCH /admin/v1/merchants/{merchantId}/endpoints/{id}': UPDATE_ENDPOINT_MODEL,
  'POST /admin/v1/tokens/lookup': TOKEN_LOOKUP_MODEL,
  'POST /admin/v1/endpoints/{id}/recover': RECOVER_DELIVERIES_MODEL,
};

const ADMIN_QUERY_MODELS: Record<string, DtoModel> = {
  'GET /admin/v1/merchants': PAGE_QUERY_MODEL,
  'GET /admin/v1/merchants/{merchantId}/sub-merchants': PAGE_QUERY_MODEL,
  'GET /admin/v1/merchants/{merchantId}/endpoints': ENDPOINT_LIST_QUERY_MODEL,
  'GET /admin/v1/tokens/lookup': TOKEN_LOOKUP_QUERY_MODEL,
  'GET /admin/v1/tokens': TOKEN_LIST_QUERY_MODEL,
  'GET /admin/v1/deliveries': DELIVERY_LIST_QUERY_MODEL,
  'GET /admin/v1/endpoints/{id}/health': HEALTH_QUERY_MODEL,
  'GET /admin/v1/stats/activity': STATS_WINDOW_QUERY_MODEL,
  'GET /admin/v1/stats/endpoints': ENDPOINT_STATS_QUERY_MODEL,
};

/** Public routes that are not operations in the OpenAPI document. */
const EXTRA_ROUTES: Route[] = [
  { method: 'GET', template: '/docs', kind: 'docs' },
  { method: 'GET', template: '/docs/', kind: 'docs' },
  { method: 'GET', template: '/docs/openapi.json', kind: 'docs' },
  { method: 'GET', template: '/docs/swagger-ui.css', kind: 'docs' },
  { method: 'GET', template: '/docs/swagger-ui-init.js', kind: 'docs' },
  // The operator console's pages (left out of the OpenAPI document).
  ...['/console', '/console/login', '/console/assets/{name}', '/console/{page}'].map((template): Route => ({ method: 'GET', template, kind: 'console' })),
  ...['/console/login', '/console/logout'].map((template): Route => ({ method: 'POST', template, kind: 'console' })),
  // The simulator is mounted in sandbox mode only; in live mode these must not exist.
  ...[
    '/aps/api/v1/authorizations/cancelToken',
    '/_simulator/rules',
    '/_simulator/authorizations',
    '/_simulator/wallet-cancel',
    '/_simulator/flush-retries',
    '/_simulator/reset',
  ].map((p): Route => ({ method: 'POST', template: `/sandbox/alipayplus${p}`, kind: 'sandbox' })),
  ...['/_simulator/received', '/_simulator/notifications'].map((p): Route => ({ method: 'GET', template: `/sandbox/alipayplus${p}`, kind: 'sandbox' })),
  { method: 'GET', template: '/', kind: 'unknown' },
  { method: 'POST', template: '/aps/api/v1/authorizations/cancelToken', kind: 'unknown' },
];

/** Every public route: the OpenAPI document's operations plus the extras above. */
export function routesFrom(openApi: { paths: Record<string, Record<string, unknown>> }): Route[] {
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(openApi.paths)) {
    for (const verb of Object.keys(operations)) {
      const method = verb.toUpperCase();
      const key = `${method} ${template}`;
      const protocol = PROTOCOL_MODELS[template];
      if (protocol) routes.push({ method, template, kind: 'protocol', signer: protocol.signer, bodyModels: protocol.models });
      else if (template.startsWith('/admin/')) {
        const body = ADMIN_BODY_MODELS[key];
        routes.push({ method, template, kind: 'admin', bodyModels: body ? [body] : undefined, queryModel: ADMIN_QUERY_MODELS[key] });
      } else routes.push({ method, template, kind: 'ops' });
    }
  }
  return [...routes, ...EXTRA_ROUTES];
}
