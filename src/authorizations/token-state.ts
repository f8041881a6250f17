import type { CancelSource } from '../protocol/notification-types';

/**
 * The life of one access token at the gateway, as a pure function.
 *
 * `ACTIVE` once Alipay+ says TOKEN_CREATED; `CANCELING` while a merchant's
 * revoke is being settled with Alipay+ cancelToken; `CANCELED` for good.
 * A TOKEN_CANCELED that arrives before its TOKEN_CREATED leaves a tombstone
 * (`CANCELED`, never created), so the late create cannot revive the token.
 */
export const TOKEN_STATUSES = ['ACTIVE', 'CANCELING', 'CANCELED'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export interface TokenState {
  readonly status: TokenStatus;
  /** TOKEN_CREATED has been seen (false for a tombstone). */
  readonly created: boolean;
  readonly cancelSource: CancelSource | null;
}

export type TokenEvent =
  | { readonly type: 'TOKEN_CREATED' }
  | { readonly type: 'TOKEN_CANCELED'; readonly source: CancelSource }
  | { readonly type: 'REVOKE_REQUESTED' }
  /** Alipay+ cancelToken answered S, or F INVALID_TOKEN (already gone there). */
  | { readonly type: 'REVOKE_SUCCEEDED' }
  /** Alipay+ cancelToken answered another F: the token stays usable. */
  | { readonly type: 'REVOKE_FAILED' };

export interface Transition {
  /** The state after the event; the same object when nothing changed. */
  readonly next: TokenState;
  readonly changed: boolean;
  /** Write one cancellation event for the callback fan-out (in the same transaction). */
  readonly emitCancellation: boolean;
  /** Write a TOKEN_CREATED event for endpoints that opted in. */
  readonly emitCreated: boolean;
  /** A pending merchant revoke is settled by this event (stop retrying cancelToken). */
  readonly settlesRevoke: boolean;
  /** The event is not legal here and was ignored (e.g. a revoke result with no revoke). */
  readonly ignored: boolean;
}

const unchanged = (state: TokenState, ignored = false): Transition => ({
  next: state,
  changed: false,
  emitCancellation: false,
  emitCreated: false,
  settlesRevoke: false,
  ignored,
});

const canceled = (from: TokenState | null, source: CancelSource): Transition => ({
  next: { status: 'CANCELED', created: from?.created ?? false, cancelSource: source },
  changed: true,
  emitCancellation: true,
  emitCreated: false,
  settlesRevoke: from?.status === 'CANCELING',
  ignored: false,
});

/** `current` is null when the gateway has no record of the token yet. */
export function nextTokenState(current: TokenState | null, event: TokenEvent): Transition {
  switch (event.type) {
    case 'TOKEN_CREATED':
      if (current === null) {
        return {
          next: { status: 'ACTIVE', created: true, cancelSource: null },
          changed: true,
          emitCancellation: false,
          emitCreated: true,
          settlesRevoke: false,
          ignored: false,
        };
      }
      if (current.created) return unchanged(current);
      // A tombstone learns its details but stays canceled: no revival, no second event.
      return { ...unchanged({ ...current, created: true }), changed: true };

    case 'TOKEN_CANCELED':
      if (current === null) return canceled(null, event.source);
      if (current.status === 'CANCELED') return unchanged(current);
      // Our own cancelToken echoed back (ACQUIRER) or a wallet-side cancel that raced it:
      // either way this is the one cancellation, and it settles a pending revoke.
      return canceled(current, event.source);

    case 'REVOKE_REQUESTED':
      if (current === null) return unchanged({ status: 'ACTIVE', created: false, cancelSource: null }, true);
      if (current.status !== 'ACTIVE') return unchanged(current);
      return { ...unchanged({ ...current, status: 'CANCELING' }), changed: true };

    case 'REVOKE_SUCCEEDED':
      if (current === null || current.status === 'ACTIVE') return unchanged(current ?? tombstoneless(), true);
      if (current.status === 'CANCELED') return unchanged(current);
      return canceled(current, 'ACQUIRER');

    case 'REVOKE_FAILED':
      if (current === null || current.status !== 'CANCELING') return unchanged(current ?? tombstoneless(), true);
      return { ...unchanged({ ...current, status: 'ACTIVE' }), changed: true, settlesRevoke: true };
  }
}

function tombstoneless(): TokenState {
  return { status: 'ACTIVE', created: false, cancelSource: null };
}

/**
 * What Antom's token query (`tokenStatusType`) says of a token. Antom's
 * reference publishes no value list, so these are ours, documented in the
 * README: `ACTIVE` usable; `CANCELING` a revoke is being settled with Alipay+
 * (call revoke again or wait for the callback); `CANCELED` for good;
 * `EXPIRED` active here but past its accessTokenExpiryTime.
 */
export const TOKEN_STATUS_TYPES = ['ACTIVE', 'CANCELING', 'CANCELED', 'EXPIRED'] as const;
export type TokenStatusType = (typeof TOKEN_STATUS_TYPES)[number];

export function tokenStatusType(status: TokenStatus, accessTokenExpiryTime: Date | null, now: Date): TokenStatusType {
  if (status !== 'ACTIVE') return status;
  return accessTokenExpiryTime !== null && accessTokenExpiryTime.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}
