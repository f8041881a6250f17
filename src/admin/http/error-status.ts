import { ErrorCode } from '../../common/errors/domain-error';

/**
 * The admin API's HTTP status for each domain error. Exhaustive: a new
 * ErrorCode fails the build here until someone decides what operators see.
 */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.PARAM_ILLEGAL:
      return 400;
    case ErrorCode.UNAUTHORIZED:
    case ErrorCode.INVALID_SIGNATURE:
    case ErrorCode.INVALID_CLIENT:
      return 401;
    case ErrorCode.ACCESS_DENIED:
      return 403;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.INVALID_ACCESS_TOKEN:
      return 404;
    case ErrorCode.CONFLICT:
    case ErrorCode.KEY_NOT_FOUND:
      return 409;
    case ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE:
      return 415;
    // Alipay+ refused for good: the request was understood and cannot be done.
    case ErrorCode.PROCESS_FAIL:
      return 422;
    case ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT:
      return 429;
    default: {
      const unhandled: never = code;
      throw new Error(`no HTTP status for error code ${String(unhandled)}`);
    }
  }
}
