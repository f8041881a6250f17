import { RuleBook } from './cancel-token.rules';
import type { SimulatorRule } from './simulator.types';

describe(RuleBook.name, () => {
  let sut: RuleBook;
  beforeEach(() => {
    sut = new RuleBook();
  });
  const kinds = (token: string, calls: number) => Array.from({ length: calls }, () => sut.next(token).kind);

  it('cancels by default', () => {
    expect(sut.next('T1')).toEqual({ kind: 'cancel', signature: 'valid', holdMs: 0 });
  });

  it("prefers the token's own rule over the wildcard", () => {
    sut.set('*', { kind: 'down' });
    sut.set('T1', { kind: 'unknown' });
    expect(sut.next('T1')).toMatchObject({ kind: 'result', resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION' });
    expect(sut.next('T2')).toEqual({ kind: 'drop' });
  });

  it.each<[string, SimulatorRule, unknown]>([
    ['fail', { kind: 'fail', resultCode: 'ACCESS_DENIED' }, { kind: 'result', resultStatus: 'F', resultCode: 'ACCESS_DENIED' }],
    [
      'unknown with a code',
      { kind: 'unknown', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' },
      { kind: 'result', resultStatus: 'U', resultCode: 'REQUEST_TRAFFIC_EXCEED_LIMIT' },
    ],
    ['timeout', { kind: 'timeout', ms: 1_000 }, { kind: 'cancel', signature: 'valid', holdMs: 1_000 }],
    ['unsigned', { kind: 'unsigned' }, { kind: 'cancel', signature: 'none', holdMs: 0 }],
    ['badSignature', { kind: 'badSignature' }, { kind: 'cancel', signature: 'bad', holdMs: 0 }],
    ['http5xx', { kind: 'http5xx', status: 503 }, { kind: 'http-error', status: 503 }],
  ])('plans %s', (_case, rule, plan) => {
    sut.set('T1', rule);
    expect(sut.next('T1')).toMatchObject(plan as object);
  });

  it('plays a sequence one call at a time and repeats its last step', () => {
    sut.set('T1', [{ kind: 'down' }, { kind: 'http5xx', status: 500 }, { kind: 'success' }]);
    expect(kinds('T1', 4)).toEqual(['drop', 'http-error', 'cancel', 'cancel']);
  });

  it('fails the given number of times, then succeeds, counting per token under the wildcard', () => {
    sut.set('*', { kind: 'failTimesThenSucceed', times: 2, with: 'http500' });
    expect(kinds('T1', 3)).toEqual(['http-error', 'http-error', 'cancel']);
    expect(kinds('T2', 1)).toEqual(['http-error']);
  });

  it('holds a failing timeout past the client and answers U, without canceling', () => {
    sut.set('T1', { kind: 'failTimesThenSucceed', times: 1, with: 'timeout' });
    expect(sut.next('T1')).toEqual({ kind: 'result', resultStatus: 'U', resultCode: 'UNKNOWN_EXCEPTION', holdMs: 6_000 });
    expect(sut.next('T1').kind).toBe('cancel');
  });

  it("starts a rule's count over when it is set again, and forgets it on null", () => {
    sut.set('T1', [{ kind: 'down' }, { kind: 'success' }]);
    sut.next('T1');
    sut.set('T1', [{ kind: 'down' }, { kind: 'success' }]);
    expect(sut.next('T1').kind).toBe('drop');
    sut.set('T1', null);
    expect(sut.next('T1').kind).toBe('cancel');
  });

  it.each([
    ['an unknown kind', { kind: 'nope' }],
    ['fail without a code', { kind: 'fail' }],
    ['a negative timeout', { kind: 'timeout', ms: -1 }],
    ['a 4xx as http5xx', { kind: 'http5xx', status: 404 }],
    ['failTimesThenSucceed with a bad mode', { kind: 'failTimesThenSucceed', times: 1, with: 'fire' }],
    ['failTimesThenSucceed inside a sequence', [{ kind: 'failTimesThenSucceed', times: 1, with: 'unknown' }]],
    ['an empty sequence', []],
  ])('refuses %s', (_case, rule) => {
    expect(() => sut.set('T1', rule as unknown as SimulatorRule)).toThrow(RangeError);
  });
});
