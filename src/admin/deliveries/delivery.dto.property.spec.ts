import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { DELIVERY_LIST_QUERY_MODEL } from '../../../test/fuzz/dto-models';
import { DeliveryListQuery } from './delivery.dto';

describe(DeliveryListQuery.name, () => {
  describeAdminDto(DeliveryListQuery, DELIVERY_LIST_QUERY_MODEL);
});
