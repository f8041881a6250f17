import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { PAGE_QUERY_MODEL } from '../../../test/fuzz/dto-models';
import { PageQuery } from './page.dto';

describe(PageQuery.name, () => {
  describeAdminDto(PageQuery, PAGE_QUERY_MODEL);
});
