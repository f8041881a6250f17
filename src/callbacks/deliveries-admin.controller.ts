import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../admin/http/admin-controller.decorator';
import { AdminErrorResponse } from '../admin/http/admin-error.response';
import { HealthQuery, RecoverDeliveriesDto, RecoveredResponse, RequeuedDeliveryResponse, EndpointHealthResponse } from './delivery-admin.dto';
import { DeliveryAdminService } from './delivery-admin.service';

/** Health reads judge the latest attempts by default. */
const DEFAULT_HEALTH_WINDOW = 100;

@AdminController('deliveries')
@ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such delivery, or its endpoint is gone.' })
export class DeliveriesAdminController {
  constructor(private readonly deliveries: DeliveryAdminService) {}

  @Post(':id/redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a delivery again from now, with a fresh retry schedule (any status but LEASED; attempt history kept)' })
  @ApiOkResponse({ type: RequeuedDeliveryResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'The delivery is being sent right now, or its endpoint is disabled.' })
  async redeliver(@Param('id') id: string): Promise<RequeuedDeliveryResponse> {
    return RequeuedDeliveryResponse.from(await this.deliveries.redeliver(id));
  }
}

@AdminController('endpoints')
@ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such callback endpoint.' })
export class EndpointDeliveriesAdminController {
  constructor(private readonly deliveries: DeliveryAdminService) {}

  @Post(':id/recover')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put every FAILED delivery of the endpoint created since `since` back to PENDING (after fixing and re-enabling it)' })
  @ApiOkResponse({ type: RecoveredResponse })
  @ApiConflictResponse({ type: AdminErrorResponse, description: 'The endpoint is disabled: enable it first.' })
  async recover(@Param('id') id: string, @Body() dto: RecoverDeliveriesDto): Promise<RecoveredResponse> {
    const recovered = await this.deliveries.recover(id, new Date(dto.since));
    return { endpointId: id, since: new Date(dto.since).toISOString(), recovered };
  }

  @Get(':id/health')
  @ApiOperation({ summary: "The endpoint's success rate over its latest attempts, last error, disabled state and delivery counts" })
  @ApiOkResponse({ type: EndpointHealthResponse })
  async health(@Param('id') id: string, @Query() query: HealthQuery): Promise<EndpointHealthResponse> {
    return EndpointHealthResponse.from(await this.deliveries.health(id, query.window ?? DEFAULT_HEALTH_WINDOW));
  }
}
