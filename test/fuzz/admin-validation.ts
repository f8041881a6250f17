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

/**
 * What the admin routes' body guard gets: the body as bytes, declared JSON.
 * A value too deep for JSON.stringify (10,000 levels) is written out by hand.
 */
function requestFor(body: unknown): { rawBody: Buffer; declaredContentType: string; body?: unknown } {
  return { rawBody: Buffer.from(body === undefined ? '' : jsonText(body), 'utf8'), declaredContentType: 'application/json' };
}

function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    // Only nesting can make stringify fail here: an array of arrays, depth-first, without recursion.
    const parts: string[] = [];
    const stack: unknown[] = [value];
    while (stack.length > 0) {
      const v = stack.pop();
      if (v === CLOSE) parts.push(']');
      else if (Array.isArray(v)) {
        parts.push('[');
        stack.push(CLOSE, ...[...v].reverse().flatMap((x, i) => (i === 0 ? [x] : [x, COMMA])));
      } else if (v === COMMA) parts.push(',');
      else if (v !== null && typeof v === 'object') parts.push(objectText(v as Record<string, unknown>));
      else parts.push(JSON.stringify(v));
    }
    return parts.join('');
  }
}
const CLOSE = Symbol('close');
const COMMA = Symbol('comma');
function objectText(o: Record<string, unknown>): string {
  return `{${Object.entries(o)
    .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
    .join(',')}}`;
}

/**
 * The admin API's equivalent of validateBody: the body guard (JSON object or
 * nothing) then the admin ValidationPipe, as a route runs them. Refusals come
 * back as `{ ok: false, problem }`; anything thrown that is not a
 * PARAM_ILLEGAL DomainError propagates, so a property sees it.
 */
export async function validateAdmin<T extends object>(type: ClassConstructor<T>, source: 'body' | 'query', value: unknown): Promise<Validated<T>> {
  try {
    let input = value;
    if (source === 'body') {
      const request = requestFor(value);
      bodyGuard.canActivate({ switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext);
      // What the route then receives: the guard's parse of the bytes.
      input = request.body;
    }
    const out = (await pipe.transform(input, { type: source, metatype: type, data: undefined })) as T;
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
