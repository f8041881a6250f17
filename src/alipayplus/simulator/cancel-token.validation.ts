import type { CancelTokenWireRequest } from '../cancel-token.transformers';

export type BodyCheck = { ok: true; body: CancelTokenWireRequest } | { ok: false; message: string };

/** Field rules of the cancelToken reference (plus authClientId from the ACQP edition). */
const FIELDS: readonly { name: keyof CancelTokenWireRequest; required: boolean; maxLength: number }[] = [
  { name: 'pspId', required: true, maxLength: 64 },
  { name: 'acquirerId', required: true, maxLength: 64 },
  { name: 'accessToken', required: true, maxLength: 128 },
  { name: 'passThroughInfo', required: false, maxLength: 20_000 },
  { name: 'authClientId', required: false, maxLength: 64 },
];

/**
 * Checks a parsed cancelToken body as Alipay+ would: required strings
 * present, lengths within limits, and no `""` anywhere (the reference: an
 * optional field is left out or `null`, never empty). Lengths count
 * characters (code points), as the reference states them.
 */
export function checkCancelTokenBody(parsed: unknown): BodyCheck {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, message: 'body must be a JSON object' };
  }
  const input = parsed as Record<string, unknown>;
  const body: Partial<CancelTokenWireRequest> = {};
  for (const field of FIELDS) {
    const value = input[field.name];
    if (value === undefined || value === null) {
      if (field.required) return { ok: false, message: `${field.name} is required` };
      continue;
    }
    if (typeof value !== 'string') return { ok: false, message: `${field.name} must be a string` };
    if (value === '') return { ok: false, message: `${field.name} must not be empty` };
    if ([...value].length > field.maxLength) {
      return { ok: false, message: `${field.name} is longer than ${field.maxLength} characters` };
    }
    body[field.name] = value;
  }
  return { ok: true, body: body as CancelTokenWireRequest };
}
