import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { safeEqual } from '../common/crypto/safe-equal';
import { TokenVault } from '../common/crypto/token-vault';
import type { Operator } from './operator';
import { OperatorDirectory } from './operator-directory';
import { ConsoleSessionRepository } from './operators.repository';

/** A console session lasts this long from login, whatever the activity: 8 h, one working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSession {
  /** Opaque, random: what the cookie carries. Never stored, only its keyed hash. */
  readonly id: string;
  /** Sent back by the console's JS in `X-CSRF-Token` on every admin API call. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
  readonly operator: Operator;
}

/**
 * Console sessions, in the database: every instance behind a load balancer
 * sees the same ones, so no sticky sessions, and a restart logs no one out.
 * A session is an opaque random id mapped to its operator and expiry; its
 * CSRF token is a keyed hash of the id (nothing more to store or leak). A
 * session of a revoked operator ends with the revocation.
 */
@Injectable()
export class ConsoleSessions {
  constructor(
    private readonly sessions: ConsoleSessionRepository,
    private readonly operators: OperatorDirectory,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  async create(operator: Operator, ip: string): Promise<ConsoleSession> {
    const now = this.clock.now();
    await this.sessions.deleteExpired(now);
    const id = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await this.sessions.insert({
      idHash: this.vault.lookupHash('console-session', id),
      operatorId: operator.id,
      operatorName: operator.name,
      operatorRole: operator.role,
      ip: ip.slice(0, 64),
      createdAt: now,
      expiresAt,
    });
    return { id, csrfToken: this.csrfFor(id), expiresAt, operator };
  }

  /** The live session with this id, or null (unknown, expired, or its operator revoked). */
  async find(id: string | undefined): Promise<ConsoleSession | null> {
    if (!id || id.length > 64) return null;
    const row = await this.sessions.findLive(this.vault.lookupHash('console-session', id), this.clock.now());
    if (!row) return null;
    const operator = await this.operators.stillActive({ id: row.operatorId, name: row.operatorName, role: row.operatorRole });
    if (!operator) return null;
    return { id, csrfToken: this.csrfFor(id), expiresAt: row.expiresAt, operator };
  }

  /** The session, if `csrfToken` is its CSRF token (compared in constant time). */
  async findWithCsrf(id: string | undefined, csrfToken: string | undefined): Promise<ConsoleSession | null> {
    const session = await this.find(id);
    if (!session || csrfToken === undefined || !safeEqual(csrfToken, session.csrfToken)) return null;
    return session;
  }

  async destroy(id: string): Promise<void> {
    await this.sessions.delete(this.vault.lookupHash('console-session', id));
  }

  private csrfFor(id: string): string {
    return Buffer.from(this.vault.lookupHash('console-csrf', id), 'hex').toString('base64url');
  }
}
