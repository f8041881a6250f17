import { nextTokenState, tokenStatusType, type TokenEvent, type TokenState } from './token-state';

const ACTIVE: TokenState = { status: 'ACTIVE', created: true, cancelSource: null };
const CANCELING: TokenState = { status: 'CANCELING', created: true, cancelSource: null };
const CANCELED_PSP: TokenState = { status: 'CANCELED', created: true, cancelSource: 'PSP' };
const TOMBSTONE: TokenState = { status: 'CANCELED', created: false, cancelSource: 'PSP' };

const run = (start: TokenState | null, events: TokenEvent[]) => {
  let state = start;
  let cancellations = 0;
  let settles = 0;
  for (const e of events) {
    const t = nextTokenState(state, e);
    state = t.next;
    if (t.emitCancellation) cancellations++;
    if (t.settlesRevoke) settles++;
  }
  return { state, cancellations, settles };
};

describe(nextTokenState.name, () => {
  it('creates an active token and emits a created event once', () => {
    const sut = nextTokenState(null, { type: 'TOKEN_CREATED' });
    expect(sut.next).toEqual(ACTIVE);
    expect(sut.emitCreated).toBe(true);
    const duplicate = nextTokenState(sut.next, { type: 'TOKEN_CREATED' });
    expect(duplicate.changed).toBe(false);
    expect(duplicate.emitCreated).toBe(false);
  });

  it('cancels an active token with its source and emits exactly one cancellation', () => {
    const sut = nextTokenState(ACTIVE, { type: 'TOKEN_CANCELED', source: 'PSP' });
    expect(sut.next).toEqual(CANCELED_PSP);
    expect(sut.emitCancellation).toBe(true);
    expect(sut.settlesRevoke).toBe(false);
  });

  it('treats duplicate cancels as no-ops', () => {
    const sut = nextTokenState(CANCELED_PSP, { type: 'TOKEN_CANCELED', source: 'PSP' });
    expect(sut).toMatchObject({ changed: false, emitCancellation: false, next: CANCELED_PSP });
  });

  it('leaves a tombstone for a cancel that arrives before its create, which the late create cannot revive', () => {
    const early = nextTokenState(null, { type: 'TOKEN_CANCELED', source: 'PSP' });
    expect(early.next).toEqual(TOMBSTONE);
    expect(early.emitCancellation).toBe(true);
    const late = nextTokenState(early.next, { type: 'TOKEN_CREATED' });
    expect(late.next.status).toBe('CANCELED');
    expect(late.next.created).toBe(true);
    expect(late.emitCreated).toBe(false);
    expect(late.emitCancellation).toBe(false);
  });

  it('makes a merchant revoke and its ACQUIRER echo one cancellation, whichever lands first', () => {
    const echoFirst = run(ACTIVE, [{ type: 'REVOKE_REQUESTED' }, { type: 'TOKEN_CANCELED', source: 'ACQUIRER' }, { type: 'REVOKE_SUCCEEDED' }]);
    expect(echoFirst).toEqual({ state: { status: 'CANCELED', created: true, cancelSource: 'ACQUIRER' }, cancellations: 1, settles: 1 });

    const answerFirst = run(ACTIVE, [{ type: 'REVOKE_REQUESTED' }, { type: 'REVOKE_SUCCEEDED' }, { type: 'TOKEN_CANCELED', source: 'ACQUIRER' }]);
    expect(answerFirst).toEqual({ state: { status: 'CANCELED', created: true, cancelSource: 'ACQUIRER' }, cancellations: 1, settles: 1 });
  });

  it('settles a pending revoke when the wallet cancels the token meanwhile', () => {
    const sut = nextTokenState(CANCELING, { type: 'TOKEN_CANCELED', source: 'PSP' });
    expect(sut).toMatchObject({ next: { status: 'CANCELED', cancelSource: 'PSP' }, emitCancellation: true, settlesRevoke: true });
  });

  it('joins concurrent revokes and answers a revoke of a canceled token without a change', () => {
    expect(nextTokenState(ACTIVE, { type: 'REVOKE_REQUESTED' }).next.status).toBe('CANCELING');
    expect(nextTokenState(CANCELING, { type: 'REVOKE_REQUESTED' }).changed).toBe(false);
    expect(nextTokenState(CANCELED_PSP, { type: 'REVOKE_REQUESTED' }).changed).toBe(false);
  });

  it('returns a token to active when Alipay+ refuses the revoke', () => {
    const sut = nextTokenState(CANCELING, { type: 'REVOKE_FAILED' });
    expect(sut).toMatchObject({ next: ACTIVE, settlesRevoke: true, emitCancellation: false });
  });

  it('ignores revoke results without a revoke in progress', () => {
    expect(nextTokenState(ACTIVE, { type: 'REVOKE_SUCCEEDED' })).toMatchObject({ ignored: true, changed: false });
    expect(nextTokenState(ACTIVE, { type: 'REVOKE_FAILED' })).toMatchObject({ ignored: true, changed: false });
    expect(nextTokenState(CANCELED_PSP, { type: 'REVOKE_FAILED' })).toMatchObject({ ignored: true, next: CANCELED_PSP });
  });

  it('never leaves CANCELED, whatever follows', () => {
    const events: TokenEvent[] = [
      { type: 'TOKEN_CREATED' },
      { type: 'REVOKE_REQUESTED' },
      { type: 'REVOKE_FAILED' },
      { type: 'REVOKE_SUCCEEDED' },
      { type: 'TOKEN_CANCELED', source: 'ACQUIRER' },
    ];
    for (const e of events) expect(nextTokenState(TOMBSTONE, e).next.status).toBe('CANCELED');
  });
});

describe(tokenStatusType.name, () => {
  const now = new Date('2026-12-03T10:00:00Z');
  const later = new Date('2027-01-01T00:00:00Z');
  const earlier = new Date('2026-12-01T00:00:00Z');

  it.each([
    ['ACTIVE', later, 'ACTIVE'],
    ['ACTIVE', null, 'ACTIVE'],
    ['ACTIVE', earlier, 'EXPIRED'],
    ['ACTIVE', now, 'EXPIRED'],
    ['CANCELING', earlier, 'CANCELING'],
    ['CANCELED', later, 'CANCELED'],
    ['CANCELED', earlier, 'CANCELED'],
  ] as const)('%s expiring %s is %s', (status, expiry, expected) => {
    expect(tokenStatusType(status, expiry, now)).toBe(expected);
  });
});
