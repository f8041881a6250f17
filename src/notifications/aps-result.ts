import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { ProtocolResult } from '../http/signed-reply';

export const APS_SUCCESS: ProtocolResult = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };

/**
 * Our answer to an Alipay+ call that we could not accept. Anything not S makes
 * Alipay+ send it again, which is what we want whenever we did not store it.
 */
export function apsResultFor(err: unknown): ProtocolResult {
  if (!(err instanceof DomainError)) {
    return { resultCode: 'UNKNOWN_EXCEPTION', resultStatus: 'U', resultMessage: 'temporarily unable to process; retry' };
  }
  switch (err.code) {
    case ErrorCode.INVALID_SIGNATURE:
    case ErrorCode.INVALID_CLIENT:
    case ErrorCode.KEY_NOT_FOUND:
    case ErrorCode.PARAM_ILLEGAL:
    case ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE:
    case ErrorCode.ACCESS_DENIED:
    case ErrorCode.PROCESS_FAIL:
      return { resultCode: err.code, resultStatus: 'F', resultMessage: err.message };
    case ErrorCode.INVALID_ACCESS_TOKEN:
      return { resultCode: 'INVALID_TOKEN', resultStatus: 'F', resultMessage: err.message };
    case ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT:
      return { resultCode: err.code, resultStatus: 'U', resultMessage: err.message };
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.UNAUTHORIZED:
      return { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: err.message };
  }
}
