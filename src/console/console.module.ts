import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsolePagesService } from './console-pages.service';
import { DeliveryDetailController } from './deliveries/delivery-detail.controller';
import { DeliveryDetailRepository } from './deliveries/delivery-detail.repository';
import { DeliveryDetailService } from './deliveries/delivery-detail.service';
import { StatsController } from './stats/stats.controller';
import { StatsRepository } from './stats/stats.repository';
import { StatsService } from './stats/stats.service';

/**
 * The operator console at /console: server-rendered pages whose scripts call
 * the admin API with a session cookie and a CSRF header (AdminGate accepts
 * them), plus the admin routes only the console needed (per-minute stats,
 * one delivery with its answers). Sessions live in the database
 * (src/operators), so any instance serves any operator.
 */
@Module({
  controllers: [ConsoleController, StatsController, DeliveryDetailController],
  providers: [ConsolePagesService, StatsRepository, StatsService, DeliveryDetailRepository, DeliveryDetailService],
})
export class ConsoleModule {}
