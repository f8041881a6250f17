import { Injectable } from '@nestjs/common';
import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { AuthorizationEntity } from '../authorizations/authorization.entity';
import { hydrateRow } from '../database/raw-rows';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { MerchantEntity } from '../merchants/merchant.entity';
import { SubMerchantEntity } from '../merchants/sub-merchant.entity';
import type { DeliveryEntity } from './delivery.entity';
import { EventEntity } from './event.entity';
import { SqlDialect } from '../database/sql-dialect';

/** Everything one callback is made of, as stored (secrets still encrypted). */
export interface CallbackSource {
  readonly event: EventEntity;
  readonly endpoint: CallbackEndpointEntity;
  readonly merchant: MerchantEntity | null;
  readonly subMerchant: SubMerchantEntity | null;
  readonly authorization: AuthorizationEntity | null;
  readonly authCode: AuthCodeEntity | null;
}

/** The joined tables, by alias; the aliases also prefix their columns in the result. */
const PARTS = {
  e: EventEntity,
  ep: CallbackEndpointEntity,
  m: MerchantEntity,
  s: SubMerchantEntity,
  a: AuthorizationEntity,
  c: AuthCodeEntity,
} as const;

type Alias = keyof typeof PARTS;

/**
 * Reads what a claim's deliveries refer to, at send time: the endpoints as
 * they are now (URL, scheme and secrets may have changed since the fan-out),
 * and the tokens or codes the events are about. One joined SELECT for the
 * whole claim, without locks; the event, endpoint and sub-merchant must
 * belong to the delivery's merchant.
 */
@Injectable()
export class CallbackSourceRepository {
  private readonly sql = new Map<string, string>();

  /** Keyed by delivery id; null where the event or the endpoint is gone (or belongs to another merchant). */
  async loadMany(em: EntityManager, deliveries: readonly DeliveryEntity[]): Promise<Map<string, CallbackSource | null>> {
    const sources = new Map<string, CallbackSource | null>(deliveries.map((d) => [d.id, null]));
    if (deliveries.length === 0) return sources;
    const rows: Array<Record<string, unknown>> = await em.query(
      this.query(em, deliveries.length),
      deliveries.map((d) => d.id),
    );
    // One object per row id across the claim, as separate reads gave: the composer decrypts a shared token once.
    const seen = new Map<string, ObjectLiteral | null>();
    const metas = new Map((Object.keys(PARTS) as Alias[]).map((alias) => [alias, em.connection.getMetadata(PARTS[alias])]));
    for (const row of rows) {
      const part = <T extends ObjectLiteral>(alias: Alias): T | null => {
        const meta = metas.get(alias)!;
        const key = `${alias}:${String(row[`${alias}__${meta.primaryColumns[0].databaseName}`])}`;
        if (!seen.has(key)) seen.set(key, hydrateRow(em, meta, row, `${alias}__`));
        return seen.get(key) as T | null;
      };
      sources.set(String(row.d__id), {
        event: part<EventEntity>('e')!,
        endpoint: part<CallbackEndpointEntity>('ep')!,
        merchant: part<MerchantEntity>('m'),
        subMerchant: part<SubMerchantEntity>('s'),
        authorization: part<AuthorizationEntity>('a'),
        authCode: part<AuthCodeEntity>('c'),
      });
    }
    return sources;
  }

  /** The SELECT for `n` delivery ids, built once per size from the entities' metadata. */
  private query(em: EntityManager, n: number): string {
    const known = this.sql.get(`${SqlDialect.of(em).name}:${n}`);
    if (known) return known;
    const q = (name: string) => em.connection.driver.escape(name);
    const table = (target: EntityTarget<ObjectLiteral>) => q(em.connection.getMetadata(target).tableName);
    const columns = Object.entries(PARTS).flatMap(([alias, target]) =>
      em.connection.getMetadata(target).columns.map((c) => `${alias}.${q(c.databaseName)} AS ${q(`${alias}__${c.databaseName}`)}`),
    );
    const sql = [
      `SELECT d.${q('id')} AS ${q('d__id')}, ${columns.join(', ')}`,
      `FROM ${q('deliveries')} d`,
      `JOIN ${table(EventEntity)} e ON e.${q('id')} = d.${q('event_id')} AND e.${q('merchant_id')} = d.${q('merchant_id')}`,
      `JOIN ${table(CallbackEndpointEntity)} ep ON ep.${q('id')} = d.${q('endpoint_id')} AND ep.${q('merchant_id')} = d.${q('merchant_id')}`,
      `LEFT JOIN ${table(MerchantEntity)} m ON m.${q('id')} = d.${q('merchant_id')}`,
      `LEFT JOIN ${table(SubMerchantEntity)} s ON s.${q('id')} = ep.${q('sub_merchant_id')} AND s.${q('merchant_id')} = d.${q('merchant_id')}`,
      `LEFT JOIN ${table(AuthorizationEntity)} a ON a.${q('id')} = e.${q('authorization_id')}`,
      `LEFT JOIN ${table(AuthCodeEntity)} c ON c.${q('id')} = e.${q('auth_code_id')}`,
      `WHERE d.${q('id')} IN (${Array.from({ length: n }, () => '?').join(', ')})`,
    ].join(' ');
    this.sql.set(`${SqlDialect.of(em).name}:${n}`, sql);
    return sql;
  }
}
