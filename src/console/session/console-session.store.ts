import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { safeEqual } from '../../common/crypto/safe-equal';

/** A console session lasts this long from login, whatever the activity: 8 h, one working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
/** Sessions kept at most per instance; past it the oldest is dropped (an operator console has a handful). */
export const MAX_SESSIONS = 1000;

export interface ConsoleSession {
  /** Opaque, random: what the cookie carries. Never stored, only its hash. */
  readonly id: string;
  /** Sent back by the console's JS in `X-CSRF-Token` on every admin API call. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

interface StoredSession {
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/**
 * Console sessions, in this instance's memory: an opaque random id mapped to
 * an expiry and a CSRF token. The admin token itself is never kept or put in
 * the cookie. Keyed by sha256 of the id, so a heap dump does not hand out
 * live cookies. A restart logs everyone out; several instances need sticky
 * sessions.
 */
@Injectable()
export class ConsoleSessionStore {
  private readonly sessions = new Map<string, StoredSession>();

  constructor(private readonly clock: Clock) {}

  create(): ConsoleSession {
    this.sweep();
    while (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const id = randomBytes(32).toString('base64url');
    const session = { csrfToken: randomBytes(32).toString('base64url'), expiresAt: new Date(this.clock.now().getTime() + SESSION_TTL_MS) };
    this.sessions.set(keyOf(id), session);
    return { id, ...session };
  }

  /** The live session with this id, or null (unknown, or expired: then it is forgotten). */
  find(id: string | undefined): ConsoleSession | null {
    if (!id) return null;
    const key = keyOf(id);
    const session = this.sessions.get(key);
    if (!session) return null;
    if (session.expiresAt.getTime() <= this.clock.now().getTime()) {
      this.sessions.delete(key);
      return null;
    }
    return { id, ...session };
  }

  /** The session, if `csrfToken` is its CSRF token (compared in constant time). */
  findWithCsrf(id: string | undefined, csrfToken: string | undefined): ConsoleSession | null {
    const session = this.find(id);
    if (!session || csrfToken === undefined || !safeEqual(csrfToken, session.csrfToken)) return null;
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(keyOf(id));
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.clock.now().getTime();
    for (const [key, s] of this.sessions) if (s.expiresAt.getTime() <= now) this.sessions.delete(key);
  }
}

function keyOf(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('base64url');
}
