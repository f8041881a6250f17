import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller';
import { ConsolePagesService } from './console-pages.service';

/**
 * The operator console at /console: server-rendered pages whose scripts call
 * the admin API (src/admin) with a session cookie and a CSRF header
 * (AdminGate accepts them). Sessions live in the database (src/operators),
 * so any instance serves any operator.
 */
@Module({
  controllers: [ConsoleController],
  providers: [ConsolePagesService],
})
export class ConsoleModule {}
