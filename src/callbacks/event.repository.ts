import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { insertIfAbsent } from '../database/insert-if-absent';
import { EventEntity } from './event.entity';

/** Data access for outbox events; their deliveries are DeliveryRepository's. */
@Injectable()
export class EventRepository {
  /** True when no event with this dedupe key existed: replays and concurrent twins write nothing. */
  insertIfFirst(em: EntityManager, row: EventEntity): Promise<boolean> {
    return insertIfAbsent(em, EventEntity, row, 'dedupeKey');
  }
}
