import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ProtocolResultResponse } from '../http/protocol-route.decorator';

/** Alipay+ `consultUnbinding` answer: allowUnbinding only with an S result. */
export class ConsultUnbindingResponse {
  @ApiProperty({ type: ProtocolResultResponse }) result: ProtocolResultResponse;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'A string, as the protocol has every field.' }) allowUnbinding?: string;
}
