import { ErrorCode } from './domain-error';

/** How one audience hears an error: the wire result code (the error's own code when null) and status. */
export interface ProtocolAnswer {
  readonly resultCode: string | null;
  readonly resultStatus: 'F' | 'U';
}

export interface ErrorAnswers {
  /** To Alipay+ (authNotify, consultUnbinding): anything but S makes it send again. */
  readonly alipayPlus: ProtocolAnswer;
  /** To a merchant, in Antom's result codes (antom-revoke-authorization). */
  readonly antom: ProtocolAnswer;
  /** To an operator, on the admin API. */
  readonly httpStatus: number;
}

const F = { resultCode: null, resultStatus: 'F' } as const;
/** Operator-API errors never reach a protocol caller as themselves: a refusal is all they are there. */
const PROCESS_FAIL = { resultCode: 'PROCESS_FAIL', resultStatus: 'F' } as const;

/**
 * Every error code's answer to each audience, in one place. `satisfies`
 * makes the compiler refuse a new ErrorCode until someone decides what
 * Alipay+, merchants and operators each see.
 */
export const ERROR_TABLE = {
  [ErrorCode.INVALID_SIGNATURE]: { alipayPlus: F, antom: F, httpStatus: 401 },
  [ErrorCode.INVALID_CLIENT]: { alipayPlus: F, antom: F, httpStatus: 401 },
  [ErrorCode.KEY_NOT_FOUND]: { alipayPlus: F, antom: F, httpStatus: 409 },
  [ErrorCode.PARAM_ILLEGAL]: { alipayPlus: F, antom: F, httpStatus: 400 },
  [ErrorCode.MEDIA_TYPE_NOT_ACCEPTABLE]: { alipayPlus: F, antom: F, httpStatus: 415 },
  // Alipay+ names an unknown token INVALID_TOKEN; Antom keeps INVALID_ACCESS_TOKEN.
  [ErrorCode.INVALID_ACCESS_TOKEN]: { alipayPlus: { resultCode: 'INVALID_TOKEN', resultStatus: 'F' }, antom: F, httpStatus: 404 },
  [ErrorCode.ACCESS_DENIED]: { alipayPlus: F, antom: F, httpStatus: 403 },
  [ErrorCode.REQUEST_TRAFFIC_EXCEED_LIMIT]: {
    alipayPlus: { resultCode: null, resultStatus: 'U' },
    antom: { resultCode: null, resultStatus: 'U' },
    httpStatus: 429,
  },
  // Alipay+ refused for good: the request was understood and cannot be done.
  [ErrorCode.PROCESS_FAIL]: { alipayPlus: F, antom: F, httpStatus: 422 },
  [ErrorCode.NOT_FOUND]: { alipayPlus: PROCESS_FAIL, antom: PROCESS_FAIL, httpStatus: 404 },
  [ErrorCode.CONFLICT]: { alipayPlus: PROCESS_FAIL, antom: PROCESS_FAIL, httpStatus: 409 },
  [ErrorCode.UNAUTHORIZED]: { alipayPlus: PROCESS_FAIL, antom: PROCESS_FAIL, httpStatus: 401 },
} as const satisfies Record<ErrorCode, ErrorAnswers>;

/** The admin API's HTTP status for an error code. */
export function httpStatusFor(code: ErrorCode): number {
  return ERROR_TABLE[code].httpStatus;
}

/** The wire result code and status `audience` hears for an error code. */
export function protocolAnswerFor(code: ErrorCode, audience: 'alipayPlus' | 'antom'): { resultCode: string; resultStatus: 'F' | 'U' } {
  const answer: ProtocolAnswer = ERROR_TABLE[code][audience];
  return { resultCode: answer.resultCode ?? code, resultStatus: answer.resultStatus };
}
