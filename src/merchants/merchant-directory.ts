import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MerchantEntity } from './merchant.entity';

/** Finds the merchant a notification or token belongs to, by its Alipay+ referenceMerchantId. */
@Injectable()
export class MerchantDirectory {
  /**
   * referenceMerchantId → merchant id, cached once found: the pairing never
   * changes, and every notification asks. Misses are not cached, so a merchant
   * onboarded a second ago is found by the next notification.
   */
  private readonly ids = new Map<string, string>();

  async idForReference(em: EntityManager, referenceMerchantId: string): Promise<string | null> {
    const cached = this.ids.get(referenceMerchantId);
    if (cached) return cached;
    const m = await em.findOne(MerchantEntity, { where: { referenceMerchantId }, select: { id: true } });
    if (m) this.ids.set(referenceMerchantId, m.id);
    return m?.id ?? null;
  }

  findByReference(em: EntityManager, referenceMerchantId: string): Promise<MerchantEntity | null> {
    return em.findOne(MerchantEntity, { where: { referenceMerchantId } });
  }
}
