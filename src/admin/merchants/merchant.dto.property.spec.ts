import { describeAdminDto, validateAdmin } from '../../../test/fuzz/admin-validation';
import { deeplyNested } from '../../../test/fuzz/dto-model';
import { CREATE_MERCHANT_MODEL, ROTATE_KEY_MODEL, UPDATE_MERCHANT_MODEL } from '../../../test/fuzz/dto-models';
import { CreateMerchantDto, RotateKeyDto, UpdateMerchantDto } from './merchant.dto';

describe('merchant DTOs', () => {
  describeAdminDto(CreateMerchantDto, CREATE_MERCHANT_MODEL);
  describeAdminDto(UpdateMerchantDto, UPDATE_MERCHANT_MODEL);
  describeAdminDto(RotateKeyDto, ROTATE_KEY_MODEL);

  // KNOWN BUG (reported): class-transformer recurses once per level, so the pipe throws
  // RangeError (not PARAM_ILLEGAL) and the admin API answers 500. Flip to `it` once fixed.
  it('refuses a body nested 10,000 levels deep as PARAM_ILLEGAL', async () => {
    const body = { name: 'Shop', extra: JSON.parse(deeplyNested(10_000, 'array')) };
    await expect(validateAdmin(UpdateMerchantDto, 'body', body)).resolves.toMatchObject({ ok: false });
  });

  // KNOWN BUG (reported): MaxLength does not count U+FE0F after a character, so a 128-"character"
  // name of 256 code points passes and overflows VARCHAR(128) on MySQL (500). Flip once fixed.
  it('measures maximum lengths in code points, as the database columns do', async () => {
    await expect(validateAdmin(UpdateMerchantDto, 'body', { name: 'a\uFE0F'.repeat(128) })).resolves.toMatchObject({ ok: false });
  });
});
