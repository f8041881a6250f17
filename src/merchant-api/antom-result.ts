import { DomainError } from '../common/errors/domain-error';
import { protocolAnswerFor } from '../common/errors/error-table';
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
  return { ...protocolAnswerFor(err.code, 'antom'), resultMessage: err.message };
}
