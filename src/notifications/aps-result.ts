import { DomainError } from '../common/errors/domain-error';
import { protocolAnswerFor } from '../common/errors/error-table';
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
  return { ...protocolAnswerFor(err.code, 'alipayPlus'), resultMessage: err.message };
}
