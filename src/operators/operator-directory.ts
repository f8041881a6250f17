import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { safeEqual } from '../common/crypto/safe-equal';
import { TokenVault } from '../common/crypto/token-vault';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { GATEWAY_CONFIG } from '../config/config.module';
import type { GatewayConfig } from '../config/gateway-config';
import { toPage, type Page, type PageRequest } from '../common/keyset-page';
import { BOOTSTRAP_OPERATOR, OPERATOR_NAME, OPERATOR_TOKEN_PREFIX, type Operator } from './operator';
import type { OperatorEntity, OperatorRole } from './operator.entity';
import { ConsoleSessionRepository, OperatorRepository } from './operators.repository';

/** Longer than any token we issue or accept: a bigger presented value is refused before any hashing. */
const MAX_TOKEN_LENGTH = 256;

export interface OperatorView {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly status: 'ACTIVE' | 'REVOKED';
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/**
 * The operators: who a presented token is, and the named tokens themselves.
 * ADMIN_API_TOKEN stays the bootstrap owner (compared in constant time);
 * every other token is random, shown once when made, and stored only as
 * its keyed hash, so a database dump holds no usable token.
 */
@Injectable()
export class OperatorDirectory {
  private readonly logger = new Logger('operators');

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: Pick<GatewayConfig, 'adminApiToken'>,
    private readonly operators: OperatorRepository,
    private readonly sessions: ConsoleSessionRepository,
    private readonly vault: TokenVault,
    private readonly clock: Clock,
  ) {}

  /** The operator a token belongs to, or null for anything else (the token is never logged). */
  async byToken(token: string | undefined): Promise<Operator | null> {
    if (!token || token.length > MAX_TOKEN_LENGTH) return null;
    if (safeEqual(token, this.config.adminApiToken)) return BOOTSTRAP_OPERATOR;
    if (!token.startsWith(OPERATOR_TOKEN_PREFIX)) return null;
    const row = await this.operators.findActiveByTokenHash(this.vault.lookupHash('operator-token', token));
    if (!row) return null;
    await this.operators.touch(row.id, this.clock.now());
    return { id: row.id, name: row.name, role: row.role };
  }

  /** The operator as it is now, or null once revoked (a console session of theirs then ends). */
  async stillActive(operator: Operator): Promise<Operator | null> {
    if (operator.id === null) return operator;
    const row = await this.operators.findById(operator.id);
    return row?.status === 'ACTIVE' ? { id: row.id, name: row.name, role: row.role } : null;
  }

  /** A new operator; the answer carries its token, the only time it is ever shown. */
  async create(name: string, role: OperatorRole, by: Operator): Promise<{ operator: OperatorView; token: string }> {
    if (!OPERATOR_NAME.test(name) || name === BOOTSTRAP_OPERATOR.name) {
      throw new DomainError(
        ErrorCode.PARAM_ILLEGAL,
        `name: must be 1 to 64 of a-z 0-9 . _ - (starting with a letter or digit), and not ${BOOTSTRAP_OPERATOR.name}`,
      );
    }
    const token = `${OPERATOR_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: OperatorEntity = {
      id: randomUUID(),
      name,
      role,
      tokenHash: this.vault.lookupHash('operator-token', token),
      status: 'ACTIVE',
      createdBy: by.name,
      createdAt: this.clock.now(),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.operators.insert(row);
    this.logger.log({ msg: 'operator created', operator: name, role, by: by.name });
    return { operator: view(row), token };
  }

  async page(request: PageRequest): Promise<Page<OperatorView>> {
    return toPage(await this.operators.page(request), request, view);
  }

  /** Revokes the token at once, and ends every console session it opened. */
  async revoke(id: string, by: Operator): Promise<OperatorView> {
    const row = await this.operators.findById(id);
    if (!row) throw new DomainError(ErrorCode.NOT_FOUND, 'no operator with this id');
    if (row.status === 'ACTIVE') {
      await this.operators.revoke(id, this.clock.now());
      await this.sessions.deleteForOperator(id);
      this.logger.log({ msg: 'operator revoked', operator: row.name, by: by.name });
    }
    return view((await this.operators.findById(id))!);
  }
}

function view(row: OperatorEntity): OperatorView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
