import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../http/admin-controller.decorator';
import { DeliveryListQuery } from './delivery.dto';
import { DeliveryListService } from './delivery-list.service';
import { DeliveryPageResponse } from './delivery.responses';

/**
 * Read side of /admin/v1/deliveries: the list. One delivery with its answers
 * is `delivery-detail.controller.ts`; redeliver is `delivery-actions.controller.ts`
 * (the callbacks module's DeliveryAdminService does the work).
 */
@AdminController('deliveries')
export class DeliveryListController {
  constructor(private readonly deliveries: DeliveryListService) {}

  @Get()
  @ApiOperation({ summary: 'Callback deliveries, newest first, filtered by status, endpoint, merchant and creation time' })
  @ApiOkResponse({ type: DeliveryPageResponse })
  async list(@Query() query: DeliveryListQuery): Promise<DeliveryPageResponse> {
    return DeliveryPageResponse.from(await this.deliveries.list(query));
  }
}
