import { ApiProperty } from '@nestjs/swagger';
import { ErrorCode } from '../../common/errors/domain-error';

export class AdminErrorDetail {
  @ApiProperty({ enum: [...Object.values(ErrorCode), 'INTERNAL_ERROR'], example: ErrorCode.PARAM_ILLEGAL })
  code: string;

  @ApiProperty({ description: 'Names the offending field first, as `field: reason`, for bad input.', example: 'name: must not be empty' })
  message: string;
}

/** Every admin error answer. */
export class AdminErrorResponse {
  @ApiProperty({ type: AdminErrorDetail })
  error: AdminErrorDetail;
}
