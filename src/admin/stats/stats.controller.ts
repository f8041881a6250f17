import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../http/admin-controller.decorator';
import { ActivityResponse, EndpointActivityListResponse, EndpointActivityResponse, EndpointStatsQuery, StatsWindowQuery } from './stats.dto';
import { StatsService } from './stats.service';

const DEFAULT_MINUTES = 60;
const DEFAULT_ENDPOINTS = 50;

@AdminController('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('activity')
  @ApiOperation({ summary: 'Notifications received, callback delivery attempts and their failures per minute (default: the last 60)' })
  @ApiOkResponse({ type: ActivityResponse })
  async activity(@Query() query: StatsWindowQuery): Promise<ActivityResponse> {
    return ActivityResponse.from(await this.stats.activity(query.minutes ?? DEFAULT_MINUTES));
  }

  @Get('endpoints')
  @ApiOperation({ summary: 'Disabled, failing and busiest callback endpoints with their success rate over the window, worst first' })
  @ApiOkResponse({ type: EndpointActivityListResponse })
  async endpoints(@Query() query: EndpointStatsQuery): Promise<EndpointActivityListResponse> {
    const items = await this.stats.endpoints(query.minutes ?? DEFAULT_MINUTES, query.limit ?? DEFAULT_ENDPOINTS);
    return { items: items.map((e) => EndpointActivityResponse.from(e)) };
  }
}
