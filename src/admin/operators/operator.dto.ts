import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { OPERATOR_ROLES, type OperatorRole } from '../../operators/operator.entity';
import { OPERATOR_NAME } from '../../operators/operator';
import { Omittable } from '../http/dto-rules';
import { PageQuery } from '../http/page.dto';

export class CreateOperatorDto {
  @ApiProperty({ maxLength: 64, example: 'alice', description: 'What logs and the audit trail show: 1-64 of a-z 0-9 . _ -' })
  @IsString({ message: 'must be a string' })
  @Matches(OPERATOR_NAME, { message: 'must be 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit)' })
  name: string;

  @ApiProperty({ enum: OPERATOR_ROLES, description: 'admin: everything; read-only: look, never change.' })
  @IsIn(OPERATOR_ROLES, { message: `must be one of ${OPERATOR_ROLES.join(', ')}` })
  role: OperatorRole;
}

export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this operator’s actions (its name; `bootstrap` for ADMIN_API_TOKEN).' })
  @Omittable()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 time' })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @Omittable()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 time' })
  until?: string;
}
