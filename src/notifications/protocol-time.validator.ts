import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parseProtocolTime } from '../protocol/protocol-time';

/** An optional protocol time: absent, null, or ISO 8601 with an offset; never `""`. */
export function IsProtocolTime(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, example: '2026-11-22T10:15:30+08:00' }),
    isProtocolTime(options),
  );
}

function isProtocolTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isProtocolTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO 8601 time with an offset (2026-11-22T10:15:30+08:00)', ...options },
      validator: {
        validate: (v: unknown) => v === undefined || v === null || (typeof v === 'string' && parseProtocolTime(v) !== null),
      },
    });
}
