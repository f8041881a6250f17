import fc from 'fast-check';
import { assertAccepted, assertRefused, PROBLEM_SHAPE } from '../../test/fuzz/dto-assertions';
import { deeplyNested, knownFields, validBody, type DtoModel } from '../../test/fuzz/dto-model';
import { anyValuesFor, invalidBody } from '../../test/fuzz/dto-mutations';
import { AUTH_NOTIFY_MODELS, CONSULT_UNBINDING_MODEL } from '../../test/fuzz/dto-models';
import { validateBody } from '../common/validation';
import { AuthNotifyDto, ConsultUnbindingDto } from './auth-notify.dto';

const RUNS = { numRuns: 200 };

function neverThrows(type: typeof AuthNotifyDto | typeof ConsultUnbindingDto, model: DtoModel) {
  const check = (value: unknown) => {
    const result = validateBody(type as new () => object, value);
    if (!result.ok) expect(result.problem).toMatch(PROBLEM_SHAPE);
  };
  fc.assert(fc.property(fc.jsonValue(), check), RUNS);
  fc.assert(fc.property(anyValuesFor(model), check), RUNS);
}

describe(AuthNotifyDto.name, () => {
  const sut = (body: unknown) => validateBody(AuthNotifyDto, body);

  describe.each(AUTH_NOTIFY_MODELS.map((m) => [m.name, m] as const))('%s', (_name, model) => {
    it('accepts every valid body and keeps every known field as sent', () => {
      fc.assert(
        fc.property(validBody(model), (body) => {
          const result = sut(body);
          assertAccepted(result, body);
          if (result.ok) expect(knownFields(model, result.value)).toEqual(knownFields(model, body));
        }),
        RUNS,
      );
    });

    it('refuses every single mutation with a problem naming the field', () => {
      fc.assert(
        fc.property(invalidBody(model), (invalid) => assertRefused(sut(invalid.body), invalid)),
        RUNS,
      );
    });

    it('is not talked round by __proto__ or constructor keys in the parsed JSON', () => {
      const objectMutations = invalidBody(model).filter((i) => i.path !== 'body');
      const poison = fc.constantFrom(
        '"__proto__":{}',
        '"__proto__":{"authorizationNotifyType":"TOKEN_CANCELED"}',
        '"__proto__":null',
        '"constructor":{}',
        '"constructor":1',
      );
      fc.assert(
        fc.property(objectMutations, poison, (invalid, key) => {
          const json = JSON.stringify(invalid.body);
          // JSON.parse makes `__proto__` an own key, as the body parser would if it let it through.
          const body: unknown = JSON.parse(json === '{}' ? `{${key}}` : `{${key},${json.slice(1)}`);
          assertRefused(sut(body), invalid);
        }),
        RUNS,
      );
    });
  });

  it('never throws on any JSON value, and names a field or the body when it refuses', () => {
    for (const model of AUTH_NOTIFY_MODELS) neverThrows(AuthNotifyDto, model);
  });

  // KNOWN BUG (reported): class-transformer recurses once per level and overflows the stack
  // around 2,000 levels, so validateBody throws RangeError; over HTTP the answer is U
  // (retry) instead of F PARAM_ILLEGAL, and the admin API answers 500. Flip to `it` once fixed.
  it('does not throw on a body nested 10,000 levels deep', () => {
    for (const shape of ['array', 'object'] as const) {
      const body = { authorizationNotifyType: 'TOKEN_CREATED', accessToken: 'a', extra: JSON.parse(deeplyNested(10_000, shape)) };
      expect(() => sut(body)).not.toThrow();
    }
  });

  // KNOWN BUG (reported): MaxLength (validator.js isLength) does not count U+FE0E/U+FE0F after
  // a character, so 64 "a\uFE0F" (128 code points) pass MaxLength(64) and then overflow the
  // VARCHAR(64) column on MySQL: the notification is answered U and retried forever.
  it('measures maximum lengths in code points, as the database columns do', () => {
    const result = sut({ authorizationNotifyType: 'TOKEN_CREATED', accessToken: 'a', customerId: 'a\uFE0F'.repeat(64) });
    expect(result).toMatchObject({ ok: false, problem: expect.stringMatching(/^customerId: /) });
  });
});

describe(ConsultUnbindingDto.name, () => {
  const sut = (body: unknown) => validateBody(ConsultUnbindingDto, body);
  const model = CONSULT_UNBINDING_MODEL;

  it('accepts every valid body', () => {
    fc.assert(
      fc.property(validBody(model), (body) => assertAccepted(sut(body), body)),
      RUNS,
    );
  });

  it('refuses every single mutation with a problem naming the field', () => {
    fc.assert(
      fc.property(invalidBody(model), (invalid) => assertRefused(sut(invalid.body), invalid)),
      RUNS,
    );
  });

  it('never throws on any JSON value', () => {
    neverThrows(ConsultUnbindingDto, model);
  });
});
