import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import type { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { CallbackDispatcher } from './callback.dispatcher';
import { DeliveryAdminRepository } from './delivery-admin.repository';
import type { DeliveryStatus } from './delivery.entity';

export interface RequeuedDelivery {
  readonly id: string;
  readonly status: DeliveryStatus;
  readonly nextAttemptAt: Date;
}

export interface EndpointHealth {
  readonly endpointId: string;
  readonly status: CallbackEndpointEntity['status'];
  readonly disabledReason: string | null;
  readonly disabledAt: Date | null;
  readonly failingSince: Date | null;
  readonly attempts: number;
  readonly succeeded: number;
  /** Over `attempts`; null when there were none. */
  readonly successRate: number | null;
  readonly lastSuccessAt: Date | null;
  readonly lastError: { readonly at: Date; readonly errorClass: string | null; readonly httpStatus: number | null } | null;
  readonly deliveries: Record<DeliveryStatus, number>;
}

/** Operator actions on callback deliveries: replay one, recover an endpoint's failures, read its health. */
@Injectable()
export class DeliveryAdminService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly repo: DeliveryAdminRepository,
    private readonly dispatcher: CallbackDispatcher,
    private readonly clock: Clock,
  ) {}

  async redeliver(id: string): Promise<RequeuedDelivery> {
    const now = this.clock.now();
    await this.uow.run(async (em) => {
      const delivery = await this.repo.findDelivery(em, id);
      if (!delivery) throw new DomainError(ErrorCode.NOT_FOUND, 'delivery not found');
      if (delivery.status === 'LEASED') throw new DomainError(ErrorCode.CONFLICT, 'the delivery is being sent right now; try again once it settles');
      await this.requireActive(delivery.endpointId, em);
      if (!(await this.repo.redeliver(em, id, now)))
        throw new DomainError(ErrorCode.CONFLICT, 'the delivery is being sent right now; try again once it settles');
    });
    this.dispatcher.kick();
    return { id, status: 'PENDING', nextAttemptAt: now };
  }

  async recover(endpointId: string, since: Date): Promise<number> {
    if (since.getTime() > this.clock.now().getTime()) throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'since: must not be in the future');
    const recovered = await this.uow.run(async (em) => {
      await this.requireActive(endpointId, em);
      return this.repo.recoverSince(em, endpointId, since, this.clock.now());
    });
    if (recovered > 0) this.dispatcher.kick();
    return recovered;
  }

  async health(endpointId: string, window: number): Promise<EndpointHealth> {
    const endpoint = await this.repo.findEndpoint(endpointId);
    if (!endpoint) throw new DomainError(ErrorCode.NOT_FOUND, 'callback endpoint not found');
    const [recent, counts] = await Promise.all([this.repo.recentAttempts(endpointId, window), this.repo.countByStatus(endpointId)]);
    const succeeded = recent.filter((a) => a.outcome === 'SUCCEEDED').length;
    const lastError = recent.find((a) => a.outcome !== 'SUCCEEDED');
    return {
      endpointId,
      status: endpoint.status,
      disabledReason: endpoint.disabledReason,
      disabledAt: endpoint.disabledAt,
      failingSince: endpoint.failingSince,
      attempts: recent.length,
      succeeded,
      successRate: recent.length === 0 ? null : succeeded / recent.length,
      lastSuccessAt: recent.find((a) => a.outcome === 'SUCCEEDED')?.startedAt ?? null,
      lastError: lastError ? { at: lastError.startedAt, errorClass: lastError.errorClass, httpStatus: lastError.httpStatus } : null,
      deliveries: { PENDING: 0, LEASED: 0, DELIVERED: 0, FAILED: 0, ...counts },
    };
  }

  /** Requeuing toward a disabled endpoint would only fail again at once: the operator re-enables it first. */
  private async requireActive(endpointId: string, em: EntityManager): Promise<void> {
    const endpoint = await this.repo.findEndpoint(endpointId, em);
    if (!endpoint) throw new DomainError(ErrorCode.NOT_FOUND, 'callback endpoint not found');
    if (endpoint.status !== 'ACTIVE') {
      throw new DomainError(ErrorCode.CONFLICT, `the endpoint is disabled (${endpoint.disabledReason ?? 'no reason given'}); enable it first`);
    }
  }
}
