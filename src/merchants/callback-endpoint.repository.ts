import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CallbackEndpointEntity } from './callback-endpoint.entity';
import type { PageRequest } from '../common/keyset-page';
import { newestFirst } from '../database/keyset.query';
import type { EndpointFilter } from './merchant.commands';

/** Data access for callback endpoints; every query is scoped to the owning merchant. */
@Injectable()
export class CallbackEndpointRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(merchantId: string, id: string, em: EntityManager = this.dataSource.manager): Promise<CallbackEndpointEntity | null> {
    return em.findOne(CallbackEndpointEntity, { where: { merchantId, id } });
  }

  page(merchantId: string, filter: EndpointFilter, page: PageRequest): Promise<CallbackEndpointEntity[]> {
    const qb = this.dataSource.manager.createQueryBuilder(CallbackEndpointEntity, 'e').where('e.merchant_id = :merchantId', { merchantId });
    if (filter.subMerchantId !== undefined) qb.andWhere('e.sub_merchant_id = :subMerchantId', { subMerchantId: filter.subMerchantId });
    return newestFirst(qb, 'e', page).getMany();
  }

  async insert(em: EntityManager, row: CallbackEndpointEntity): Promise<void> {
    await em.insert(CallbackEndpointEntity, row);
  }

  async update(em: EntityManager, merchantId: string, id: string, changes: Partial<CallbackEndpointEntity>): Promise<void> {
    await em.update(CallbackEndpointEntity, { merchantId, id }, changes);
  }
}
