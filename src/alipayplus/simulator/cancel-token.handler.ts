import type { CancelTokenWireRequest } from '../cancel-token.transformers';
import type { RuleBook } from './cancel-token.rules';
import { checkCancelTokenBody } from './cancel-token.validation';
import { type AcqpRoute, fail, planAnswer, succeed } from './signed-call.handler';
import type { TokenRegistry } from './token.registry';

/** What the cancelToken route needs from the simulator. */
export interface CancelTokenDeps {
  strictTokens: () => boolean;
  rules: RuleBook;
  tokens: TokenRegistry;
  /** After an S that canceled the token (not on an idempotent replay), once the answer has gone. */
  onCanceled: (body: CancelTokenWireRequest) => void;
}

/**
 * POST .../cancelToken as Alipay+ answers it, once the call is trusted: the
 * token's state, then the rule in force (by access token).
 */
export function cancelTokenRoute(deps: CancelTokenDeps): AcqpRoute<CancelTokenWireRequest> {
  return {
    check: checkCancelTokenBody,
    answer: (body) => {
      // cancelToken is idempotent on accessToken: a token this ACQP canceled answers S again, whatever the rules.
      const state = deps.tokens.state(body.accessToken);
      if (state === 'CANCELED_BY_ACQUIRER') return succeed('valid', 0);
      if (state === 'CANCELED_BY_PSP' || state === 'REPLACED') return fail('INVALID_TOKEN');

      return planAnswer(deps.rules.next(body.accessToken), (signature, holdMs) => {
        if (deps.strictTokens() && state === 'UNKNOWN') return fail('INVALID_TOKEN');
        // The cancel happens even when the answer is then held, unsigned or badly signed.
        deps.tokens.cancel(body.accessToken, 'ACQUIRER');
        return { ...succeed(signature, holdMs), afterwards: () => deps.onCanceled(body) };
      });
    },
  };
}
