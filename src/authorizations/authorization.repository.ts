import { Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { insertIfAbsent } from '../database/insert-if-absent';
import { findRowBy, insertRow, SqlExpression, updateRowById, type ColumnExpressions } from '../database/raw-rows';
import { AuthCodeEntity } from './auth-code.entity';
import { AuthorizationEntity } from './authorization.entity';

/** Data access for authorizations and auth codes. No rules here: the state machine decides. */
@Injectable()
export class AuthorizationRepository {
  /** The row for a token, locked for the rest of the transaction on MySQL (SQLite serialises writers). */
  findByTokenHashForUpdate(em: EntityManager, accessTokenHash: string): Promise<AuthorizationEntity | null> {
    return findRowBy(em, AuthorizationEntity, 'access_token_hash', accessTokenHash, { forUpdate: true });
  }

  /** `linkAgreement`: also set auth_code_id to the newest auth code of that agreement (null if none), in the same statement. */
  insert(em: EntityManager, row: AuthorizationEntity, linkAgreement?: string): Promise<void> {
    return insertRow(em, AuthorizationEntity, row, agreementLink(linkAgreement));
  }

  /** Writes only `changes` (and bumps the version), as em.update would; `linkAgreement` as for insert. */
  update(em: EntityManager, id: string, changes: Partial<AuthorizationEntity>, linkAgreement?: string): Promise<void> {
    return updateRowById(em, AuthorizationEntity, id, changes, agreementLink(linkAgreement));
  }

  findByIdForUpdate(em: EntityManager, id: string): Promise<AuthorizationEntity | null> {
    const qb = em.createQueryBuilder(AuthorizationEntity, 'a').where('a.id = :id', { id });
    if (em.connection.options.type === 'mysql') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  findByTokenHash(em: EntityManager, accessTokenHash: string): Promise<AuthorizationEntity | null> {
    return em.findOne(AuthorizationEntity, { where: { accessTokenHash } });
  }

  /** Inserts the auth code unless one with its hash exists (uq_auth_codes_hash); true when this call inserted it. */
  insertAuthCodeIfAbsent(em: EntityManager, code: AuthCodeEntity): Promise<boolean> {
    return insertIfAbsent(
      em,
      'auth_codes',
      {
        id: code.id,
        auth_code_hash: code.authCodeHash,
        auth_code_enc: code.authCodeEnc,
        enc_key_id: code.encKeyId,
        auth_state: code.authState,
        merchant_id: code.merchantId,
        reference_merchant_id: code.referenceMerchantId,
        reference_agreement_id: code.referenceAgreementId,
        customer_id: code.customerId,
        auth_client_id: code.authClientId,
        acquirer_id: code.acquirerId,
        psp_id: code.pspId,
        created_at: code.createdAt,
      },
      'auth_code_hash',
    );
  }

  findById(em: EntityManager, id: string): Promise<AuthorizationEntity | null> {
    return em.findOne(AuthorizationEntity, { where: { id } });
  }

  findManyByIds(em: EntityManager, ids: string[]): Promise<AuthorizationEntity[]> {
    return ids.length ? em.find(AuthorizationEntity, { where: { id: In(ids) } }) : Promise.resolve([]);
  }
}

/** The auth code an access token was exchanged from, matched on the agreement Alipay+ echoes in both; the newest. */
function agreementLink(referenceAgreementId: string | undefined): ColumnExpressions<AuthorizationEntity> {
  if (referenceAgreementId === undefined) return {};
  return {
    authCodeId: new SqlExpression('(SELECT id FROM auth_codes WHERE reference_agreement_id = ? ORDER BY created_at DESC LIMIT 1)', [referenceAgreementId]),
  };
}
