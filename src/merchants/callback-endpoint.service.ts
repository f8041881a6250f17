import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { TokenVault } from '../common/crypto/token-vault';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import type { CallbackEndpointEntity } from './callback-endpoint.entity';
import { CallbackEndpointRepository } from './callback-endpoint.repository';
import { EndpointUrlPolicy } from './endpoint-url.policy';
import { pageRequest, toPage, type Page } from '../common/keyset-page';
import { withoutUndefined, type EndpointChanges, type EndpointFilter, type NewEndpoint } from './merchant.commands';
import { MerchantRepository } from './merchant.repository';
import { DEFAULT_EVENT_TYPES, EVENT_TYPES, type NotificationType } from '../protocol/notification-types';
import { DEFAULT_SIGNING_SCHEME, usesSecret } from '../protocol/signing-schemes';
import { toEndpointView, type EndpointView } from './merchant.views';
import { SubMerchantRepository } from './sub-merchant.repository';

/** Subscribed when the operator names no event types: the one event this gateway exists to fan out. */
/** Why an endpoint is disabled when an operator did it (the dispatcher writes its own reasons). */
const OPERATOR_DISABLED = 'disabled by operator';

/** An endpoint as created or re-keyed: the only answers that carry its signing secret. */
export interface EndpointWithSecret {
  readonly endpoint: EndpointView;
  /** `whsec_…` for STANDARD_WEBHOOKS endpoints; null for ANTOM_RSA (signed with the gateway's key). */
  readonly secret: string | null;
}

/** Callback endpoints of a merchant or one of its sub-merchants, and their signing secrets. */
@Injectable()
export class CallbackEndpointService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly merchants: MerchantRepository,
    private readonly subMerchants: SubMerchantRepository,
    private readonly endpoints: CallbackEndpointRepository,
    private readonly urls: EndpointUrlPolicy,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async create(merchantId: string, cmd: NewEndpoint): Promise<EndpointWithSecret> {
    await this.urls.check(cmd.url);
    const signingScheme = cmd.signingScheme ?? DEFAULT_SIGNING_SCHEME;
    const secret = usesSecret(signingScheme) ? newWebhookSecret() : null;
    const now = this.clock.now();
    const row: CallbackEndpointEntity = {
      id: randomUUID(),
      merchantId,
      subMerchantId: cmd.subMerchantId ?? null,
      url: cmd.url,
      eventTypes: canonicalEventTypes(cmd.eventTypes ?? DEFAULT_EVENT_TYPES),
      status: 'ACTIVE',
      signingScheme,
      secretEnc: secret === null ? null : this.vault.encrypt(secret),
      previousSecretEnc: null,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.uow.run(async (em) => {
      if (!(await this.merchants.findById(merchantId, em))) throw new DomainError(ErrorCode.NOT_FOUND, 'merchant not found');
      if (row.subMerchantId !== null && !(await this.subMerchants.findById(merchantId, row.subMerchantId, em))) {
        throw new DomainError(ErrorCode.NOT_FOUND, 'subMerchantId: no such sub-merchant under this merchant');
      }
      await this.endpoints.insert(em, row);
    });
    return { endpoint: toEndpointView(row), secret };
  }

  async list(merchantId: string, filter: EndpointFilter, limit?: number, cursor?: string): Promise<Page<EndpointView>> {
    const request = pageRequest(limit, cursor);
    if (!(await this.merchants.findById(merchantId))) throw new DomainError(ErrorCode.NOT_FOUND, 'merchant not found');
    return toPage(await this.endpoints.page(merchantId, filter, request), request, toEndpointView);
  }

  async get(merchantId: string, id: string): Promise<EndpointView> {
    return toEndpointView(await this.require(merchantId, id));
  }

  async update(merchantId: string, id: string, changes: EndpointChanges): Promise<EndpointView> {
    if (changes.url !== undefined) await this.urls.check(changes.url);
    return this.change(merchantId, id, () => ({
      url: changes.url,
      eventTypes: changes.eventTypes && canonicalEventTypes(changes.eventTypes),
      ...(changes.status === 'DISABLED' ? disabledNow(this.clock.now()) : {}),
      ...(changes.status === 'ACTIVE' ? ENABLED : {}),
    }));
  }

  disable(merchantId: string, id: string): Promise<EndpointView> {
    return this.change(merchantId, id, (current) => (current.status === 'DISABLED' ? {} : disabledNow(this.clock.now())));
  }

  /** Enabling also forgets the failure streak, so the dispatcher starts the endpoint afresh. */
  enable(merchantId: string, id: string): Promise<EndpointView> {
    return this.change(merchantId, id, () => ENABLED);
  }

  /**
   * A new secret; the old one moves to previous_secret_enc so deliveries can
   * carry both signatures while the merchant switches (Standard Webhooks
   * verifiers accept any one of several space-separated signatures).
   */
  async rotateSecret(merchantId: string, id: string): Promise<EndpointWithSecret> {
    const secret = newWebhookSecret();
    const endpoint = await this.change(merchantId, id, (current) => {
      if (!usesSecret(current.signingScheme)) {
        throw new DomainError(ErrorCode.CONFLICT, `the endpoint signs with ${current.signingScheme} and has no secret to rotate`);
      }
      return { secretEnc: this.vault.encrypt(secret), previousSecretEnc: current.secretEnc };
    });
    return { endpoint, secret };
  }

  private async change(merchantId: string, id: string, decide: (current: CallbackEndpointEntity) => Partial<CallbackEndpointEntity>): Promise<EndpointView> {
    const row = await this.uow.run(async (em) => {
      const current = await this.require(merchantId, id, em);
      const changes = withoutUndefined(decide(current));
      if (Object.keys(changes).length === 0) return current;
      const updatedAt = this.clock.now();
      await this.endpoints.update(em, merchantId, id, { ...changes, updatedAt });
      return { ...current, ...changes, updatedAt };
    });
    return toEndpointView(row);
  }

  private async require(merchantId: string, id: string, em?: EntityManager): Promise<CallbackEndpointEntity> {
    const row = await this.endpoints.findById(merchantId, id, em);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'callback endpoint not found under this merchant');
    return row;
  }
}

const ENABLED: Partial<CallbackEndpointEntity> = { status: 'ACTIVE', disabledAt: null, disabledReason: null, failingSince: null };

function disabledNow(now: Date): Partial<CallbackEndpointEntity> {
  return { status: 'DISABLED', disabledAt: now, disabledReason: OPERATOR_DISABLED };
}

/** Standard Webhooks secret format: `whsec_` + base64 of 24 random bytes (192 bits). */
function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** Deduplicated and in one fixed order, so equal subscriptions are stored equal. */
function canonicalEventTypes(types: readonly NotificationType[]): string {
  return EVENT_TYPES.filter((t) => types.includes(t)).join(',');
}
