import { parseMessageTime } from '../signing/message-time';

/** ISO 8601 with an offset or Z, as Alipay+ writes times (`2022-06-06T12:12:12+08:00`). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant, or null for anything else, including a time that is not on the
 * calendar (`2026-02-30`, hour 24): `new Date()` would roll those into the
 * next month or day instead of refusing them.
 */
export function parseProtocolTime(value: string): Date | null {
  if (!ISO_WITH_OFFSET.test(value)) return null;
  const ms = parseMessageTime(value);
  return ms === null ? null : new Date(ms);
}
