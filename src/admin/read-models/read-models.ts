/**
 * Read-only shapes of the rows the admin API shows about a token and its
 * callbacks. Plain data, never entities: the tables behind them belong to
 * other modules, which own every write.
 */
export interface MerchantRef {
  readonly id: string;
  readonly referenceMerchantId: string;
  readonly name: string;
}

export interface NotificationRecord {
  readonly id: string;
  readonly type: string;
  readonly outcome: string;
  readonly receivedAt: Date;
  readonly lastReceivedAt: Date;
  readonly duplicateCount: number;
}

/** A merchant's consult (Alipay+ prepare) that started the binding: matched on its authState. */
export interface ConsultationRecord {
  readonly id: string;
  readonly authState: string;
  readonly customerBelongsTo: string;
  readonly resultStatus: string;
  readonly resultCode: string;
  readonly createdAt: Date;
}

/** The auth code the token was exchanged from, and how its exchange went. */
export interface AuthCodeRecord {
  readonly id: string;
  readonly authState: string | null;
  readonly createdAt: Date;
  readonly exchangeStatus: string | null;
  readonly exchangeAttempts: number;
  readonly exchangeResultCode: string | null;
}

export interface MerchantRequestRecord {
  readonly id: string;
  readonly api: string;
  readonly resultStatus: string;
  readonly resultCode: string;
  readonly receivedAt: Date;
}

export interface CancelTokenAttemptRecord {
  readonly attemptNo: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly resultStatus: string | null;
  readonly resultCode: string | null;
  readonly errorClass: string | null;
}

export interface CancelTokenJobRecord {
  readonly id: string;
  readonly status: string;
  readonly merchantAccountId: string | null;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date;
  readonly lastResultStatus: string | null;
  readonly lastResultCode: string | null;
  readonly settledAt: Date | null;
  readonly createdAt: Date;
  readonly attempts: CancelTokenAttemptRecord[];
}

export interface DeliveryAttemptRecord {
  readonly deliveryId: string;
  readonly attemptNo: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly httpStatus: number | null;
  readonly outcome: string;
  readonly errorClass: string | null;
}

export interface DeliveryRecord {
  readonly id: string;
  readonly eventId: string;
  /** From the event; null if the event row is gone. */
  readonly eventType: string | null;
  readonly endpointId: string;
  readonly merchantId: string;
  readonly status: string;
  readonly attemptCount: number;
  readonly nextAttemptAt: Date;
  readonly lastHttpStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface EventRecord {
  readonly id: string;
  readonly type: string;
  readonly cancelSource: string | null;
  readonly occurredAt: Date;
}

/** Raw rows: MySQL hands DATETIME back as a Date (UTC session), SQLite as `YYYY-MM-DD HH:MM:SS.SSS` text in UTC. */
export function rawDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

export function rawDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : rawDate(value);
}

export function rawIntOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}
