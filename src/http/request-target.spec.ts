import fc from 'fast-check';
import { originForm } from './request-target';

describe(originForm.name, () => {
  it.each([
    ['/ams/api/v1/authorizations/revoke', '/ams/api/v1/authorizations/revoke'],
    ['/cb?x=1', '/cb?x=1'],
    // What the official Antom Python SDK sends: http.client with the whole URL as the target.
    ['http://127.0.0.1:8080/ams/api/v1/authorizations/revoke', '/ams/api/v1/authorizations/revoke'],
    ['https://gw.example.com/ams/sandbox/api/v1/authorizations/query?a=b', '/ams/sandbox/api/v1/authorizations/query?a=b'],
    ['HTTP://GW.EXAMPLE.COM:443/x', '/x'],
    ['http://user@[::1]:8080/x', '/x'],
    ['http://gw.example.com', '/'],
    ['http://gw.example.com?a=b', '/?a=b'],
    ['*', '*'],
    ['gw.example.com:443', 'gw.example.com:443'],
  ])('%s → %s', (target, expected) => {
    expect(originForm(target)).toBe(expected);
  });

  it('turns any absolute-form target into the origin form it carries', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:@-]*$/);
    const path = fc.array(segment, { maxLength: 5 }).map((s) => `/${s.join('/')}`);
    const query = fc.option(fc.stringMatching(/^[A-Za-z0-9=&%._~/?-]*$/), { nil: undefined });
    const authority = fc.tuple(fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }));
    fc.assert(
      fc.property(fc.constantFrom('http', 'https', 'HTTP'), authority, path, query, (scheme, [host, port], p, q) => {
        const origin = q === undefined ? p : `${p}?${q}`;
        expect(originForm(`${scheme}://${host}${port === undefined ? '' : `:${port}`}${origin}`)).toBe(origin);
        expect(originForm(origin)).toBe(origin);
      }),
    );
  });
});
