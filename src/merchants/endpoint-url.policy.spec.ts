import { DomainError } from '../common/errors/domain-error';
import { EndpointUrlPolicy } from './endpoint-url.policy';

describe(EndpointUrlPolicy.name, () => {
  const development = new EndpointUrlPolicy({ nodeEnv: 'development' });
  const production = new EndpointUrlPolicy({ nodeEnv: 'production' });

  const reason = async (sut: EndpointUrlPolicy, url: string) => {
    try {
      await sut.check(url, 'url');
      return 'accepted';
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      return (err as DomainError).message;
    }
  };

  it.each([
    ['https://merchant.example/hooks', 'accepted'],
    ['http://merchant.example:8081/hooks?x=1', 'accepted'],
    ['ftp://merchant.example/x', 'url: must use http or https'],
    ['javascript:alert(1)', 'url: must use http or https'],
    ['not a url', 'url: is not a valid URL'],
    ['https://user:secret@merchant.example/', 'url: must not carry credentials'],
    [`https://merchant.example/${'a'.repeat(2048)}`, 'url: must be at most 2048 characters'],
  ])('in development, %s → %s', async (url, expected) => {
    expect(await reason(development, url)).toBe(expected);
  });

  it('requires https in production', async () => {
    expect(await reason(production, 'http://merchant.example/hooks')).toBe('url: must use https in production');
    expect(await reason(production, 'https://merchant.example/hooks')).toBe('accepted');
  });
});
