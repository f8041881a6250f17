import { buildRequest, COMMANDS, UsageError } from './admin-commands';

describe(buildRequest.name, () => {
  const sut = buildRequest;
  const files: Record<string, string> = { 'key.pem': '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error(`ENOENT ${path}`);
    return text;
  };

  it('builds a create with camelCase fields, a key read from its file, and numbers as numbers', () => {
    const request = sut(
      'merchants:create',
      { 'reference-merchant-id': 'R1', name: 'Shop', 'client-id': 'C1', 'public-key-file': 'key.pem', 'rate-limit-per-second': '20' },
      read,
    );
    expect(request).toEqual({
      method: 'POST',
      path: '/admin/v1/merchants',
      body: { referenceMerchantId: 'R1', name: 'Shop', clientId: 'C1', publicKey: files['key.pem'], rateLimitPerSecond: 20 },
    });
  });

  it('puts ids in the path and filters in the query string', () => {
    expect(sut('endpoints:list', { 'merchant-id': 'm/1', 'sub-merchant-id': 's1', limit: '5' }, read)).toEqual({
      method: 'GET',
      path: '/admin/v1/merchants/m%2F1/endpoints?subMerchantId=s1&limit=5',
      body: undefined,
    });
    expect(sut('endpoints:rotate-secret', { 'merchant-id': 'm1', id: 'e1' }, read)).toMatchObject({
      method: 'POST',
      path: '/admin/v1/merchants/m1/endpoints/e1/secret',
      body: {},
    });
  });

  it('sends lists as arrays and `null` as null where a field can be cleared', () => {
    expect(
      sut('endpoints:update', { 'merchant-id': 'm', id: 'e', 'event-types': 'TOKEN_CANCELED, TOKEN_CREATED', 'endpoint-url': 'https://x' }, read).body,
    ).toEqual({
      eventTypes: ['TOKEN_CANCELED', 'TOKEN_CREATED'],
      url: 'https://x',
    });
    expect(sut('merchants:update', { id: 'm', 'consult-url': 'null', 'rate-limit-per-second': 'null' }, read).body).toEqual({
      consultUrl: null,
      rateLimitPerSecond: null,
    });
  });

  it('sends the access token in the body, never in the URL', () => {
    const request = sut('tokens:lookup', { 'access-token': 'SECRET-TOKEN' }, read);
    expect(request.path).not.toContain('SECRET-TOKEN');
    expect(request.body).toEqual({ accessToken: 'SECRET-TOKEN' });
  });

  it.each([
    ['an unknown command', 'merchants:explode', {}],
    ['a missing required flag', 'merchants:get', {}],
    ['a flag the command does not take', 'merchants:get', { id: 'm', colour: 'blue' }],
    ['a number that is not one', 'merchants:update', { id: 'm', 'rate-limit-per-second': 'ten' }],
  ])('refuses %s as a usage error', (_case, name, flags) => {
    expect(() => sut(name, flags, read)).toThrow(UsageError);
  });

  it('offers a command for each kind of admin operation', () => {
    const names = Object.keys(COMMANDS);
    for (const n of ['merchants:create', 'merchants:rotate-key', 'sub-merchants:disable', 'endpoints:rotate-secret', 'tokens:lookup', 'deliveries:list']) {
      expect(names).toContain(n);
    }
  });
});
