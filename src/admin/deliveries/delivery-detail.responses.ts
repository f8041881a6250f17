import { ApiProperty } from '@nestjs/swagger';
import { DeliveryAttemptResponse, DeliveryResponse } from './delivery.responses';
import type { DeliveryDetail } from './delivery-detail.service';

export class AttemptWithResponseResponse extends DeliveryAttemptResponse {
  @ApiProperty({ nullable: true, type: String, description: 'The first 1 KiB of what the endpoint answered; null when nothing came back.' })
  responseBody: string | null;
}

export class DeliveryDetailResponse extends DeliveryResponse {
  @ApiProperty({ type: [AttemptWithResponseResponse], description: 'Every attempt, oldest first, across redeliveries.' })
  attempts: AttemptWithResponseResponse[];

  static detail(d: DeliveryDetail): DeliveryDetailResponse {
    return {
      ...DeliveryResponse.from(d.delivery),
      attempts: d.attempts.map((a) => ({ ...DeliveryAttemptResponse.from(a), responseBody: a.responseBody })),
    };
  }
}
