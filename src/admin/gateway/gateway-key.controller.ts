import { Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { GATEWAY_CONFIG } from '../../config/config.module';
import type { GatewayConfig } from '../../config/gateway-config';
import { AdminController } from '../http/admin-controller.decorator';
import { GatewayPublicKeyResponse } from './gateway-key.responses';

@AdminController('gateway')
export class GatewayKeyController {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Get('public-key')
  @ApiOperation({
    summary: "The gateway's public key, for merchants' SDKs",
    description: "Give it to a merchant as the SDK's Alipay public key: it verifies the gateway's signed answers and Antom-style callbacks.",
  })
  @ApiOkResponse({ type: GatewayPublicKeyResponse })
  publicKey(): GatewayPublicKeyResponse {
    return GatewayPublicKeyResponse.from(this.config.gateway.privateKey);
  }
}
