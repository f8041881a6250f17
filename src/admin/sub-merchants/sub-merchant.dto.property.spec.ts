import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { CREATE_SUB_MERCHANT_MODEL, UPDATE_SUB_MERCHANT_MODEL } from '../../../test/fuzz/dto-models';
import { CreateSubMerchantDto, UpdateSubMerchantDto } from './sub-merchant.dto';

describe('sub-merchant DTOs', () => {
  describeAdminDto(CreateSubMerchantDto, CREATE_SUB_MERCHANT_MODEL);
  describeAdminDto(UpdateSubMerchantDto, UPDATE_SUB_MERCHANT_MODEL);
});
