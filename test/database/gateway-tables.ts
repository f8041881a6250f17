/** The gateway's tables, in the order the migrations make them. */
export const GATEWAY_TABLES = [
  'merchants',
  'sub_merchants',
  'callback_endpoints',
  'auth_codes',
  'authorizations',
  'notifications',
  'events',
  'deliveries',
  'delivery_attempts',
  'cancel_token_jobs',
  'cancel_token_attempts',
  'merchant_requests',
  'operators',
  'console_sessions',
  'auth_throttles',
  'audit_events',
];
