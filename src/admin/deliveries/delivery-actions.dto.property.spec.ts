import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { HEALTH_QUERY_MODEL, RECOVER_DELIVERIES_MODEL } from '../../../test/fuzz/dto-models';
import { HealthQuery, RecoverDeliveriesDto } from './delivery-actions.dto';

describe('delivery admin DTOs', () => {
  describeAdminDto(RecoverDeliveriesDto, RECOVER_DELIVERIES_MODEL);
  describeAdminDto(HealthQuery, HEALTH_QUERY_MODEL);
});
