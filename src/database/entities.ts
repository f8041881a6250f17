import { AuthCodeEntity } from '../authorizations/auth-code.entity';
import { AuthorizationEntity } from '../authorizations/authorization.entity';
import { ConsultationEntity } from '../bindings/consultation.entity';
import { MerchantRequestEntity } from '../authorizations/merchant-request.entity';
import { CancelTokenAttemptEntity, CancelTokenJobEntity } from '../authorizations/cancel-token-job.entity';
import { DeliveryAttemptEntity, DeliveryEntity } from '../callbacks/delivery.entity';
import { EventEntity } from '../callbacks/event.entity';
import { CallbackEndpointEntity } from '../merchants/callback-endpoint.entity';
import { MerchantEntity } from '../merchants/merchant.entity';
import { SubMerchantEntity } from '../merchants/sub-merchant.entity';
import { NotificationEntity } from '../notifications/notification.entity';
import { AuditEventEntity, AuthThrottleEntity, ConsoleSessionEntity, OperatorEntity } from '../operators/operator.entity';

/** Every TypeORM entity, listed explicitly (no globs: compiled and test code must see the same set). */
export const ENTITIES: Array<new (...args: never[]) => object> = [
  AuthorizationEntity,
  AuthCodeEntity,
  NotificationEntity,
  EventEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  MerchantEntity,
  SubMerchantEntity,
  CallbackEndpointEntity,
  CancelTokenJobEntity,
  CancelTokenAttemptEntity,
  MerchantRequestEntity,
  OperatorEntity,
  ConsoleSessionEntity,
  AuthThrottleEntity,
  AuditEventEntity,
  ConsultationEntity,
];
