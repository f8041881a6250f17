import { Injectable } from '@nestjs/common';
import type { DeliveryRecord } from '../read-models/read-models';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';
import { DeliveryReadRepository, type AttemptWithResponse } from './delivery-read.repository';

export interface DeliveryDetail {
  readonly delivery: DeliveryRecord;
  readonly attempts: AttemptWithResponse[];
}

/** One callback delivery with every attempt and what the endpoint answered: what the console polls after a redeliver. */
@Injectable()
export class DeliveryDetailService {
  constructor(private readonly deliveries: DeliveryReadRepository) {}

  async get(id: string): Promise<DeliveryDetail> {
    const delivery = await this.deliveries.delivery(id);
    if (!delivery) throw new DomainError(ErrorCode.NOT_FOUND, 'delivery not found');
    return { delivery, attempts: await this.deliveries.attemptsWithResponses(id) };
  }
}
