import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThanOrEqual, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../common/errors/domain-error';
import { isMysql } from '../database/sql-dialect';
import type { PageRequest } from '../common/keyset-page';
import { isUniqueViolation, newestFirst } from '../database/keyset.query';
import { AuditEventEntity, AuthThrottleEntity, ConsoleSessionEntity, OperatorEntity } from './operator.entity';

/** Operators: named tokens, looked up by their keyed hash. No rules here: OperatorDirectory decides. */
@Injectable()
export class OperatorRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findActiveByTokenHash(tokenHash: string): Promise<OperatorEntity | null> {
    return this.dataSource.manager.findOne(OperatorEntity, { where: { tokenHash, status: 'ACTIVE' } });
  }

  findById(id: string): Promise<OperatorEntity | null> {
    return this.dataSource.manager.findOne(OperatorEntity, { where: { id } });
  }

  page(page: PageRequest): Promise<OperatorEntity[]> {
    return newestFirst(this.dataSource.manager.createQueryBuilder(OperatorEntity, 'o'), 'o', page).getMany();
  }

  async insert(row: OperatorEntity): Promise<void> {
    try {
      await this.dataSource.manager.insert(OperatorEntity, row);
    } catch (err) {
      if (isUniqueViolation(err)) throw new DomainError(ErrorCode.CONFLICT, 'name: an operator with this name already exists');
      throw err;
    }
  }

  async revoke(id: string, now: Date): Promise<void> {
    await this.dataSource.manager.update(OperatorEntity, { id, status: 'ACTIVE' }, { status: 'REVOKED', revokedAt: now });
  }

  /** At most once a minute per operator: a bearer-token script must not turn every read into a write. */
  async touch(id: string, now: Date): Promise<void> {
    await this.dataSource.manager
      .createQueryBuilder()
      .update(OperatorEntity)
      .set({ lastUsedAt: now })
      .where('id = :id AND (last_used_at IS NULL OR last_used_at < :cutoff)', { id, cutoff: new Date(now.getTime() - 60_000) })
      .execute();
  }
}

/** Console sessions, shared by every instance on the database. */
@Injectable()
export class ConsoleSessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: ConsoleSessionEntity): Promise<void> {
    await this.dataSource.manager.insert(ConsoleSessionEntity, row);
  }

  findLive(idHash: string, now: Date): Promise<ConsoleSessionEntity | null> {
    return this.dataSource.manager.createQueryBuilder(ConsoleSessionEntity, 's').where('s.id_hash = :idHash AND s.expires_at > :now', { idHash, now }).getOne();
  }

  async delete(idHash: string): Promise<void> {
    await this.dataSource.manager.delete(ConsoleSessionEntity, { idHash });
  }

  async deleteForOperator(operatorId: string): Promise<void> {
    await this.dataSource.manager.delete(ConsoleSessionEntity, { operatorId });
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.dataSource.manager.delete(ConsoleSessionEntity, { expiresAt: LessThanOrEqual(now) });
  }
}

/** Failed authentications per subject, read and written under a row lock so instances count together. */
@Injectable()
export class AuthThrottleRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  find(subject: string): Promise<AuthThrottleEntity | null> {
    return this.dataSource.manager.findOne(AuthThrottleEntity, { where: { subject } });
  }

  /** The subject's row, locked until the transaction ends (MySQL; SQLite has one writer anyway). */
  findForUpdate(em: EntityManager, subject: string): Promise<AuthThrottleEntity | null> {
    return em.findOne(AuthThrottleEntity, { where: { subject }, ...(isMysql(em.connection) ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  }

  async save(em: EntityManager, row: AuthThrottleEntity, exists: boolean): Promise<void> {
    if (exists) await em.update(AuthThrottleEntity, { subject: row.subject }, row);
    else await em.insert(AuthThrottleEntity, row);
  }

  async remove(em: EntityManager, subject: string): Promise<void> {
    await em.delete(AuthThrottleEntity, { subject });
  }
}

/** The audit trail: rows are only ever inserted and read. */
@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: AuditEventEntity): Promise<void> {
    await this.dataSource.manager.insert(AuditEventEntity, row);
  }

  page(filter: { actor?: string; since?: Date; until?: Date }, page: PageRequest): Promise<AuditEventEntity[]> {
    const qb = this.dataSource.manager.createQueryBuilder(AuditEventEntity, 'a');
    if (filter.actor !== undefined) qb.andWhere('a.actor_name = :actor', { actor: filter.actor });
    if (filter.since !== undefined) qb.andWhere('a.created_at >= :since', { since: filter.since });
    if (filter.until !== undefined) qb.andWhere('a.created_at < :until', { until: filter.until });
    return newestFirst(qb, 'a', page).getMany();
  }
}
