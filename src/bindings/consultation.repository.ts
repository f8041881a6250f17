import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConsultationEntity } from './consultation.entity';

/** Data access for merchants' consults. */
@Injectable()
export class ConsultationRepository {
  async insert(em: EntityManager, row: ConsultationEntity): Promise<void> {
    await em.insert(ConsultationEntity, row);
  }

  /** The wallet the merchant named in its latest consult with this authState, for the automatic exchange. */
  async walletFor(em: EntityManager, merchantId: string, authState: string): Promise<string | null> {
    const row = await em.findOne(ConsultationEntity, {
      where: { merchantId, authState },
      order: { createdAt: 'DESC' },
      select: { id: true, customerBelongsTo: true },
    });
    return row?.customerBelongsTo ?? null;
  }
}
