import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { insertIfAbsent } from '../database/insert-if-absent';
import { findRowBy, findRowWhere, insertRow, runSql, SqlExpression, updateRowById, type ColumnExpressions } from '../database/raw-rows';
import { AuthCodeEntity } from './auth-code.entity';
import { AuthorizationEntity } from './authorization.entity';
import type { MerchantEntity } from '../merchants/merchant.entity';
import { SqlDialect } from '../database/sql-dialect';

/** Data access for authorizations and auth codes. No rules here: the state machine decides. */
@Injectable()
export class AuthorizationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The row for a token, locked for the rest of the transaction on MySQL (SQLite serialises writers). */
  /**
   * The token `accessTokenHash` names, if `merchant` owns it: created under
   * its id, or (before the merchant was onboarded) under its
   * referenceMerchantId. Another merchant's token is as unknown as a made-up
   * one. `forUpdate` (in a transaction): locked until commit on MySQL.
   */
  async findOwned(
    merchant: Pick<MerchantEntity, 'id' | 'referenceMerchantId'>,
    accessTokenHash: string,
    options: { em?: EntityManager; forUpdate?: boolean } = {},
  ): Promise<AuthorizationEntity | null> {
    const row = await findRowWhere(
      options.em ?? this.dataSource.manager,
      AuthorizationEntity,
      'access_token_hash = ? AND (merchant_id = ? OR (merchant_id IS NULL AND reference_merchant_id = ?))',
      [accessTokenHash, merchant.id, merchant.referenceMerchantId],
      options,
    );
    // Byte-exact as well: MySQL's PAD SPACE collations would let 'M1' match a token made under 'M1 '.
    return row !== null && isOwner(row, merchant) ? row : null;
  }

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
    return SqlDialect.of(em).lockForUpdate(qb).getOne();
  }

  /** Inserts the auth code unless one with its hash exists (uq_auth_codes_hash); true when this call inserted it. */
  insertAuthCodeIfAbsent(em: EntityManager, code: AuthCodeEntity): Promise<boolean> {
    return insertIfAbsent(em, AuthCodeEntity, code, 'authCodeHash');
  }

  /**
   * Fills what an auth code's row lacks (a merchant's applyToken stored it
   * before AUTHCODE_CREATED told its authState and ids) from `notice`; its id.
   */
  async completeAuthCode(em: EntityManager, notice: AuthCodeEntity): Promise<string> {
    const fill = ['auth_state', 'reference_agreement_id', 'customer_id', 'auth_client_id', 'acquirer_id', 'psp_id'] as const;
    const values = [notice.authState, notice.referenceAgreementId, notice.customerId, notice.authClientId, notice.acquirerId, notice.pspId];
    await runSql(em, `UPDATE auth_codes SET ${fill.map((c) => `${c} = COALESCE(${c}, ?)`).join(', ')} WHERE auth_code_hash = ?`, [
      ...values,
      notice.authCodeHash,
    ]);
    const row = await findRowBy(em, AuthCodeEntity, 'auth_code_hash', notice.authCodeHash);
    return row!.id;
  }

  /** The token an auth code was exchanged for, as its TOKEN_CREATED linked it (auth_code_id). */
  async findIdByAuthCode(em: EntityManager, authCodeId: string): Promise<string | null> {
    const { records } = await runSql(em, 'SELECT id FROM authorizations WHERE auth_code_id = ? LIMIT 1', [authCodeId]);
    return (records[0] as { id: string } | undefined)?.id ?? null;
  }

  /**
   * The token whose current refresh token hashes to `refreshTokenHash`, if
   * `merchant` owns it (the ownership rule of findOwned); another merchant's
   * is as unknown as a made-up one.
   */
  async findOwnedByRefreshHash(merchant: Pick<MerchantEntity, 'id' | 'referenceMerchantId'>, refreshTokenHash: string): Promise<AuthorizationEntity | null> {
    const row = await findRowWhere(this.dataSource.manager, AuthorizationEntity, 'refresh_token_hash = ?', [refreshTokenHash]);
    return row !== null && isOwner(row, merchant) ? row : null;
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

/**
 * A row (token or auth code) is a merchant's when made under its id, or,
 * before the merchant was onboarded, under its referenceMerchantId.
 */
export function isOwner(
  row: { merchantId: string | null; referenceMerchantId: string | null },
  merchant: Pick<MerchantEntity, 'id' | 'referenceMerchantId'>,
): boolean {
  return row.merchantId === merchant.id || (row.merchantId === null && row.referenceMerchantId === merchant.referenceMerchantId);
}
