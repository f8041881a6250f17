import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { PageRequest } from '../common/keyset-page';
import { isUniqueViolation, newestFirst } from '../database/keyset.query';
import { SubMerchantEntity } from './sub-merchant.entity';

/** Data access for sub-merchants; every query is scoped to the owning merchant. */
@Injectable()
export class SubMerchantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(merchantId: string, id: string, em: EntityManager = this.dataSource.manager): Promise<SubMerchantEntity | null> {
    return em.findOne(SubMerchantEntity, { where: { merchantId, id } });
  }

  findByAccountId(em: EntityManager, merchantId: string, merchantAccountId: string): Promise<SubMerchantEntity | null> {
    return em.findOne(SubMerchantEntity, { where: { merchantId, merchantAccountId } });
  }

  page(merchantId: string, page: PageRequest): Promise<SubMerchantEntity[]> {
    const qb = this.dataSource.manager.createQueryBuilder(SubMerchantEntity, 's').where('s.merchant_id = :merchantId', { merchantId });
    return newestFirst(qb, 's', page).getMany();
  }

  async insert(em: EntityManager, row: SubMerchantEntity): Promise<void> {
    try {
      await em.insert(SubMerchantEntity, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError(ErrorCode.CONFLICT, 'merchantAccountId already exists under this merchant');
      throw err;
    }
  }

  async update(em: EntityManager, merchantId: string, id: string, changes: Partial<SubMerchantEntity>): Promise<void> {
    await em.update(SubMerchantEntity, { merchantId, id }, changes);
  }
}
