import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { ProtocolResult } from '../http/signed-reply';

export const ANTOM_SUCCESS: ProtocolResult = { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: 'success' };
export const ANTOM_UNKNOWN: ProtocolResult = {
  resultCode: 'UNKNOWN_EXCEPTION',
  resultStatus: 'U',
  resultMessage: 'the result is not known yet; call again with the same accessToken or wait for the callback',
};

/** Our answer to a merchant, in Antom's result codes (antom-revoke-authorization). */
export function antomResultFor(err: unknown): ProtocolResult {
  if (!(err instanceof DomainError)) return ANTOM_UNKNOWN;
  switch (err.code) {
    case ErrorCode.INVALID_SIGNATURE:
    case ErrorCode.INVALID_CLIENT:
    case ErrorCode.KEY_NOT_FOUND:
    case ErrorCode.PARAM_ILLEGAL:
    case ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE:
    case ErrorCode.INVALID_ACCESS_TOKEN:
    case ErrorCode.ACCESS_DENIED:
    case ErrorCode.PROCESS_FAIL:
      return { resultCode: err.code, resultStatus: 'F', resultMessage: err.message };
    case ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT:
      return { resultCode: err.code, resultStatus: 'U', resultMessage: err.message };
    case ErrorCode.NOT_FOUND:
    case ErrorCode.CONFLICT:
    case ErrorCode.UNAUTHORIZED:
      return { resultCode: 'PROCESS_FAIL', resultStatus: 'F', resultMessage: err.message };
  }
}
