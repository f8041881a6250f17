import { Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { ResultOnlyResponse, SignedProtocolRoute } from '../http/protocol-route.decorator';
import { sendSigned } from '../http/signed-reply';
import { AuthNotifyDto, ConsultUnbindingDto } from './auth-notify.dto';
import { AuthNotifyHandler } from './auth-notify.handler';
import { ConsultUnbindingHandler } from './consult-unbinding.handler';
import { ConsultUnbindingResponse } from './consult-unbinding.responses';

/** The ACQP endpoints Alipay+ calls. Always HTTP 200 with a signed `result`; 413 for an oversized body. */
@ApiTags('Alipay+ (inbound)')
@Controller('aps/api/v1/authorizations')
export class NotificationsController {
  constructor(
    private readonly authNotify: AuthNotifyHandler,
    private readonly consult: ConsultUnbindingHandler,
    private readonly clock: Clock,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Post('authNotify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Alipay+ authNotify: AUTHCODE_CREATED, TOKEN_CREATED, TOKEN_CANCELED (signed; answered S only once stored)' })
  @SignedProtocolRoute(AuthNotifyDto, ResultOnlyResponse, 'ALIPAYPLUS_PRIVATE_KEY under ALIPAYPLUS_CLIENT_ID')
  async receiveAuthNotify(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const result = await this.authNotify.handle(req);
    return sendSigned(req, reply, this.signer(), { result }, this.clock.now());
  }

  @Post('consultUnbinding')
  @HttpCode(200)
  @ApiOperation({ summary: 'Alipay+ consultUnbinding: answers allowUnbinding from the merchant policy (signed)' })
  @SignedProtocolRoute(ConsultUnbindingDto, ConsultUnbindingResponse, 'ALIPAYPLUS_PRIVATE_KEY under ALIPAYPLUS_CLIENT_ID')
  async consultUnbinding(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const answer = await this.consult.handle(req);
    return sendSigned(req, reply, this.signer(), answer, this.clock.now());
  }

  private signer() {
    return { clientId: this.config.alipayPlus.clientId, privateKey: this.config.alipayPlus.privateKey };
  }
}
