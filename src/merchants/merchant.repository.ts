import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { runSql } from '../database/raw-rows';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import type { PageRequest } from '../common/keyset-page';
import { isUniqueViolation, newestFirst } from '../database/keyset.query';
import { MerchantEntity } from './merchant.entity';

/** Data access for merchants. No rules here: MerchantService decides. */
@Injectable()
export class MerchantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, em: EntityManager = this.dataSource.manager): Promise<MerchantEntity | null> {
    return em.findOne(MerchantEntity, { where: { id } });
  }

  /** The merchant that signs with `clientId`: the first read of every merchant API call. */
  findByClientId(clientId: string, em: EntityManager = this.dataSource.manager): Promise<MerchantEntity | null> {
    return em.findOne(MerchantEntity, { where: { clientId } });
  }

  findByReference(em: EntityManager, referenceMerchantId: string): Promise<MerchantEntity | null> {
    return em.findOne(MerchantEntity, { where: { referenceMerchantId } });
  }

  async findIdByReference(em: EntityManager, referenceMerchantId: string): Promise<string | null> {
    const m = await em.findOne(MerchantEntity, { where: { referenceMerchantId }, select: { id: true } });
    return m?.id ?? null;
  }

  /** Hand-written: it runs inside the authNotify transaction of every AUTHCODE_CREATED (see README, "Hand-written SQL"). */
  async findAutoExchange(em: EntityManager, id: string): Promise<boolean | null> {
    const { records } = await runSql(em, 'SELECT auto_exchange FROM merchants WHERE id = ?', [id]);
    const row = records[0] as { auto_exchange: number | string } | undefined;
    return row ? Number(row.auto_exchange) === 1 : null;
  }

  /** Merchants already holding either unique id, to name the one that collides. */
  findClashing(em: EntityManager, referenceMerchantId: string, clientId: string): Promise<MerchantEntity[]> {
    return em.find(MerchantEntity, { where: [{ referenceMerchantId }, { clientId }], select: { id: true, referenceMerchantId: true, clientId: true } });
  }

  page(page: PageRequest): Promise<MerchantEntity[]> {
    return newestFirst(this.dataSource.manager.createQueryBuilder(MerchantEntity, 'm'), 'm', page).getMany();
  }

  async insert(em: EntityManager, row: MerchantEntity): Promise<void> {
    try {
      await em.insert(MerchantEntity, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError(ErrorCode.CONFLICT, 'a merchant with this referenceMerchantId or clientId already exists');
      throw err;
    }
  }

  async update(em: EntityManager, id: string, changes: Partial<MerchantEntity>): Promise<void> {
    await em.update(MerchantEntity, { id }, changes);
  }
}
