import {
  CANCEL_TOKEN_RESULT_CODES,
  CancelTokenExchange,
  isUpstreamFailure,
  parseResultResponse,
  toCancelTokenOutcome,
  toCancelTokenWireRequest,
} from './cancel-token.transformers';

const body = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value), 'utf8');
const answer = (resultStatus: string, resultCode: string, resultMessage?: string) =>
  body({ result: { resultCode, resultStatus, ...(resultMessage === undefined ? {} : { resultMessage }) } });
const response = (rawBody: Buffer, overrides: Partial<Extract<CancelTokenExchange, { kind: 'response' }>> = {}): CancelTokenExchange => ({
  kind: 'response',
  httpStatus: 200,
  signature: 'VALID',
  rawBody,
  ...overrides,
});

describe(toCancelTokenWireRequest.name, () => {
  const sut = toCancelTokenWireRequest;
  const required = { pspId: '102208800000001230', acquirerId: '102218800000001234', accessToken: '2810100' };

  it('keeps the required fields and the optional ones that have a value', () => {
    expect(sut({ ...required, passThroughInfo: '{"a":"b"}', authClientId: '2188' })).toEqual({
      ...required,
      passThroughInfo: '{"a":"b"}',
      authClientId: '2188',
    });
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
    ['null', null as unknown as string],
  ])('leaves optional fields out of the JSON when %s', (_case, value) => {
    const json = JSON.stringify(sut({ ...required, passThroughInfo: value, authClientId: value }));
    expect(JSON.parse(json)).toEqual(required);
    expect(json).not.toContain('passThroughInfo');
    expect(json).not.toContain('authClientId');
  });
});

describe(toCancelTokenOutcome.name, () => {
  const sut = toCancelTokenOutcome;

  it('S SUCCESS is CANCELED', () => {
    expect(sut(response(answer('S', 'SUCCESS', 'Success')))).toEqual({ kind: 'CANCELED', resultCode: 'SUCCESS' });
  });

  const fCodes = Object.entries(CANCEL_TOKEN_RESULT_CODES)
    .filter(([, v]) => v.status === 'F')
    .map(([code]) => code);
  it.each(fCodes)('F %s is FAILED, already gone only for INVALID_TOKEN', (code) => {
    expect(sut(response(answer('F', code, 'why')))).toEqual({
      kind: 'FAILED',
      resultCode: code,
      resultMessage: 'why',
      alreadyGone: code === 'INVALID_TOKEN',
    });
  });

  it('F without a message leaves resultMessage out', () => {
    expect(sut(response(answer('F', 'PROCESS_FAIL')))).toEqual({ kind: 'FAILED', resultCode: 'PROCESS_FAIL', alreadyGone: false });
  });

  it.each(['UNKNOWN_EXCEPTION', 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'SOMETHING_NEW'])('U %s is UNKNOWN RESULT_U', (code) => {
    expect(sut(response(answer('U', code)))).toEqual({ kind: 'UNKNOWN', resultCode: code, reason: 'RESULT_U', httpStatus: 200 });
  });

  it.each([
    ['timeout', { kind: 'timeout' }, 'TIMEOUT'],
    ['connection', { kind: 'connection' }, 'CONNECTION'],
    ['circuit-open', { kind: 'circuit-open' }, 'CIRCUIT_OPEN'],
  ] as const)('%s is UNKNOWN %s, with the reason as its result code', (_case, exchange, reason) => {
    expect(sut(exchange)).toEqual({ kind: 'UNKNOWN', resultCode: reason, reason });
  });

  it.each([500, 502, 503, 504])('HTTP %i is UNKNOWN HTTP_5XX even with a signed F body', (httpStatus) => {
    expect(sut(response(answer('F', 'PROCESS_FAIL'), { httpStatus }))).toEqual({
      kind: 'UNKNOWN',
      resultCode: 'HTTP_5XX',
      reason: 'HTTP_5XX',
      httpStatus,
    });
  });

  it.each([
    ['unsigned', 'MISSING', 'UNSIGNED'],
    ['badly signed', 'INVALID', 'BAD_SIGNATURE'],
  ] as const)('an %s S is never CANCELED', (_case, signature, reason) => {
    expect(sut(response(answer('S', 'SUCCESS'), { signature }))).toEqual({ kind: 'UNKNOWN', resultCode: reason, reason, httpStatus: 200 });
  });

  it.each([
    ['unsigned', 'MISSING'],
    ['badly signed', 'INVALID'],
  ] as const)('a 4xx that is %s is UNKNOWN MALFORMED_RESPONSE, not a guessed F', (_case, signature) => {
    expect(sut(response(answer('F', 'ACCESS_DENIED'), { httpStatus: 403, signature }))).toEqual({
      kind: 'UNKNOWN',
      resultCode: 'MALFORMED_RESPONSE',
      reason: 'MALFORMED_RESPONSE',
      httpStatus: 403,
    });
  });

  it('a 4xx with a verified F body is FAILED', () => {
    expect(sut(response(answer('F', 'ACCESS_DENIED'), { httpStatus: 403 }))).toMatchObject({ kind: 'FAILED', resultCode: 'ACCESS_DENIED' });
  });

  it.each([
    ['empty', ''],
    ['not JSON', '<html>ok</html>'],
    ['no result', { resultStatus: 'S' }],
    ['result not an object', { result: 'S' }],
    ['no resultCode', { result: { resultStatus: 'S' } }],
    ['empty resultCode', { result: { resultStatus: 'S', resultCode: '' } }],
    ['unknown resultStatus', { result: { resultStatus: 'X', resultCode: 'SUCCESS' } }],
    ['lower-case resultStatus', { result: { resultStatus: 's', resultCode: 'SUCCESS' } }],
    ['a JSON array', [{ result: { resultStatus: 'S', resultCode: 'SUCCESS' } }]],
  ])('a signed 200 with %s is UNKNOWN MALFORMED_RESPONSE', (_case, raw) => {
    expect(sut(response(body(raw)))).toEqual({ kind: 'UNKNOWN', resultCode: 'MALFORMED_RESPONSE', reason: 'MALFORMED_RESPONSE', httpStatus: 200 });
  });

  it('a body too large to read is MALFORMED_RESPONSE, or HTTP_5XX on a 5xx', () => {
    expect(sut({ kind: 'too-large', httpStatus: 200 })).toMatchObject({ reason: 'MALFORMED_RESPONSE' });
    expect(sut({ kind: 'too-large', httpStatus: 502 })).toMatchObject({ reason: 'HTTP_5XX' });
  });
});

