import fc from 'fast-check';
import { deeplyNested, knownFields, validBody } from '../../test/fuzz/dto-model';
import { anyValuesFor, invalidBody } from '../../test/fuzz/dto-mutations';
import { AUTH_NOTIFY_MODELS } from '../../test/fuzz/dto-models';
import { validateBody } from '../common/validation';
import { AuthNotifyDto, WalletForAccountBindingDto, WalletLogoDto } from './auth-notify.dto';
import { acceptPlainlyValid } from './auth-notify.fast-path';

const RUNS = { numRuns: 300 };

/** Whatever the fast path accepts, the full validation accepts too, with the same known fields. */
function agreesWithFullValidation(body: unknown): void {
  const sut = acceptPlainlyValid(body);
  if (sut === null) return;
  const full = validateBody(AuthNotifyDto, body);
  expect(full).toMatchObject({ ok: true });
  const model = AUTH_NOTIFY_MODELS.find((m) => m.name === `AuthNotifyDto(${sut.authorizationNotifyType})`)!;
  if (full.ok) expect(knownFields(model, sut)).toEqual(knownFields(model, full.value));
}

describe(acceptPlainlyValid.name, () => {
  describe.each(AUTH_NOTIFY_MODELS.map((m) => [m.name, m] as const))('%s', (_name, model) => {
    it('accepts every valid body, as the DTO instance validateBody would give', () => {
      fc.assert(
        fc.property(validBody(model), (body) => {
          const sut = acceptPlainlyValid(body);
          expect(sut).toBeInstanceOf(AuthNotifyDto);
          agreesWithFullValidation(body);
          const wallet = sut?.walletForAccountBinding;
          if (wallet) expect(wallet).toBeInstanceOf(WalletForAccountBindingDto);
          if (wallet?.walletLogo) expect(wallet.walletLogo).toBeInstanceOf(WalletLogoDto);
        }),
        RUNS,
      );
    });

    it('accepts none of the single mutations validateBody refuses', () => {
      fc.assert(
        fc.property(invalidBody(model), (invalid) => expect(acceptPlainlyValid(invalid.body)).toBeNull()),
        RUNS,
      );
    });

    it('never accepts what validateBody refuses, on any values in the known fields', () => {
      fc.assert(fc.property(anyValuesFor(model), agreesWithFullValidation), RUNS);
    });
  });

  it('never accepts what validateBody refuses, on any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), agreesWithFullValidation), RUNS);
  });

  it('leaves bodies with keys class-transformer treats specially, or nested too deep, to the full path', () => {
    const valid = { authorizationNotifyType: 'TOKEN_CREATED', accessToken: 'a' };
    expect(acceptPlainlyValid(valid)).not.toBeNull();
    expect(acceptPlainlyValid(JSON.parse('{"__proto__":{},"authorizationNotifyType":"TOKEN_CREATED","accessToken":"a"}'))).toBeNull();
    expect(acceptPlainlyValid({ ...valid, toString: 1 })).toBeNull();
    expect(acceptPlainlyValid({ ...valid, walletForAccountBinding: { constructor: 1 } })).toBeNull();
    expect(acceptPlainlyValid({ ...valid, extra: JSON.parse(deeplyNested(300, 'array')) })).toBeNull();
  });
});
