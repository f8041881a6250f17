import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { IsNotEmpty, IsString, MaxLength, ValidateIf, validateSync, type ValidationError, type ValidationOptions } from 'class-validator';
import { applyDecorators } from '@nestjs/common';

/**
 * An optional protocol string: absent or `null`, never `""` (Alipay+ and
 * Antom: "Do NOT leave the optional parameters empty by setting their values
 * as \"\"").
 */
export function OptionalString(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_, v) => v !== undefined && v !== null),
    IsString(options),
    IsNotEmpty({ message: '$property must not be an empty string (omit it or send null)' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
  );
}

/** A required protocol string. */
export function RequiredString(maxLength: number): PropertyDecorator {
  return applyDecorators(
    IsString({ message: '$property is required and must be a string' }),
    IsNotEmpty({ message: '$property is required' }),
    MaxLength(maxLength, { message: `$property must be at most ${maxLength} characters` }),
  );
}

export type Validated<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Validates a parsed JSON body against a DTO class. Returns the first problem
 * as `field: reason` (a precise, documented answer for the caller), never throws.
 */
export function validateBody<T extends object>(type: ClassConstructor<T>, body: unknown): Validated<T> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problem: 'body must be a JSON object' };
  }
  const value = plainToInstance(type, body, { enableImplicitConversion: false });
  const errors = validateSync(value, { whitelist: false, forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) return { ok: false, problem: describe(errors[0]!) };
  return { ok: true, value };
}

function describe(error: ValidationError, prefix = ''): string {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints) return `${path}: ${Object.values(error.constraints)[0]}`;
  const child = error.children?.[0];
  return child ? describe(child, path) : `${path}: is invalid`;
}
