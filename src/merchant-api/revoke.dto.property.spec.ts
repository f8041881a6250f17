import fc from 'fast-check';
import { assertAccepted, assertRefused, PROBLEM_SHAPE } from '../../test/fuzz/dto-assertions';
import { knownFields, validBody } from '../../test/fuzz/dto-model';
import { anyValuesFor, invalidBody } from '../../test/fuzz/dto-mutations';
import { REVOKE_MODEL, ACCESS_TOKEN_MODEL } from '../../test/fuzz/dto-models';
import { validateBody } from '../common/validation';
import { RevokeDto, AccessTokenDto } from './revoke.dto';

const RUNS = { numRuns: 200 };

describe.each([
  [RevokeDto.name, RevokeDto, REVOKE_MODEL],
  [AccessTokenDto.name, AccessTokenDto, ACCESS_TOKEN_MODEL],
] as const)('%s', (_name, type, model) => {
  const sut = (body: unknown) => validateBody(type as new () => object, body);

  it('accepts every valid body and keeps every field as sent', () => {
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

  it('never throws on any JSON value, and names a field or the body when it refuses', () => {
    const check = (value: unknown) => {
      const result = sut(value);
      if (!result.ok) expect(result.problem).toMatch(PROBLEM_SHAPE);
    };
    fc.assert(fc.property(fc.jsonValue(), check), RUNS);
    fc.assert(fc.property(anyValuesFor(model), check), RUNS);
  });
});
