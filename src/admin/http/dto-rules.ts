import { applyDecorators } from '@nestjs/common';
import { IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { MaxChars } from '../../common/validation';

/**
 * May be left out, but not sent as null: for columns that cannot be cleared
 * (a null would otherwise reach a NOT NULL column as a 500).
 */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined);
}

/** May be left out or sent as null (null clears the value). */
export function Nullable(): PropertyDecorator {
  return IsOptional();
}

/** A non-blank string of at most `max` characters. */
export function Text(max: number): PropertyDecorator {
  return applyDecorators(
    IsString({ message: 'must be a string' }),
    Matches(/\S/, { message: 'must not be empty' }),
    MaxChars(max, { message: `must be at most ${max} characters` }),
  );
}
