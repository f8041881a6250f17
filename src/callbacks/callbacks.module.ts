import { Module } from '@nestjs/common';
import { EventOutbox } from './event-outbox';

@Module({
  providers: [EventOutbox],
  exports: [EventOutbox],
})
export class CallbacksModule {}
