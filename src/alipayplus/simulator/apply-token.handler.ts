import { rotatedAuthorization } from './authorization.factory';
import { checkApplyTokenBody, type ApplyTokenWireRequest } from './authorization.validation';
import type { RuleBook } from './cancel-token.rules';
import type { ConsentBook } from './consent.book';
import { type AcqpRoute, fail, planAnswer, succeed } from './signed-call.handler';
import type { AuthorizationRecord } from './simulator.types';
import type { TokenRegistry } from './token.registry';

/**
 * How long a refresh token already used still answers with the pair it was
 * rotated to. The simulator's choice, after Alipay+'s advice that a refresh
 * token stays usable about 5 minutes so a network retry gets its answer.
 */
export const REFRESH_REPLAY_MS = 5 * 60_000;

/** What the applyToken route needs from the simulator. */
export interface ApplyTokenDeps {
  rules: RuleBook;
  consents: ConsentBook;
  tokens: TokenRegistry;
  now: () => number;
  authCodeTtlMs: number;
  /** After the first exchange of a code, once the answer has gone. */
  onTokenCreated: (record: AuthorizationRecord) => void;
}

type Grant = { record: AuthorizationRecord; afterwards?: () => void } | { failure: string };

/**
 * POST .../applyToken, once the call is trusted: the rule in force (by auth
 * code or refresh token); a success plan then exchanges the code or rotates
 * the refresh token, or answers why not (F, signed and held as planned).
 */
export function applyTokenRoute(deps: ApplyTokenDeps): AcqpRoute<ApplyTokenWireRequest> {
  return {
    check: checkApplyTokenBody,
    answer: (body) => {
      // The validation guarantees the grant's credential.
      const credential = (body.grantType === 'AUTHORIZATION_CODE' ? body.authCode : body.refreshToken) as string;
      return planAnswer(deps.rules.next(credential), (signature, holdMs) => {
        const grant =
          body.grantType === 'AUTHORIZATION_CODE' ? exchangeCode(deps, body.authClientId, credential) : refresh(deps, body.authClientId, credential);
        if ('failure' in grant) return { ...fail(grant.failure), signature, holdMs };
        return { ...succeed(signature, holdMs, tokenFields(grant.record)), afterwards: grant.afterwards };
      });
    },
  };
}

function exchangeCode(deps: ApplyTokenDeps, authClientId: string, authCode: string): Grant {
  const code = deps.consents.code(authCode);
  if (!code) return { failure: 'INVALID_CODE' };
  if (deps.now() - code.issuedAt >= deps.authCodeTtlMs) return { failure: 'EXPIRED_CODE' };
  if (code.record.authClientId !== authClientId) return { failure: 'INVALID_CODE' };
  // The simulator's choice: idempotent on authCode within its TTL (the same pair again), so a retry after a lost answer binds.
  if (code.exchanged) return { record: code.record };
  code.exchanged = true;
  deps.tokens.issue(code.record);
  return { record: code.record, afterwards: () => deps.onTokenCreated(code.record) };
}

function refresh(deps: ApplyTokenDeps, authClientId: string, refreshToken: string): Grant {
  const entry = deps.tokens.refreshToken(refreshToken);
  if (!entry || entry.record.authClientId !== authClientId) return { failure: 'INVALID_REFRESH_TOKEN' };
  const now = deps.now();
  if (entry.rotated) return now - entry.rotated.at < REFRESH_REPLAY_MS ? { record: entry.rotated.to } : { failure: 'INVALID_REFRESH_TOKEN' };
  if (now >= entry.expiresAt) return { failure: 'EXPIRED_REFRESH_TOKEN' };
  if (deps.tokens.state(entry.record.accessToken) !== 'ACTIVE') return { failure: 'INVALID_REFRESH_TOKEN' };
  const rotated = rotatedAuthorization(entry.record, now);
  deps.tokens.rotate(entry.record, rotated, now);
  return { record: rotated };
}

/** An S applyToken body beside `result`. */
function tokenFields(a: AuthorizationRecord): Record<string, unknown> {
  return {
    accessToken: a.accessToken,
    accessTokenExpiryTime: a.accessTokenExpiryTime,
    refreshToken: a.refreshToken,
    refreshTokenExpiryTime: a.refreshTokenExpiryTime,
    customerId: a.customerId,
    userLoginId: a.userLoginId,
    pspId: a.pspId,
  };
}
