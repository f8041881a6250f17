import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { AuthCodeEntity } from './auth-code.entity';
import { AuthorizationEntity } from './authorization.entity';

/** Data access for authorizations and auth codes. No rules here: the state machine decides. */
@Injectable()
export class AuthorizationRepository {
  /** The row for a token, locked for the rest of the transaction on MySQL (SQLite serialises writers). */
  findByTokenHashForUpdate(em: EntityManager, accessTokenHash: string): Promise<AuthorizationEntity | null> {
    const qb = em.createQueryBuilder(AuthorizationEntity, 'a').where('a.access_token_hash = :h', { h: accessTokenHash });
    if (em.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findByIdForUpdate(em: EntityManager, id: string): Promise<AuthorizationEntity | null> {
    const qb = em.createQueryBuilder(AuthorizationEntity, 'a').where('a.id = :id', { id });
    if (em.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findByTokenHash(em: EntityManager, accessTokenHash: string): Promise<AuthorizationEntity | null> {
    return em.findOne(AuthorizationEntity, { where: { accessTokenHash } });
  }

  findAuthCodeByHash(em: EntityManager, authCodeHash: string): Promise<AuthCodeEntity | null> {
    return em.findOne(AuthCodeEntity, { where: { authCodeHash } });
  }

  /** The auth code an access token was exchanged from, matched on the agreement Alipay+ echoes in both. */
  findAuthCodeForAgreement(em: EntityManager, referenceAgreementId: string): Promise<AuthCodeEntity | null> {
    return em.findOne(AuthCodeEntity, { where: { referenceAgreementId }, order: { createdAt: 'DESC' } });
  }

  findById(em: EntityManager, id: string): Promise<AuthorizationEntity | null> {
    return em.findOne(AuthorizationEntity, { where: { id } });
  }

  findManyByIds(em: EntityManager, ids: string[]): Promise<AuthorizationEntity[]> {
    return ids.length ? em.find(AuthorizationEntity, { where: { id: In(ids) } }) : Promise.resolve([]);
  }
}
