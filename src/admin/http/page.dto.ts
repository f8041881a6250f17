import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../common/keyset-page';
import { Omittable } from './dto-rules';

/** `?limit=&cursor=` on every list; newest first. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @Omittable()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page.' })
  @Omittable()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
