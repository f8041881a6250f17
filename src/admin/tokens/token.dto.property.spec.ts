import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { TOKEN_LIST_QUERY_MODEL, TOKEN_LOOKUP_MODEL, TOKEN_LOOKUP_QUERY_MODEL } from '../../../test/fuzz/dto-models';
import { TokenListQuery, TokenLookupDto } from './token.dto';

describe('token DTOs', () => {
  // POST /admin/v1/tokens/lookup takes it as a body, GET as a query string.
  describeAdminDto(TokenLookupDto, TOKEN_LOOKUP_MODEL);
  describeAdminDto(TokenLookupDto, TOKEN_LOOKUP_QUERY_MODEL);
  describeAdminDto(TokenListQuery, TOKEN_LIST_QUERY_MODEL);
});
