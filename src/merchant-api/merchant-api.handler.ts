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

/** Merchant calls in named steps: verify the merchant → parse and validate → one use case → result. */
@Injectable()
export class MerchantApiHandler {
  private readonly logger = new Logger(MerchantApiHandler.name);

  constructor(
    private readonly inbound: MerchantInbound,
    private readonly revokes: RevokeService,
    private readonly statuses: TokenStatusService,
  ) {}

  async revoke(req: FastifyRequest): Promise<{ result: ProtocolResult }> {
    try {
      const merchant = await this.inbound.verify(req);
      const body = parseProtocolBody(req, RevokeDto);
      const outcome = await this.revokes.revoke({ merchant, ...body });
      return { result: outcome.status === 'S' ? ANTOM_SUCCESS : ANTOM_UNKNOWN };
    } catch (err) {
      return { result: this.failure(err, 'revoke') };
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

  private failure(err: unknown, api: string): ProtocolResult {
    if (!(err instanceof DomainError)) this.logger.error({ msg: `merchant ${api} failed; answering U`, err });
    return antomResultFor(err);
  }
}
