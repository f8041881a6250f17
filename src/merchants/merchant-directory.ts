import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { MerchantEntity } from './merchant.entity';
import { MerchantRepository } from './merchant.repository';

/** Finds the merchant a notification or token belongs to, by its Alipay+ referenceMerchantId. */
@Injectable()
export class MerchantDirectory {
  /**
   * referenceMerchantId → merchant id, cached once found: the pairing never
   * changes, and every notification asks. Misses are not cached, so a merchant
   * onboarded a second ago is found by the next notification.
   */
  private readonly ids = new Map<string, string>();

  constructor(private readonly merchants: MerchantRepository) {}

  async idForReference(em: EntityManager, referenceMerchantId: string): Promise<string | null> {
    const cached = this.ids.get(referenceMerchantId);
    if (cached) return cached;
    const id = await this.merchants.findIdByReference(em, referenceMerchantId);
    if (id) this.ids.set(referenceMerchantId, id);
    return id;
  }

  /** Whether the merchant turned on the automatic exchange of its auth codes; read each time (an operator may change it). */
  async autoExchanges(em: EntityManager, merchantId: string): Promise<boolean> {
    return (await this.merchants.findAutoExchange(em, merchantId)) === true;
  }

  findByReference(em: EntityManager, referenceMerchantId: string): Promise<MerchantEntity | null> {
    return this.merchants.findByReference(em, referenceMerchantId);
  }

  /** The merchant that signs with `clientId`, or null. */
  findByClientId(clientId: string): Promise<MerchantEntity | null> {
    return this.merchants.findByClientId(clientId);
  }
}
