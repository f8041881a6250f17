import { HttpCode, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { DeliveryAdminService } from '../../callbacks/delivery-admin.service';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { RequeuedDeliveryResponse } from './delivery-actions.dto';

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
