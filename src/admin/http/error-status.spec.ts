import { ErrorCode } from '../../common/errors/domain-error';
import { httpStatusFor } from './error-status';

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
