import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { CREATE_ENDPOINT_MODEL, ENDPOINT_LIST_QUERY_MODEL, UPDATE_ENDPOINT_MODEL } from '../../../test/fuzz/dto-models';
import { CreateEndpointDto, EndpointListQuery, UpdateEndpointDto } from './endpoint.dto';

describe('callback endpoint DTOs', () => {
  describeAdminDto(CreateEndpointDto, CREATE_ENDPOINT_MODEL);
  describeAdminDto(UpdateEndpointDto, UPDATE_ENDPOINT_MODEL);
  describeAdminDto(EndpointListQuery, ENDPOINT_LIST_QUERY_MODEL);
});
