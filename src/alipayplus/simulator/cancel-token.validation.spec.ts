import { checkCancelTokenBody } from './cancel-token.validation';

describe(checkCancelTokenBody.name, () => {
  const sut = checkCancelTokenBody;
  const valid = { pspId: 'P', acquirerId: 'A', accessToken: 'T' };

  it('keeps the known fields and drops the rest', () => {
    expect(sut({ ...valid, authClientId: 'C', passThroughInfo: '{}', extra: 1 })).toEqual({
      ok: true,
      body: { ...valid, authClientId: 'C', passThroughInfo: '{}' },
    });
  });

  it('takes null for an optional field as absent', () => {
    expect(sut({ ...valid, authClientId: null })).toEqual({ ok: true, body: valid });
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(sut({ ...valid, accessToken: '😀'.repeat(128) }).ok).toBe(true);
    expect(sut({ ...valid, accessToken: '😀'.repeat(129) }).ok).toBe(false);
  });

  it.each([
    ['not an object', 'x', 'body must be a JSON object'],
    ['null', null, 'body must be a JSON object'],
    ['pspId missing', { acquirerId: 'A', accessToken: 'T' }, 'pspId is required'],
    ['accessToken null', { ...valid, accessToken: null }, 'accessToken is required'],
    ['acquirerId a number', { ...valid, acquirerId: 1 }, 'acquirerId must be a string'],
    ['authClientId empty', { ...valid, authClientId: '' }, 'authClientId must not be empty'],
    ['passThroughInfo too long', { ...valid, passThroughInfo: 'x'.repeat(20_001) }, 'passThroughInfo is longer than 20000 characters'],
  ])('refuses %s', (_case, input, message) => {
    expect(sut(input)).toEqual({ ok: false, message });
  });
});
