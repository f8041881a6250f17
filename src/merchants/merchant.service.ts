import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { EndpointUrlPolicy } from './endpoint-url.policy';
import { pageRequest, toPage, type Page } from '../common/keyset-page';
import { withoutUndefined, type MerchantChanges, type NewMerchant } from './merchant.commands';
import type { ConsultPolicy, MerchantEntity } from './merchant.entity';
import { normalisePublicKey } from './merchant-public-key';
import { MerchantRepository } from './merchant.repository';
import { toMerchantView, type MerchantView } from './merchant.views';

/** Operator-side rules for merchants: unique ids, usable keys, key rotation, consult policy. */
@Injectable()
export class MerchantService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly merchants: MerchantRepository,
    private readonly urls: EndpointUrlPolicy,
    private readonly clock: Clock,
  ) {}

  async create(cmd: NewMerchant): Promise<MerchantView> {
    const key = cmd.publicKey == null ? null : normalisePublicKey(cmd.publicKey, 'publicKey');
    const consultPolicy = cmd.consultPolicy ?? 'ALLOW';
    if (cmd.consultUrl != null) await this.urls.check(cmd.consultUrl, 'consultUrl');
    requireConsultUrl(consultPolicy, cmd.consultUrl ?? null);
    const now = this.clock.now();
    const row: MerchantEntity = {
      id: randomUUID(),
      referenceMerchantId: cmd.referenceMerchantId,
      name: cmd.name,
      status: 'ACTIVE',
      clientId: cmd.clientId,
      publicKey: key?.pem ?? null,
      previousPublicKey: null,
      consultPolicy,
      consultUrl: cmd.consultUrl ?? null,
      rateLimitPerSecond: cmd.rateLimitPerSecond ?? null,
      autoExchange: cmd.autoExchange ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.uow.run(async (em) => {
      await this.assertUnique(em, row.referenceMerchantId, row.clientId);
      await this.merchants.insert(em, row);
    });
    return toMerchantView(row);
  }

  async list(limit?: number, cursor?: string): Promise<Page<MerchantView>> {
    const request = pageRequest(limit, cursor);
    return toPage(await this.merchants.page(request), request, toMerchantView);
  }

  async get(id: string): Promise<MerchantView> {
    return toMerchantView(await this.require(id));
  }

  async update(id: string, changes: MerchantChanges): Promise<MerchantView> {
    // Checked before the transaction: the URL policy may resolve names, which must not hold a write lock.
    if (changes.consultUrl != null) await this.urls.check(changes.consultUrl, 'consultUrl');
    return this.change(id, (current) => {
      const consultUrl = changes.consultUrl === undefined ? current.consultUrl : changes.consultUrl;
      requireConsultUrl(changes.consultPolicy ?? current.consultPolicy, consultUrl);
      return {
        name: changes.name,
        status: changes.status,
        consultPolicy: changes.consultPolicy,
        consultUrl: changes.consultUrl,
        rateLimitPerSecond: changes.rateLimitPerSecond,
        autoExchange: changes.autoExchange === undefined ? undefined : changes.autoExchange ? 1 : 0,
      };
    });
  }

  disable(id: string): Promise<MerchantView> {
    return this.change(id, () => ({ status: 'DISABLED' }));
  }

  /**
   * The current key becomes the previous one and stays accepted, so requests
   * the merchant signed before switching keep verifying. One rotation at a
   * time: starting another would silently drop a key still in use.
   */
  rotateKey(id: string, publicKey: string): Promise<MerchantView> {
    const key = normalisePublicKey(publicKey, 'publicKey');
    return this.change(id, (current) => {
      if (current.publicKey === null) return { publicKey: key.pem };
      if (current.previousPublicKey !== null) {
        throw new DomainError(ErrorCode.CONFLICT, 'a key rotation is already in progress: end it first (DELETE .../keys/previous)');
      }
      if (toMerchantView(current).publicKeyFingerprint === key.fingerprint) {
        throw new DomainError(ErrorCode.CONFLICT, 'publicKey: is already the current key');
      }
      return { publicKey: key.pem, previousPublicKey: current.publicKey };
    });
  }

  /** Ends a rotation: the previous key stops verifying. */
  endKeyRotation(id: string): Promise<MerchantView> {
    return this.change(id, (current) => {
      if (current.previousPublicKey === null) throw new DomainError(ErrorCode.NOT_FOUND, 'the merchant has no previous key');
      return { previousPublicKey: null };
    });
  }

  /** Read, decide and write in one transaction, so two operators' edits cannot interleave. */
  private async change(id: string, decide: (current: MerchantEntity) => Partial<MerchantEntity>): Promise<MerchantView> {
    const row = await this.uow.run(async (em) => {
      const current = await this.require(id, em);
      const changes = withoutUndefined(decide(current));
      if (Object.keys(changes).length === 0) return current;
      const updated = { ...current, ...changes, updatedAt: this.clock.now() };
      await this.merchants.update(em, id, { ...changes, updatedAt: updated.updatedAt });
      return updated;
    });
    return toMerchantView(row);
  }

  private async require(id: string, em?: EntityManager): Promise<MerchantEntity> {
    const row = await this.merchants.findById(id, em);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'merchant not found');
    return row;
  }

  private async assertUnique(em: EntityManager, referenceMerchantId: string, clientId: string): Promise<void> {
    const clashes = await this.merchants.findClashing(em, referenceMerchantId, clientId);
    if (clashes.some((m) => m.referenceMerchantId === referenceMerchantId)) {
      throw new DomainError(ErrorCode.CONFLICT, 'referenceMerchantId: a merchant with this id already exists');
    }
    if (clashes.length > 0) throw new DomainError(ErrorCode.CONFLICT, 'clientId: a merchant with this client id already exists');
  }
}

/** ASK means the gateway asks the merchant at consultUrl before Alipay+ unbinds, so ASK needs one. */
function requireConsultUrl(policy: ConsultPolicy, url: string | null): void {
  if (policy === 'ASK' && url === null) throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'consultUrl: is required when consultPolicy is ASK');
}
