import { Module } from '@nestjs/common';
import { CallbackClient } from './callback.client';
import { CallbackComposer } from './callback.composer';
import { CallbackDispatcher } from './callback.dispatcher';
import { CallbackMetrics } from './callback.metrics';
import { CallbackSourceRepository } from './callback-source.repository';
import { CompletionWriter } from './completion-writer';
import { DeliveryAdminRepository } from './delivery-admin.repository';
import { DeliveryAdminService } from './delivery-admin.service';
import { DeliveryRepository } from './delivery.repository';
import { EventOutbox } from './event-outbox';
import { EventRepository } from './event.repository';

/** The outbox (events and their deliveries), the dispatcher that sends them, and the operator's delivery actions (served by src/admin). */
@Module({
  providers: [
    EventOutbox,
    EventRepository,
    DeliveryRepository,
    CallbackSourceRepository,
    CallbackComposer,
    CallbackClient,
    CallbackMetrics,
    CompletionWriter,
    CallbackDispatcher,
    DeliveryAdminRepository,
    DeliveryAdminService,
  ],
  exports: [EventOutbox, CallbackDispatcher, DeliveryRepository, DeliveryAdminService],
})
export class CallbacksModule {}
