import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { insertIfAbsent } from '../database/insert-if-absent';
import { NotificationEntity } from './notification.entity';

/** Data access for received authNotify rows: one per (type, subject, cancel source). */
@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** True when this is the first notification with its dedupe key; a concurrent twin waits on the key, then sees ours. */
  insertIfFirst(em: EntityManager, row: NotificationEntity): Promise<boolean> {
    return insertIfAbsent(em, NotificationEntity, row, 'dedupeKey');
  }

  /** Outside any transaction (see AuthNotifyService.countDuplicate). */
  async countDuplicate(dedupeKey: string, at: Date): Promise<void> {
    await this.dataSource.manager.update(NotificationEntity, { dedupeKey }, { duplicateCount: () => 'duplicate_count + 1', lastReceivedAt: at });
  }
}
