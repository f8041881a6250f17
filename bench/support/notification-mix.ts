import { authCodeCreatedBody, tokenCanceledBody, tokenCreatedBody } from '../../src/alipayplus/simulator';
import { newAuthorization } from '../../src/alipayplus/simulator/authorization.factory';
import type { AuthorizationRecord } from '../../src/alipayplus/simulator';
import { BENCH_ACQUIRER_ID } from './bench-keys';

export type NotifyType = 'AUTHCODE_CREATED' | 'TOKEN_CREATED' | 'TOKEN_CANCELED';

export interface NotificationItem {
  readonly type: NotifyType;
  /** The exact JSON text sent (a duplicate repeats its original's text). */
  readonly body: string;
  /** What the gateway dedupes on: type, subject (token or auth code) and cancel source. */
  readonly dedupeKey: string;
  /** The access token (token notifications) or auth code. */
  readonly subject: string;
  /** Index of the notification this one repeats (an Alipay+ retry), if it is a duplicate. */
  readonly duplicateOf?: number;
}

export interface MixShares {
  /** Share of repeats of an earlier notification. Default 0.05. */
  duplicates: number;
  /** Share of AUTHCODE_CREATED. Default 0.15. */
  authCodes: number;
  /** Share of TOKEN_CANCELED (of a token created earlier in the mix). Default 0.35. The rest is TOKEN_CREATED. */
  cancels: number;
}

export const DEFAULT_SHARES: MixShares = { duplicates: 0.05, authCodes: 0.15, cancels: 0.35 };

/** A cancel follows its TOKEN_CREATED by at least this many notifications, so with 32 in flight it usually lands after it. */
const CANCEL_LAG = 64;
/** A duplicate repeats one of the last this-many notifications (Alipay+ retries soon after a non-S or a timeout). */
const DUPLICATE_WINDOW = 500;

/** mulberry32: a small seeded PRNG, so a seed gives the same mix shape every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` authNotify bodies shaped like the simulator's (and Alipay+'s
 * samples): mostly TOKEN_CREATED and TOKEN_CANCELED, each for a distinct
 * token, some AUTHCODE_CREATED (whose TOKEN_CREATED, same agreement id,
 * follows later), and a few repeats of recent ones. Tokens and
 * codes are random (crypto), so two calls never collide.
 */
export function notificationMix(count: number, referenceMerchantId: string, seed: number, shares: MixShares = DEFAULT_SHARES): NotificationItem[] {
  const random = prng(seed);
  const items: NotificationItem[] = [];
  const created: Array<{ index: number; record: AuthorizationRecord }> = [];
  /** Authorizations whose auth code was notified and whose token is still to come (same agreement id). */
  const codeOnly: Array<{ index: number; record: AuthorizationRecord }> = [];
  const due = (queue: Array<{ index: number }>, k: number) => queue.length > 0 && queue[0].index <= k - CANCEL_LAG;
  const issue = () => newAuthorization({ referenceMerchantId }, { acquirerId: BENCH_ACQUIRER_ID, pspId: '102208800000001230', now: Date.now });
  for (let k = 0; k < count; k++) {
    const r = random();
    if (r < shares.duplicates && k > 0) {
      const of = k - 1 - Math.floor(random() * Math.min(k, DUPLICATE_WINDOW));
      const original = items[of];
      items.push({ ...original, duplicateOf: of });
    } else if (r < shares.duplicates + shares.authCodes) {
      const a = issue();
      codeOnly.push({ index: k, record: a });
      items.push({ type: 'AUTHCODE_CREATED', body: JSON.stringify(authCodeCreatedBody(a)), dedupeKey: `AUTHCODE_CREATED|${a.authCode}|`, subject: a.authCode });
    } else if (r < shares.duplicates + shares.authCodes + shares.cancels && due(created, k)) {
      const { record } = created.shift()!;
      items.push({
        type: 'TOKEN_CANCELED',
        body: JSON.stringify(tokenCanceledBody(record, 'PSP')),
        dedupeKey: `TOKEN_CANCELED|${record.accessToken}|PSP`,
        subject: record.accessToken,
      });
    } else {
      const a = due(codeOnly, k) ? codeOnly.shift()!.record : issue();
      created.push({ index: k, record: a });
      items.push({ type: 'TOKEN_CREATED', body: JSON.stringify(tokenCreatedBody(a)), dedupeKey: `TOKEN_CREATED|${a.accessToken}|`, subject: a.accessToken });
    }
  }
  return items;
}

/** Only TOKEN_CREATED, one per token: the setup of the revoke bench. */
export function tokenCreatedMix(count: number, referenceMerchantId: string): NotificationItem[] {
  return notificationMix(count, referenceMerchantId, 1, { duplicates: 0, authCodes: 0, cancels: 0 });
}

/** How many of each type, and how many repeats, for the report. */
export function describeMix(items: readonly NotificationItem[]): string {
  const n = { AUTHCODE_CREATED: 0, TOKEN_CREATED: 0, TOKEN_CANCELED: 0, duplicates: 0 };
  for (const item of items) {
    if (item.duplicateOf !== undefined) n.duplicates++;
    else n[item.type]++;
  }
  const pct = (x: number) => `${((100 * x) / Math.max(1, items.length)).toFixed(0)}%`;
  return `TOKEN_CREATED ${pct(n.TOKEN_CREATED)}, TOKEN_CANCELED ${pct(n.TOKEN_CANCELED)}, AUTHCODE_CREATED ${pct(n.AUTHCODE_CREATED)}, duplicates ${pct(n.duplicates)}`;
}
