import { Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../http/admin-controller.decorator';
import { AdminErrorResponse } from '../http/admin-error.response';
import { DeliveryDetailResponse } from './delivery-detail.responses';
import { DeliveryDetailService } from './delivery-detail.service';

@AdminController('deliveries')
export class DeliveryDetailController {
  constructor(private readonly deliveries: DeliveryDetailService) {}

  @Get(':id')
  @ApiOperation({ summary: 'A callback delivery with every attempt: status, duration, error class and the first 1 KiB of each answer' })
  @ApiOkResponse({ type: DeliveryDetailResponse })
  @ApiNotFoundResponse({ type: AdminErrorResponse, description: 'No such delivery.' })
  async get(@Param('id') id: string): Promise<DeliveryDetailResponse> {
    return DeliveryDetailResponse.detail(await this.deliveries.get(id));
  }
}
