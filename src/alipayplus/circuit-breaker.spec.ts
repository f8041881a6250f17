import { CircuitBreaker, CircuitBreakerOptions, CircuitState } from './circuit-breaker';

describe(CircuitBreaker.name, () => {
  let now: number;
  let changes: [CircuitState, CircuitState][];
  const make = (options: CircuitBreakerOptions = {}) =>
    new CircuitBreaker({ now: () => now, onStateChange: (to, from) => changes.push([to, from]), ...options });
  const fail = (sut: CircuitBreaker, times: number) => {
    for (let i = 0; i < times; i++) sut.recordFailure();
  };

  beforeEach(() => {
    now = 1_000_000;
    changes = [];
  });

  it('starts closed and lets calls through', () => {
    const sut = make();
    expect(sut.state()).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
  });

  it('opens after 5 consecutive failures by default, not after 4', () => {
    const sut = make();
    fail(sut, 4);
    expect(sut.state()).toBe('closed');
    sut.recordFailure();
    expect(sut.state()).toBe('open');
    expect(sut.tryAcquire()).toBe(false);
    expect(changes).toEqual([['open', 'closed']]);
  });

  it('counts consecutive failures only: a success in between starts over', () => {
    const sut = make({ failureThreshold: 3 });
    fail(sut, 2);
    sut.recordSuccess();
    fail(sut, 2);
    expect(sut.state()).toBe('closed');
    sut.recordFailure();
    expect(sut.state()).toBe('open');
  });

  it('stays open for the 30 s cool-down by default, then lets exactly one probe through', () => {
    const sut = make({ failureThreshold: 1 });
    sut.recordFailure();
    now += 29_999;
    expect(sut.state()).toBe('open');
    expect(sut.tryAcquire()).toBe(false);
    now += 1;
    expect(sut.state()).toBe('half-open');
    expect(sut.tryAcquire()).toBe(true);
    expect(sut.tryAcquire()).toBe(false);
    expect(sut.state()).toBe('half-open');
  });

  it('closes when the probe succeeds', () => {
    const sut = make({ failureThreshold: 1, coolDownMs: 1_000 });
    sut.recordFailure();
    now += 1_000;
    sut.tryAcquire();
    sut.recordSuccess();
    expect(sut.state()).toBe('closed');
    expect(sut.tryAcquire()).toBe(true);
    expect(changes).toEqual([
      ['open', 'closed'],
      ['half-open', 'open'],
      ['closed', 'half-open'],
    ]);
  });

  it('reopens for a full cool-down when the probe fails', () => {
    const sut = make({ failureThreshold: 1, coolDownMs: 1_000 });
    sut.recordFailure();
    now += 1_000;
    expect(sut.tryAcquire()).toBe(true);
    now += 200;
    sut.recordFailure();
    expect(sut.state()).toBe('open');
    now += 999;
    expect(sut.tryAcquire()).toBe(false);
    now += 1;
    expect(sut.tryAcquire()).toBe(true);
    expect(changes.at(-2)).toEqual(['open', 'half-open']);
  });

  it('after reopening, needs only one more failure per probe, not the whole threshold', () => {
    const sut = make({ failureThreshold: 3, coolDownMs: 1_000 });
    fail(sut, 3);
    now += 1_000;
    sut.tryAcquire();
    sut.recordFailure();
    expect(sut.state()).toBe('open');
  });

  it('after closing again, needs the whole threshold to reopen', () => {
    const sut = make({ failureThreshold: 2, coolDownMs: 1_000 });
    fail(sut, 2);
    now += 1_000;
    sut.tryAcquire();
    sut.recordSuccess();
    sut.recordFailure();
    expect(sut.state()).toBe('closed');
  });

  it('lets another probe through when the first never reported back within a cool-down', () => {
    const sut = make({ failureThreshold: 1, coolDownMs: 1_000 });
    sut.recordFailure();
    now += 1_000;
    expect(sut.tryAcquire()).toBe(true);
    now += 999;
    expect(sut.tryAcquire()).toBe(false);
    now += 1;
    expect(sut.tryAcquire()).toBe(true);
  });

  it.each([
    ['a zero threshold', { failureThreshold: 0 }],
    ['a fractional threshold', { failureThreshold: 1.5 }],
    ['a negative cool-down', { coolDownMs: -1 }],
    ['a NaN cool-down', { coolDownMs: Number.NaN }],
  ])('refuses %s', (_case, options) => {
    expect(() => make(options)).toThrow(RangeError);
  });
});
