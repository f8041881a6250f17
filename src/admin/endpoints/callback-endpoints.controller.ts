import { Body, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { CallbackEndpointService } from '../../merchants/callback-endpoint.service';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { CreateEndpointDto, EndpointListQuery, UpdateEndpointDto } from './endpoint.dto';
import { EndpointPageResponse, EndpointResponse, EndpointWithSecretResponse } from './endpoint.responses';

@AdminController('merchants/:merchantId/endpoints')
@ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such merchant, sub-merchant or endpoint under it.' })
export class CallbackEndpointsController {
  constructor(private readonly endpoints: CallbackEndpointService) {}

  @Post()
  @ApiOperation({ summary: 'Add a callback endpoint to a merchant or one of its sub-merchants (a STANDARD_WEBHOOKS secret is returned once)' })
  @ApiCreatedResponse({ type: EndpointWithSecretResponse })
  async create(@Param('merchantId') merchantId: string, @Body() dto: CreateEndpointDto): Promise<EndpointWithSecretResponse> {
    return EndpointWithSecretResponse.withSecret(await this.endpoints.create(merchantId, dto));
  }

  @Get()
  @ApiOperation({ summary: "List a merchant's callback endpoints, newest first" })
  @ApiOkResponse({ type: EndpointPageResponse })
  async list(@Param('merchantId') merchantId: string, @Query() query: EndpointListQuery): Promise<EndpointPageResponse> {
    const filter = { subMerchantId: query.subMerchantId };
    return EndpointPageResponse.from(await this.endpoints.list(merchantId, filter, query.limit, query.cursor));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a callback endpoint (never its secret)' })
  @ApiOkResponse({ type: EndpointResponse })
  async get(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<EndpointResponse> {
    return EndpointResponse.from(await this.endpoints.get(merchantId, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change URL, event types or status' })
  @ApiOkResponse({ type: EndpointResponse })
  async update(@Param('merchantId') merchantId: string, @Param('id') id: string, @Body() dto: UpdateEndpointDto): Promise<EndpointResponse> {
    return EndpointResponse.from(await this.endpoints.update(merchantId, id, dto));
  }

  @Post(':id/disable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable a callback endpoint: no new deliveries go to it' })
  @ApiOkResponse({ type: EndpointResponse })
  async disable(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<EndpointResponse> {
    return EndpointResponse.from(await this.endpoints.disable(merchantId, id));
  }

  @Post(':id/enable')
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable a callback endpoint and clear its failure streak' })
  @ApiOkResponse({ type: EndpointResponse })
  async enable(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<EndpointResponse> {
    return EndpointResponse.from(await this.endpoints.enable(merchantId, id));
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate a STANDARD_WEBHOOKS secret: the new one is returned once, the old one kept as previous' })
  @ApiOkResponse({ type: EndpointWithSecretResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'The endpoint signs with ANTOM_RSA and has no secret.' })
  async rotateSecret(@Param('merchantId') merchantId: string, @Param('id') id: string): Promise<EndpointWithSecretResponse> {
    return EndpointWithSecretResponse.withSecret(await this.endpoints.rotateSecret(merchantId, id));
  }
}
