import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MerchantEntity } from './merchant.entity';

/** Finds the merchant a notification or token belongs to, by its Alipay+ referenceMerchantId. */
@Injectable()
export class MerchantDirectory {
  async idForReference(em: EntityManager, referenceMerchantId: string): Promise<string | null> {
    const m = await em.findOne(MerchantEntity, { where: { referenceMerchantId }, select: { id: true } });
    return m?.id ?? null;
  }

  findByReference(em: EntityManager, referenceMerchantId: string): Promise<MerchantEntity | null> {
    return em.findOne(MerchantEntity, { where: { referenceMerchantId } });
  }
}
