import type { ExecutionContext } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import fc from 'fast-check';
import { AdminBodyGuard } from '../../src/admin/http/admin-body.guard';
import { adminValidationPipe } from '../../src/admin/http/admin-validation.pipe';
import { DomainError, ErrorCode } from '../../src/common/errors/domain-error';
import type { Validated } from '../../src/common/validation';
import { ADMIN_PROBLEM_SHAPE, assertAccepted, assertRefused } from './dto-assertions';
import { asQuery, validBody, type DtoModel } from './dto-model';
import { anyValuesFor, invalidBody } from './dto-mutations';

const pipe = adminValidationPipe();
const bodyGuard = new AdminBodyGuard();

/** What the admin routes' body guard sees for a JSON body that parsed. */
function contextFor(body: unknown): ExecutionContext {
  // Only the body's presence matters to the guard; stringifying a 10,000-deep body would overflow here.
  const request = { body, rawBody: Buffer.from(body === undefined ? '' : '{}') };
  return { switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
}

/**
 * The admin API's equivalent of validateBody: the body guard (JSON object or
 * nothing) then the admin ValidationPipe, as a route runs them. Refusals come
 * back as `{ ok: false, problem }`; anything thrown that is not a
 * PARAM_ILLEGAL DomainError propagates, so a property sees it.
 */
export async function validateAdmin<T extends object>(type: ClassConstructor<T>, source: 'body' | 'query', value: unknown): Promise<Validated<T>> {
  try {
    if (source === 'body') bodyGuard.canActivate(contextFor(value));
    const out = (await pipe.transform(value, { type: source, metatype: type, data: undefined })) as T;
    return { ok: true, value: out };
  } catch (err) {
    if (err instanceof DomainError && err.code === ErrorCode.PARAM_ILLEGAL) return { ok: false, problem: err.message };
    throw err;
  }
}

/**
 * The properties every admin DTO must have, through the real guard and pipe:
 * valid input accepted, every single mutation refused as PARAM_ILLEGAL naming
 * the field, and nothing else ever thrown whatever JSON (or query) comes in.
 */
export function describeAdminDto<T extends object>(type: ClassConstructor<T>, model: DtoModel, runs = 200): void {
  const source = model.source === 'query' ? 'query' : 'body';
  const prepare = (value: unknown) => (source === 'query' && value !== null && typeof value === 'object' ? asQuery(value as Record<string, unknown>) : value);
  const sut = (value: unknown) => validateAdmin(type, source, prepare(value));

  describe(`${model.name} (admin ${source})`, () => {
    it('accepts every valid input', async () => {
      await fc.assert(
        fc.asyncProperty(validBody(model), async (value) => assertAccepted(await sut(value), value)),
        { numRuns: runs },
      );
    });

    it('refuses every single mutation as PARAM_ILLEGAL naming the field', async () => {
      await fc.assert(
        fc.asyncProperty(invalidBody(model), async (invalid) => assertRefused(await sut(invalid.body), invalid)),
        { numRuns: runs },
      );
    });

    it('throws nothing but PARAM_ILLEGAL, whatever comes in', async () => {
      const check = async (value: unknown) => {
        const result = await sut(value);
        if (!result.ok) expect(result.problem).toMatch(ADMIN_PROBLEM_SHAPE);
      };
      const inputs =
        source === 'query'
          ? fc.dictionary(
              fc.oneof(fc.constantFrom(...model.fields.map((f) => f.name)), fc.string({ maxLength: 8 })),
              fc.oneof(fc.string(), fc.array(fc.string(), { minLength: 2, maxLength: 3 })),
            )
          : fc.oneof(fc.jsonValue(), anyValuesFor(model));
      await fc.assert(fc.asyncProperty(inputs, check), { numRuns: runs });
    });
  });
}
