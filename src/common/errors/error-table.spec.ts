import { ErrorCode } from './domain-error';
import { httpStatusFor, protocolAnswerFor } from './error-table';

describe(httpStatusFor.name, () => {
  const sut = httpStatusFor;

  it.each([
    [ErrorCode.NOT_FOUND, 404],
    [ErrorCode.CONFLICT, 409],
    [ErrorCode.PARAM_ILLEGAL, 400],
    [ErrorCode.UNAUTHORIZED, 401],
    [ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE, 415],
  ])('maps %s to %d', (code, status) => {
    expect(sut(code)).toBe(status);
  });

  it('gives every error code a 4xx status', () => {
    for (const code of Object.values(ErrorCode)) {
      const status = sut(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
    }
  });
});

describe(protocolAnswerFor.name, () => {
  const sut = protocolAnswerFor;

  it.each([
    [ErrorCode.INVALID_SIGNATURE, 'alipayPlus', 'INVALID_SIGNATURE', 'F'],
    [ErrorCode.INVALID_ACCESS_TOKEN, 'alipayPlus', 'INVALID_TOKEN', 'F'],
    [ErrorCode.INVALID_ACCESS_TOKEN, 'antom', 'INVALID_ACCESS_TOKEN', 'F'],
    [ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT, 'antom', 'REQUEST_TRAFFIC_EXCEED_LIMIT', 'U'],
    [ErrorCode.NOT_FOUND, 'alipayPlus', 'PROCESS_FAIL', 'F'],
    [ErrorCode.CONFLICT, 'antom', 'PROCESS_FAIL', 'F'],
  ] as const)('tells %s to %s as %s/%s', (code, audience, resultCode, resultStatus) => {
    expect(sut(code, audience)).toEqual({ resultCode, resultStatus });
  });

  it('never answers S for an error, to either protocol audience', () => {
    for (const code of Object.values(ErrorCode)) {
      expect(['F', 'U']).toContain(sut(code, 'alipayPlus').resultStatus);
      expect(['F', 'U']).toContain(sut(code, 'antom').resultStatus);
    }
  });
});
