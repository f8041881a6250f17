import { Global, Module } from '@nestjs/common';
import { ADMIN_SESSION_AUTH } from '../admin/http/admin-token.guard';
import { ConsoleController } from './console.controller';
import { ConsolePagesService } from './console-pages.service';
import { DeliveryDetailController } from './deliveries/delivery-detail.controller';
import { DeliveryDetailRepository } from './deliveries/delivery-detail.repository';
import { DeliveryDetailService } from './deliveries/delivery-detail.service';
import { ConsoleLoginService } from './session/console-login.service';
import { ConsoleSessionAuth } from './session/console-session.auth';
import { ConsoleSessionStore } from './session/console-session.store';
import { StatsController } from './stats/stats.controller';
import { StatsRepository } from './stats/stats.repository';
import { StatsService } from './stats/stats.service';

/**
 * The operator console at /console: server-rendered pages whose scripts call
 * the admin API with a session cookie and a CSRF header, plus the admin
 * routes only the console needed (per-minute stats, one delivery with its
 * answers). Global so that AdminTokenGuard, instantiated in every module with
 * an admin controller, finds the session check under ADMIN_SESSION_AUTH.
 */
@Global()
@Module({
  controllers: [ConsoleController, StatsController, DeliveryDetailController],
  providers: [
    ConsoleSessionStore,
    ConsoleSessionAuth,
    { provide: ADMIN_SESSION_AUTH, useExisting: ConsoleSessionAuth },
    ConsoleLoginService,
    ConsolePagesService,
    StatsRepository,
    StatsService,
    DeliveryDetailRepository,
    DeliveryDetailService,
  ],
  exports: [ADMIN_SESSION_AUTH],
})
export class ConsoleModule {}
