import { ApiProperty } from '@nestjs/swagger';
import type { EndpointWithSecret } from '../../merchants/callback-endpoint.service';
import type { EndpointStatus } from '../../merchants/callback-endpoint.entity';
import { SIGNING_SCHEME_NAMES, type SigningScheme } from '../../protocol/signing-schemes';
import type { Page } from '../../common/keyset-page';
import type { EndpointView } from '../../merchants/merchant.views';
import { EVENT_TYPES, type NotificationType } from '../../protocol/notification-types';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class EndpointResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) merchantId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) subMerchantId: string | null;
  @ApiProperty() url: string;
  @ApiProperty({ enum: EVENT_TYPES, isArray: true }) eventTypes: NotificationType[];
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status: EndpointStatus;
  @ApiProperty({ enum: SIGNING_SCHEME_NAMES }) signingScheme: SigningScheme;
  @ApiProperty({ description: 'A rotated-out secret is still used during a secret rotation.' }) hasPreviousSecret: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledReason: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) disabledAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Start of the current failure streak.' })
  failingSince: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;

  static from(v: EndpointView): EndpointResponse {
    return {
      id: v.id,
      merchantId: v.merchantId,
      subMerchantId: v.subMerchantId,
      url: v.url,
      eventTypes: v.eventTypes,
      status: v.status,
      signingScheme: v.signingScheme,
      hasPreviousSecret: v.hasPreviousSecret,
      disabledReason: v.disabledReason,
      disabledAt: iso(v.disabledAt),
      failingSince: iso(v.failingSince),
      createdAt: v.createdAt.toISOString(),
      updatedAt: v.updatedAt.toISOString(),
    };
  }
}

/** Create and rotate-secret answers: the only ones that ever carry the secret. */
export class EndpointWithSecretResponse extends EndpointResponse {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'STANDARD_WEBHOOKS only: `whsec_…`. Shown once; store it now, it cannot be read back.',
  })
  secret: string | null;

  static withSecret(r: EndpointWithSecret): EndpointWithSecretResponse {
    return { ...EndpointResponse.from(r.endpoint), secret: r.secret };
  }
}

export class EndpointPageResponse {
  @ApiProperty({ type: [EndpointResponse] }) items: EndpointResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;

  static from(page: Page<EndpointView>): EndpointPageResponse {
    return { items: page.items.map((v) => EndpointResponse.from(v)), nextCursor: page.nextCursor };
  }
}
