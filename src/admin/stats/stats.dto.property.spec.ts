import { describeAdminDto } from '../../../test/fuzz/admin-validation';
import { ENDPOINT_STATS_QUERY_MODEL, STATS_WINDOW_QUERY_MODEL } from '../../../test/fuzz/dto-models';
import { EndpointStatsQuery, StatsWindowQuery } from './stats.dto';

describe('console stats DTOs', () => {
  describeAdminDto(StatsWindowQuery, STATS_WINDOW_QUERY_MODEL);
  describeAdminDto(EndpointStatsQuery, ENDPOINT_STATS_QUERY_MODEL);
});
