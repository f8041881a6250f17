import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { insertIfAbsent } from '../database/insert-if-absent';
import { findRowBy, updateRowById } from '../database/raw-rows';

/** Data access for auth codes and their exchange. No rules here: AuthCodeExchange decides. */
@Injectable()
export class AuthCodeRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The code's row as committed, read outside any transaction. */
  findByHash(authCodeHash: string): Promise<AuthCodeEntity | null> {
    return findRowBy(this.dataSource.manager, AuthCodeEntity, 'auth_code_hash', authCodeHash);
  }

  /** Inserts the code unless one with its hash exists (uq_auth_codes_hash). */
  insertIfAbsent(em: EntityManager, code: AuthCodeEntity): Promise<boolean> {
    return insertIfAbsent(em, AuthCodeEntity, code, 'authCodeHash');
  }

  findByHashForUpdate(em: EntityManager, authCodeHash: string): Promise<AuthCodeEntity | null> {
    return findRowBy(em, AuthCodeEntity, 'auth_code_hash', authCodeHash, { forUpdate: true });
  }

  findById(em: EntityManager, id: string): Promise<AuthCodeEntity | null> {
    return findRowBy(em, AuthCodeEntity, 'id', id);
  }

  update(em: EntityManager, id: string, changes: Partial<AuthCodeEntity>): Promise<void> {
    return updateRowById(em, AuthCodeEntity, id, changes);
  }

  /** Codes whose automatic exchange is due, or whose exchange lease ran out (its holder died): oldest first. */
  due(em: EntityManager, now: Date, limit: number): Promise<AuthCodeEntity[]> {
    return em
      .createQueryBuilder(AuthCodeEntity, 'c')
      .where("(c.exchange_status = 'PENDING' AND c.next_exchange_at <= :now)", { now })
      .orWhere("(c.exchange_status = 'EXCHANGING' AND c.exchange_lease_until < :now AND c.next_exchange_at IS NOT NULL)", { now })
      .orderBy('c.next_exchange_at', 'ASC')
      .limit(limit)
      .getMany();
  }
}
