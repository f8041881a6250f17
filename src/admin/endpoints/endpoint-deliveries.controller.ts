import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DeliveryAdminService } from '../../callbacks/delivery-admin.service';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { EndpointHealthResponse, HealthQuery, RecoverDeliveriesDto, RecoveredResponse } from '../deliveries/delivery-actions.dto';

/** Health reads judge the latest attempts by default. */
const DEFAULT_HEALTH_WINDOW = 100;

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
