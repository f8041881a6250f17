import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { registerDecorator, type ValidationOptions } from 'class-validator';
import { parseMessageTime } from '../signing/message-time';

/** ISO 8601 with an offset or Z, as Alipay+ writes times (`2022-06-06T12:12:12+08:00`). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant, or null for anything else, including a time that is not on the
 * calendar (`2026-02-30`, hour 24): `new Date()` would roll those into the
 * next month or day instead of refusing them.
 */
export function parseProtocolTime(value: string): Date | null {
  if (!ISO_WITH_OFFSET.test(value)) return null;
  const ms = parseMessageTime(value);
  return ms === null ? null : new Date(ms);
}

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
