import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../http/admin-controller.decorator';
import { DeliveryListQuery } from './delivery.dto';
import { DeliveryListService } from './delivery-list.service';
import { DeliveryPageResponse } from './delivery.responses';

/**
 * Read side of /admin/v1/deliveries. Redeliver/recover actions belong to the
 * callbacks module and go in a sibling `delivery-actions.controller.ts` under
 * the same `@AdminController('deliveries')` prefix.
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
