import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { pageRequest, toPage, type Page } from '../../common/keyset-page';
import { DeliveryReadRepository } from './delivery-read.repository';
import type { DeliveryRecord } from '../read-models/read-models';

export interface DeliveryQuery {
  readonly status?: string;
  readonly endpointId?: string;
  readonly merchantId?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: number;
  readonly cursor?: string;
}

/** The callback delivery log, newest first, for operators (read-only: actions live with the dispatcher). */
@Injectable()
export class DeliveryListService {
  constructor(private readonly deliveries: DeliveryReadRepository) {}

  async list(q: DeliveryQuery): Promise<Page<DeliveryRecord>> {
    const request = pageRequest(q.limit, q.cursor);
    const since = q.since === undefined ? undefined : new Date(q.since);
    const until = q.until === undefined ? undefined : new Date(q.until);
    if (since && until && since.getTime() >= until.getTime()) {
      throw new DomainError(ErrorCode.PARAM_ILLEGAL, 'until: must be after since');
    }
    const filter = { status: q.status, endpointId: q.endpointId, merchantId: q.merchantId, since, until };
    return toPage(await this.deliveries.list(filter, request), request, (d) => d);
  }
}
