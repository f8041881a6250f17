import { ApiProperty } from '@nestjs/swagger';
import type { AuditView } from '../../operators/audit-trail';
import { OPERATOR_ROLES } from '../../operators/operator.entity';
import type { OperatorView } from '../../operators/operator-directory';
import type { Page } from '../../common/keyset-page';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export class OperatorResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: OPERATOR_ROLES }) role: string;
  @ApiProperty({ enum: ['ACTIVE', 'REVOKED'] }) status: string;
  @ApiProperty({ description: 'The operator who made it (`bootstrap` for ADMIN_API_TOKEN).' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'To the minute.' }) lastUsedAt: string | null;

  static from(v: OperatorView): OperatorResponse {
    return {
      id: v.id,
      name: v.name,
      role: v.role,
      status: v.status,
      createdBy: v.createdBy,
      createdAt: v.createdAt.toISOString(),
      revokedAt: iso(v.revokedAt),
      lastUsedAt: iso(v.lastUsedAt),
    };
  }
}

export class CreatedOperatorResponse {
  @ApiProperty({ type: OperatorResponse }) operator: OperatorResponse;
  @ApiProperty({ description: 'The operator’s API token, shown this once: it is stored only as a keyed hash.', example: 'acqp_op_…' })
  token: string;
}

export class OperatorPageResponse {
  @ApiProperty({ type: [OperatorResponse] }) items: OperatorResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;

  static from(page: Page<OperatorView>): OperatorPageResponse {
    return { items: page.items.map((v) => OperatorResponse.from(v)), nextCursor: page.nextCursor };
  }
}

export class WhoAmIResponse {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Null for the bootstrap ADMIN_API_TOKEN.' }) id: string | null;
  @ApiProperty() name: string;
  @ApiProperty({ enum: OPERATOR_ROLES }) role: string;
}

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty() actor: string;
  @ApiProperty({ enum: OPERATOR_ROLES }) role: string;
  @ApiProperty({ example: 'POST /admin/v1/merchants/:id/disable' }) action: string;
  @ApiProperty({ type: String, nullable: true, example: 'id=5b3a… created=…' }) target: string | null;
  @ApiProperty({ description: 'The HTTP status the action was answered with.' }) status: number;
  @ApiProperty() ip: string;

  static from(v: AuditView): AuditEventResponse {
    return { id: v.id, at: v.at.toISOString(), actor: v.actor.name, role: v.actor.role, action: v.action, target: v.target, status: v.status, ip: v.ip };
  }
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEventResponse] }) items: AuditEventResponse[];
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;

  static from(page: Page<AuditView>): AuditPageResponse {
    return { items: page.items.map((v) => AuditEventResponse.from(v)), nextCursor: page.nextCursor };
  }
}
