import type { FastifyRequest } from 'fastify';
import { PREPARE_PATH } from '../authorization.transformers';
import { checkPrepareBody, type PrepareWireRequest } from './authorization.validation';
import type { RuleBook } from './cancel-token.rules';
import type { ConsentBook } from './consent.book';
import { type AcqpRoute, planAnswer, succeed } from './signed-call.handler';
import { WALLET_AUTHORIZE_PATH } from './simulator.paths';

/** What the prepare route needs from the simulator. */
export interface PrepareDeps {
  rules: RuleBook;
  consents: ConsentBook;
  /** The wallet the user will authorize in. */
  pspId: string;
}

/**
 * POST .../prepare, once the call is trusted: the rule in force (by
 * authState); a success opens a pending consent and answers the wallet's
 * consent page as authUrl (and normalUrl), on this simulator.
 */
export function prepareRoute(deps: PrepareDeps): AcqpRoute<PrepareWireRequest> {
  return {
    check: checkPrepareBody,
    answer: (body, request) =>
      planAnswer(deps.rules.next(body.authState), (signature, holdMs) => {
        // The consent opens even when the answer is then held, unsigned or badly signed.
        const { ticket } = deps.consents.open({
          authState: body.authState,
          authClientId: body.authClientId,
          referenceMerchantId: body.referenceMerchantId,
          authRedirectUrl: body.authRedirectUrl,
          scopes: body.scopes,
          customerBelongsTo: body.customerBelongsTo,
          acquirerId: body.acquirerId,
          pspId: deps.pspId,
        });
        const authUrl = `${simulatorBaseUrl(request)}${WALLET_AUTHORIZE_PATH}?ticket=${ticket}`;
        return succeed(signature, holdMs, { authUrl, normalUrl: authUrl });
      }),
  };
}

/** This simulator as the caller reached it: protocol, Host header, and the prefix it is mounted under. */
function simulatorBaseUrl(request: FastifyRequest): string {
  const prefix = request.url.slice(0, request.url.indexOf(PREPARE_PATH));
  return `${request.protocol}://${request.headers.host ?? 'localhost'}${prefix}`;
}
