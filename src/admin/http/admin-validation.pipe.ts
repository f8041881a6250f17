import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { MAX_JSON_DEPTH, tooDeepField } from '../../common/validation';
import { DomainError, ErrorCode } from '../../common/errors/domain-error';

/**
 * Admin DTO validation: unknown fields are refused (a typo must not be
 * silently ignored), and the first problem comes back as `field: reason`
 * under PARAM_ILLEGAL, through the same filter as every other admin error.
 */
export function adminValidationPipe(): ValidationPipe {
  return new DepthCheckedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) => new DomainError(ErrorCode.PARAM_ILLEGAL, describeProblem(errors)),
  });
}

/** Refuses over-deep input before class-transformer recurses into it (it overflows the stack near 2,000 levels). */
class DepthCheckedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const deep = tooDeepField(value, MAX_JSON_DEPTH);
    if (deep !== null) throw new DomainError(ErrorCode.PARAM_ILLEGAL, `${deep}: nests deeper than ${MAX_JSON_DEPTH} levels`);
    return super.transform(value, metadata);
  }
}

export function describeProblem(errors: ValidationError[], prefix = ''): string {
  const error = errors[0];
  if (!error) return 'body: is invalid';
  const path = error.property ? (prefix ? `${prefix}.${error.property}` : error.property) : prefix || 'body';
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) return `${path}: is not a known field`;
  const message = Object.values(constraints)[0];
  if (message !== undefined) return `${path}: ${stripProperty(message, error.property)}`;
  return error.children?.length ? describeProblem(error.children, path) : `${path}: is invalid`;
}

/** class-validator's default messages start with the property name, which the path already shows. */
function stripProperty(message: string, property: string): string {
  return property && message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
