export { AlipayPlusClient } from './alipayplus.client';
export type { AlipayPlusClientOptions, CancelTokenResult } from './alipayplus.client';
export {
  AUTH_NOTIFY_PATH,
  CANCEL_TOKEN_PATH,
  CANCEL_TOKEN_RESULT_CODES,
  CONFIGURATION_FAILURE_CODES,
  isUpstreamFailure,
  parseResultResponse,
  toCancelTokenOutcome,
  toCancelTokenWireRequest,
} from './cancel-token.transformers';
export type {
  CancelTokenExchange,
  CancelTokenOutcome,
  CancelTokenRequest,
  CancelTokenResultCode,
  CancelTokenWireRequest,
  CancelTokenWireResponse,
  ResultStatus,
  UnknownReason,
  WireResult,
} from './cancel-token.transformers';
export { CircuitBreaker } from './circuit-breaker';
export type { CircuitBreakerOptions, CircuitState } from './circuit-breaker';
