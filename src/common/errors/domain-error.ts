/**
 * Every failure the gateway reports on purpose. Services throw these;
 * ERROR_TABLE (error-table.ts) gives each code its answer to Alipay+, to
 * merchants and to operators.
 */
export enum ErrorCode {
  /** The signature, its headers or the request time did not verify. */
  INVALID_SIGNATURE = 'INVALID_SIGNATURE',
  /** The client id is not the one we expect (Alipay+) or not a known merchant. */
  INVALID_CLIENT = 'INVALID_CLIENT',
  /** The merchant is known but has no public key to verify with. */
  KEY_NOT_FOUND = 'KEY_NOT_FOUND',
  /** A body field is missing, too long, of the wrong type, or `""`. */
  PARAM_ILLEGAL = 'PARAM_ILLEGAL',
  /** The body is not `application/json`. */
  MEDIA_TYPE_NOT_ACCEPTABLE = 'MEDIA_TYPE_NOT_ACCEPTABLE',
  /** The access token is unknown to this merchant (or belongs to another: the same answer). */
  INVALID_ACCESS_TOKEN = 'INVALID_ACCESS_TOKEN',
  /** The merchant or sub-merchant is disabled, or the call is not allowed for it. */
  ACCESS_DENIED = 'ACCESS_DENIED',
  /** Per-merchant rate limit exceeded; retry later. */
  REQUEST_TRAFFIC_EXCEED_LIMIT = 'REQUEST_TRAFFIC_EXCEED_LIMIT',
  /** Alipay+ refused the cancellation for good (its result code is in the message). */
  PROCESS_FAIL = 'PROCESS_FAIL',
  /** Operator API: no such resource. */
  NOT_FOUND = 'NOT_FOUND',
  /** Operator API: the change conflicts with existing data (e.g. a duplicate id). */
  CONFLICT = 'CONFLICT',
  /** Operator API: the admin token is missing or wrong. */
  UNAUTHORIZED = 'UNAUTHORIZED',
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
