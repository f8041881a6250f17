import { Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RevokeService } from '../authorizations/revoke.service';
import { TokenStatusService, type TokenQueryView, type TokenStatusView } from '../authorizations/token-status.service';
import { DomainError } from '../common/errors/domain-error';
import { parseProtocolBody } from '../http/protocol-body';
import type { ProtocolResult } from '../http/signed-reply';
import { ANTOM_SUCCESS, ANTOM_UNKNOWN, antomResultFor } from './antom-result';
import { MerchantInbound } from './merchant-inbound';
import { RevokeDto, AccessTokenDto } from './revoke.dto';
import { ApplyTokenDto, ConsultDto } from './binding.dto';
import type { PreparedAuthorization } from '../alipayplus/authorization.transformers';
import { BindingService, type BindingResult, type IssuedTokenView } from '../bindings/binding.service';

/** Merchant calls in named steps: verify the merchant → parse and validate → one use case → result. */
@Injectable()
export class MerchantApiHandler {
  private readonly logger = new Logger(MerchantApiHandler.name);

  constructor(
    private readonly inbound: MerchantInbound,
    private readonly revokes: RevokeService,
    private readonly statuses: TokenStatusService,
    private readonly bindings: BindingService,
  ) {}

  async revoke(req: FastifyRequest): Promise<{ result: ProtocolResult }> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, RevokeDto);
      const outcome = await this.revokes.revoke({ ...body, merchant });
      return { result: outcome.status === 'S' ? ANTOM_SUCCESS : ANTOM_UNKNOWN };
    } catch (err) {
      return { result: this.failure(err, 'revoke') };
    }
  }

  async consult(req: FastifyRequest): Promise<{ result: ProtocolResult } & Partial<PreparedAuthorization>> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, ConsultDto);
      return answer(await this.bindings.consult({ ...body, merchant }), 'consult');
    } catch (err) {
      return { result: this.failure(err, 'consult', 'consult') };
    }
  }

  async applyToken(req: FastifyRequest): Promise<{ result: ProtocolResult } & Partial<IssuedTokenView>> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, ApplyTokenDto);
      return answer(await this.bindings.applyToken({ ...body, merchant }), body.grantType === 'AUTHORIZATION_CODE' ? 'authCode' : 'refreshToken');
    } catch (err) {
      return { result: this.failure(err, 'applyToken', 'applyToken') };
    }
  }

  async queryToken(req: FastifyRequest): Promise<{ result: ProtocolResult } & Partial<TokenQueryView>> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, AccessTokenDto);
      return { result: ANTOM_SUCCESS, ...(await this.statuses.tokenQuery(merchant, body.accessToken)) };
    } catch (err) {
      return { result: this.failure(err, 'query') };
    }
  }

  async status(req: FastifyRequest): Promise<{ result: ProtocolResult } & Partial<TokenStatusView>> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, AccessTokenDto);
      return { result: ANTOM_SUCCESS, ...(await this.statuses.forMerchant(merchant, body.accessToken)) };
    } catch (err) {
      return { result: this.failure(err, 'status') };
    }
  }

  private failure(err: unknown, api: string, retry?: keyof typeof RETRY_WITH): ProtocolResult {
    if (!(err instanceof DomainError)) this.logger.error({ msg: `merchant ${api} failed; answering U`, err });
    const result = antomResultFor(err);
    // A U of ours says what to call again, in this API's terms (revoke's default names the accessToken).
    return retry && result === ANTOM_UNKNOWN ? retryAdvice(retry) : result;
  }
}

/** What to call again with, after a U. */
const RETRY_WITH = {
  consult: 'call consult again',
  authCode: 'call applyToken again with the same authCode',
  refreshToken: 'call applyToken again with the same refreshToken',
  applyToken: 'call applyToken again with the same authCode or refreshToken',
};

/** A binding result as Antom answers it: S with its fields, Alipay+'s F, or U with what to retry. */
function answer<T extends object>(result: BindingResult<T>, retry: keyof typeof RETRY_WITH): { result: ProtocolResult } & Partial<T> {
  // The fields of T only with S: an F or U answer is the result alone.
  const only = (r: ProtocolResult) => ({ result: r }) as { result: ProtocolResult } & Partial<T>;
  switch (result.status) {
    case 'S':
      return { result: ANTOM_SUCCESS, ...result.value };
    case 'F':
      return only({ resultCode: result.resultCode, resultStatus: 'F', resultMessage: result.resultMessage });
    case 'U':
      return only(retryAdvice(retry));
  }
}

function retryAdvice(retry: keyof typeof RETRY_WITH): ProtocolResult {
  return { ...ANTOM_UNKNOWN, resultMessage: `the result is not known yet; ${RETRY_WITH[retry]}` };
}
