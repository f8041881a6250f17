import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { pageRequest, toPage, type Page } from '../common/keyset-page';
import { withoutUndefined, type NewSubMerchant, type SubMerchantChanges } from './merchant.commands';
import { MerchantRepository } from './merchant.repository';
import { toSubMerchantView, type SubMerchantView } from './merchant.views';
import type { SubMerchantEntity } from './sub-merchant.entity';
import { SubMerchantRepository } from './sub-merchant.repository';

/** Sub-merchants of one merchant: the merchantAccountId is unique within it. */
@Injectable()
export class SubMerchantService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly merchants: MerchantRepository,
    private readonly subMerchants: SubMerchantRepository,
    private readonly clock: Clock,
  ) {}

  async create(merchantId: string, cmd: NewSubMerchant): Promise<SubMerchantView> {
    const now = this.clock.now();
    const row: SubMerchantEntity = {
      id: randomUUID(),
      merchantId,
      merchantAccountId: cmd.merchantAccountId,
      name: cmd.name,
      status: 'ACTIVE',
      createdAt: now,
      updatedAt: now,
    };
    await this.uow.run(async (em) => {
      await this.requireMerchant(merchantId, em);
      if (await this.subMerchants.findByAccountId(em, merchantId, cmd.merchantAccountId)) {
        throw new DomainError(ErrorCode.CONFLICT, 'merchantAccountId: already exists under this merchant');
      }
      await this.subMerchants.insert(em, row);
    });
    return toSubMerchantView(row);
  }

  async list(merchantId: string, limit?: number, cursor?: string): Promise<Page<SubMerchantView>> {
    const request = pageRequest(limit, cursor);
    await this.requireMerchant(merchantId);
    return toPage(await this.subMerchants.page(merchantId, request), request, toSubMerchantView);
  }

  async get(merchantId: string, id: string): Promise<SubMerchantView> {
    return toSubMerchantView(await this.require(merchantId, id));
  }

  update(merchantId: string, id: string, changes: SubMerchantChanges): Promise<SubMerchantView> {
    return this.change(merchantId, id, { name: changes.name, status: changes.status });
  }

  disable(merchantId: string, id: string): Promise<SubMerchantView> {
    return this.change(merchantId, id, { status: 'DISABLED' });
  }

  private async change(merchantId: string, id: string, requested: Partial<SubMerchantEntity>): Promise<SubMerchantView> {
    const changes = withoutUndefined(requested);
    const row = await this.uow.run(async (em) => {
      const current = await this.require(merchantId, id, em);
      if (Object.keys(changes).length === 0) return current;
      const updatedAt = this.clock.now();
      await this.subMerchants.update(em, merchantId, id, { ...changes, updatedAt });
      return { ...current, ...changes, updatedAt };
    });
    return toSubMerchantView(row);
  }

  private async require(merchantId: string, id: string, em?: EntityManager): Promise<SubMerchantEntity> {
    const row = await this.subMerchants.findById(merchantId, id, em);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'sub-merchant not found under this merchant');
    return row;
  }

  private async requireMerchant(merchantId: string, em?: EntityManager): Promise<void> {
    if (!(await this.merchants.findById(merchantId, em))) throw new DomainError(ErrorCode.NOT_FOUND, 'merchant not found');
  }
}
