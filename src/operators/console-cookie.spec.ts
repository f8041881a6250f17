import type { FastifyRequest } from 'fastify';
import { clearedSessionCookie, isCrossSite, readCookie, sessionCookie, sessionCookieName } from './console-cookie';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as FastifyRequest;

describe('console session cookie', () => {
  it('is HttpOnly, SameSite=Strict and Path=/, not Secure outside production', () => {
    expect(sessionCookie({ nodeEnv: 'test' }, 'abc', 60)).toBe('acqp_console=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict');
    expect(sessionCookie({ nodeEnv: 'development' }, 'abc', 60)).not.toContain('Secure');
  });

  it('is Secure with the __Host- prefix in production', () => {
    expect(sessionCookieName({ nodeEnv: 'production' })).toBe('__Host-acqp_console');
    expect(sessionCookie({ nodeEnv: 'production' }, 'abc', 60)).toBe('__Host-acqp_console=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Strict; Secure');
  });

  it('is cleared with an empty value and Max-Age=0', () => {
    expect(clearedSessionCookie({ nodeEnv: 'test' })).toBe('acqp_console=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
  });

  it('is read from the Cookie header among others, the first one winning', () => {
    expect(readCookie(req({ cookie: 'a=1; acqp_console=xyz; acqp_console=other' }), 'acqp_console')).toBe('xyz');
    expect(readCookie(req({ cookie: 'acqp_console_x=1' }), 'acqp_console')).toBeUndefined();
    expect(readCookie(req({ cookie: 'acqp_console=' }), 'acqp_console')).toBeUndefined();
    expect(readCookie(req({}), 'acqp_console')).toBeUndefined();
  });
});

describe(isCrossSite.name, () => {
  it.each([
    [{ host: 'gw.example' }, false],
    [{ host: 'gw.example', origin: 'https://gw.example' }, false],
    [{ host: 'gw.example', 'sec-fetch-site': 'same-origin' }, false],
    [{ host: 'gw.example', origin: 'https://evil.example' }, true],
    [{ host: 'gw.example', origin: 'null' }, true],
    [{ host: 'gw.example', 'sec-fetch-site': 'cross-site' }, true],
    [{ host: 'gw.example', 'sec-fetch-site': 'same-site' }, true],
    [{ host: 'gw.example', 'sec-fetch-site': 'none' }, false],
    [{ host: 'gw.example', 'sec-fetch-site': 'same-origin', origin: 'null' }, false],
  ])('%j: %s', (headers, expected) => {
    expect(isCrossSite(req(headers as Record<string, string>))).toBe(expected);
  });
});
