import { decideDelivery, parseRetryAfter, type AttemptResult, type DeliveryPolicyInput } from './delivery-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
const SCHEDULE = [0, 2 * MIN, 10 * MIN, 10 * MIN, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR];
const now = new Date('2026-11-22T02:00:00.000Z');
const ok: AttemptResult = { kind: 'answer', httpStatus: 200, resultStatus: 'S', retryAfter: null };
const status = (httpStatus: number, retryAfter: string | null = null): AttemptResult => ({ kind: 'answer', httpStatus, resultStatus: null, retryAfter });

function input(over: Partial<DeliveryPolicyInput>): DeliveryPolicyInput {
  return {
    attemptNo: 1,
    result: ok,
    now,
    random: () => 0.5,
    scheduleMs: SCHEDULE,
    endpointFailingSince: null,
    disableAfterMs: 5 * 24 * HOUR,
    ...over,
  };
}

describe(decideDelivery.name, () => {
  const sut = decideDelivery;

  it('succeeds only on 200 with resultStatus S, and clears the endpoint streak', () => {
    expect(sut(input({ result: ok, endpointFailingSince: new Date(now.getTime() - HOUR) }))).toEqual({
      outcome: 'SUCCEEDED',
      errorClass: null,
      nextAttemptAt: null,
      endpoint: { kind: 'HEALTHY' },
    });
  });

  it.each([
    ['200 with F', { kind: 'answer', httpStatus: 200, resultStatus: 'F', retryAfter: null }, 'NOT_S'],
    ['200 without JSON', { kind: 'answer', httpStatus: 200, resultStatus: null, retryAfter: null }, 'NOT_S'],
    ['201 with S', { kind: 'answer', httpStatus: 201, resultStatus: 'S', retryAfter: null }, 'HTTP_STATUS'],
    ['302 redirect', status(302), 'REDIRECT'],
    ['500', status(500), 'HTTP_STATUS'],
    ['a timeout', { kind: 'error', errorClass: 'TIMEOUT' }, 'TIMEOUT'],
    ['an SSRF refusal', { kind: 'error', errorClass: 'SSRF_BLOCKED' }, 'SSRF_BLOCKED'],
  ] as Array<[string, AttemptResult, string]>)('retries %s on the schedule as %s', (_, result, errorClass) => {
    const d = sut(input({ attemptNo: 1, result }));
    expect(d).toMatchObject({ outcome: 'RETRY', errorClass, endpoint: { kind: 'FAILING', since: now } });
    expect(d.nextAttemptAt).toEqual(new Date(now.getTime() + 2 * MIN));
  });

  it('takes attempt n+1 delay from the schedule, with ±20% jitter', () => {
    const at = (attemptNo: number, r: number) => sut(input({ attemptNo, result: status(500), random: () => r })).nextAttemptAt!.getTime() - now.getTime();
    expect(at(2, 0.5)).toBe(10 * MIN);
    expect(at(4, 0)).toBe(0.8 * HOUR);
    expect(at(4, 0.999999)).toBeCloseTo(1.2 * HOUR, -2);
    expect(at(7, 0.5)).toBe(15 * HOUR);
  });

  it('fails the delivery for good after the last attempt of the schedule', () => {
    expect(sut(input({ attemptNo: SCHEDULE.length, result: status(500) }))).toMatchObject({
      outcome: 'FAILED',
      nextAttemptAt: null,
      errorClass: 'HTTP_STATUS',
    });
    expect(sut(input({ attemptNo: 1, scheduleMs: [0], result: status(500) })).outcome).toBe('FAILED');
  });

  it('disables the endpoint on 410 Gone, whatever attempt it was', () => {
    expect(sut(input({ attemptNo: 1, result: status(410) }))).toEqual({
      outcome: 'ENDPOINT_DISABLED',
      errorClass: 'GONE',
      nextAttemptAt: null,
      endpoint: { kind: 'DISABLE', reason: 'the endpoint answered 410 Gone' },
    });
  });

  it('keeps the streak start and disables once every attempt has failed for disableAfter', () => {
    const since = new Date(now.getTime() - 5 * 24 * HOUR + 1);
    expect(sut(input({ result: status(500), endpointFailingSince: since })).endpoint).toEqual({ kind: 'FAILING', since });
    const older = new Date(now.getTime() - 5 * 24 * HOUR);
    expect(sut(input({ result: status(500), endpointFailingSince: older }))).toMatchObject({
      outcome: 'ENDPOINT_DISABLED',
      endpoint: { kind: 'DISABLE', reason: `every attempt has failed since ${older.toISOString()}` },
    });
  });

  it('fails an attempt on an already disabled endpoint without touching its streak', () => {
    expect(sut(input({ result: { kind: 'error', errorClass: 'ENDPOINT_DISABLED' } }))).toEqual({
      outcome: 'FAILED',
      errorClass: 'ENDPOINT_DISABLED',
      nextAttemptAt: null,
      endpoint: { kind: 'UNCHANGED' },
    });
  });

  it.each([
    [429, '120', 120_000],
    [503, '0', 1_000],
    [503, '86400', 3_600_000],
    [429, 'Sun, 22 Nov 2026 02:30:00 GMT', 30 * MIN],
  ])('honours Retry-After on %s (%s) within [1 s, 1 h] when longer than the schedule', (code, header, expected) => {
    const d = sut(input({ attemptNo: 1, result: status(code, header), random: () => 0 }));
    expect(d.nextAttemptAt!.getTime() - now.getTime()).toBe(Math.max(expected, 0.8 * 2 * MIN));
  });

  it('ignores Retry-After on other statuses', () => {
    const d = sut(input({ attemptNo: 1, result: status(500, '3600') }));
    expect(d.nextAttemptAt!.getTime() - now.getTime()).toBe(2 * MIN);
  });
});

describe(parseRetryAfter.name, () => {
  it('reads seconds and HTTP dates, refuses the rest', () => {
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('Sun, 22 Nov 2026 01:00:00 GMT', now)).toBe(1_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('7200', now)).toBe(3_600_000);
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