describe(parseResultResponse.name, () => {
  const sut = parseResultResponse;

  it('reads pretty-printed, non-ASCII answers and passThroughInfo', () => {
    const raw = JSON.stringify({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: '成功' }, passThroughInfo: '{}' }, null, 3);
    expect(sut(Buffer.from(raw))).toEqual({ result: { resultCode: 'SUCCESS', resultStatus: 'S', resultMessage: '成功' }, passThroughInfo: '{}' });
  });

  it('never throws on a prototype-pollution attempt', () => {
    expect(sut(Buffer.from('{"__proto__":{"x":1},"result":{"resultCode":"SUCCESS","resultStatus":"S"}}'))).toEqual({
      result: { resultCode: 'SUCCESS', resultStatus: 'S' },
    });
  });
});

describe(isUpstreamFailure.name, () => {
  const sut = isUpstreamFailure;

  it.each(['TIMEOUT', 'HTTP_5XX', 'CONNECTION'] as const)('counts %s', (reason) => {
    expect(sut({ kind: 'UNKNOWN', resultCode: reason, reason })).toBe(true);
  });

  it.each(['RESULT_U', 'BAD_SIGNATURE', 'UNSIGNED', 'MALFORMED_RESPONSE', 'CIRCUIT_OPEN'] as const)('does not count %s', (reason) => {
    expect(sut({ kind: 'UNKNOWN', resultCode: reason, reason })).toBe(false);
  });

  it('does not count S or F answers', () => {
    expect(sut({ kind: 'CANCELED', resultCode: 'SUCCESS' })).toBe(false);
    expect(sut({ kind: 'FAILED', resultCode: 'PROCESS_FAIL', alreadyGone: false })).toBe(false);
  });
});
