import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { IsNotEmpty, IsString, registerDecorator, ValidateIf, validateSync, type ValidationError, type ValidationOptions } from 'class-validator';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Deeper JSON than any protocol or admin body has; class-transformer recurses per level. */
export const MAX_JSON_DEPTH = 256;

/**
 * At most `max` characters counted in code points, as MySQL's VARCHAR counts
 * them (class-validator's MaxLength skips variation selectors, so a value could
 * pass it and still not fit its column).
 */
export function MaxChars(max: number, options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'maxChars',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property must be at most ${max} characters`, ...options },
      validator: { validate: (v: unknown) => typeof v !== 'string' || fitsChars(v, max) },
    });
}

/** True when `v` has at most `max` code points (MaxChars' rule). */
export function fitsChars(v: string, max: number): boolean {
  if (v.length <= max) return true;
  let n = 0;
  for (const _ of v) if (++n > max) return false;
  return true;
}

/**
 * The top-level field under which a parsed JSON value nests deeper than
 * `limit` (`body` when the value itself does), or null. Iterative, so the
 * check itself cannot overflow the stack it protects.
 */
export function tooDeepField(value: unknown, limit: number): string | null {
  if (value === null || typeof value !== 'object') return null;
  const stack: Array<[unknown, number, string]> = Object.entries(value).map(([k, v]) => [v, 1, k]);
  while (stack.length > 0) {
    const [v, depth, field] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= limit) return Array.isArray(value) ? 'body' : field;
    for (const child of Object.values(v)) stack.push([child, depth + 1, field]);
  }
  return null;
}

/**
 * An optional protocol string: absent or `null`, never `""` (Alipay+ and
 * Antom: "Do NOT leave the optional parameters empty by setting their values
 * as \"\"").
 */
export function OptionalString(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, maxLength, minLength: 1, nullable: true }),
    ValidateIf((_, v) => v !== undefined && v !== null),
    IsString(options),
    IsNotEmpty({ message: '$property must not be an empty string (omit it or send null)' }),
    MaxChars(maxLength),
  );
}

/** A required protocol string. */
export function RequiredString(maxLength: number): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: String, maxLength, minLength: 1 }),
    IsString({ message: '$property is required and must be a string' }),
    IsNotEmpty({ message: '$property is required' }),
    MaxChars(maxLength),
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
  const deep = tooDeepField(body, MAX_JSON_DEPTH);
  if (deep !== null) return { ok: false, problem: `${deep}: nests deeper than ${MAX_JSON_DEPTH} levels` };
  const value = plainToInstance(type, body, { enableImplicitConversion: false });
  const errors = validateSync(value, { whitelist: false, forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length > 0) return { ok: false, problem: describe(errors[0]) };
  return { ok: true, value };
}

function describe(error: ValidationError, prefix = ''): string {
  const path = prefix ? `${prefix}.${error.property}` : error.property;
  if (error.constraints) return `${path}: ${Object.values(error.constraints)[0]}`;
  const child = error.children?.[0];
  return child ? describe(child, path) : `${path}: is invalid`;
}
