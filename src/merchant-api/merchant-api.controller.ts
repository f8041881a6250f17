import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { ResultOnlyResponse, SignedProtocolRoute } from '../http/protocol-route.decorator';
import { sendSigned } from '../http/signed-reply';
import { isWellFormedClientId } from '../signing';
import { ApplyTokenResponse, ConsultResponse, TokenQueryResponse, TokenStatusResponse } from './merchant-api.responses';
import { ApplyTokenDto, ConsultDto } from './binding.dto';
import { MerchantApiHandler } from './merchant-api.handler';
import { RevokeDto, AccessTokenDto } from './revoke.dto';

/**
 * Antom-compatible merchant API. The official Antom SDKs call `/ams/api/...`,
 * or `/ams/sandbox/api/...` when the client id starts with `SANDBOX_`; both
 * are served. Always HTTP 200 with a signed `result`, signed by the gateway's
 * key under the caller's client id.
 */
@ApiTags('merchant API (Antom-compatible)')
@Controller()
export class MerchantApiController {
  constructor(
    private readonly handler: MerchantApiHandler,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post(['ams/api/v1/authorizations/revoke', 'ams/sandbox/api/v1/authorizations/revoke'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke an access token (Antom revoke): S canceled, F with an Antom result code, U not settled yet (retry with the same accessToken)',
  })
  @SignedProtocolRoute(RevokeDto, ResultOnlyResponse, "GATEWAY_PRIVATE_KEY under the caller's client id")
  async revoke(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(req, reply, await this.handler.revoke(req));
  }

  @Post(['ams/api/v1/authorizations/consult', 'ams/sandbox/api/v1/authorizations/consult'])
  @HttpCode(200)
  @ApiOperation({
    summary: "Start a binding (Antom consult → Alipay+ prepare): the wallet's authorization URL; the authState comes back in AUTHCODE_CREATED",
  })
  @SignedProtocolRoute(ConsultDto, ConsultResponse, "GATEWAY_PRIVATE_KEY under the caller's client id")
  async consult(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(req, reply, await this.handler.consult(req));
  }

  @Post(['ams/api/v1/authorizations/applyToken', 'ams/sandbox/api/v1/authorizations/applyToken'])
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Get a token (Antom applyToken → Alipay+ applyToken): an auth code for a token (the same code twice gives the same token), or a refresh token for a new pair; U: call again with the same request',
  })
  @SignedProtocolRoute(ApplyTokenDto, ApplyTokenResponse, "GATEWAY_PRIVATE_KEY under the caller's client id")
  async applyToken(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(req, reply, await this.handler.applyToken(req));
  }

  @Post(['ams/api/v1/authorizations/query', 'ams/sandbox/api/v1/authorizations/query'])
  @HttpCode(200)
  @ApiOperation({
    summary: 'Query an access token (Antom query): tokenStatusType ACTIVE / CANCELING / CANCELED / EXPIRED and its expiry times',
  })
  @SignedProtocolRoute(AccessTokenDto, TokenQueryResponse, "GATEWAY_PRIVATE_KEY under the caller's client id")
  async query(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(req, reply, await this.handler.queryToken(req));
  }

  @Post(['ams/api/v1/authorizations/status', 'ams/sandbox/api/v1/authorizations/status'])
  @HttpCode(200)
  @ApiOperation({ summary: 'Token status (our extension): ACTIVE / CANCELING / CANCELED, cancel source and time, last callback deliveries' })
  @SignedProtocolRoute(AccessTokenDto, TokenStatusResponse, "GATEWAY_PRIVATE_KEY under the caller's client id")
  async status(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(req, reply, await this.handler.status(req));
  }

  private send(req: FastifyRequest, reply: FastifyReply, body: object) {
    // Under the caller's client id when it is one (the SDKs verify under it); a malformed one is never signed under.
    const claimed = req.headers['client-id'];
    const clientId = isWellFormedClientId(claimed) ? claimed : this.config.gateway.clientId;
    return sendSigned(req, reply, { clientId, privateKey: this.config.gateway.privateKey }, body, this.clock.now());
  }
}
