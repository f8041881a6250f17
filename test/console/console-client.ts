import { TEST_ADMIN_TOKEN } from '../support/fixtures';

export interface ConsoleLogin {
  /** `acqp_console=<id>`, ready for a Cookie header. */
  readonly cookie: string;
  readonly setCookie: string;
  readonly csrfToken: string;
}

/** Logs in through the console's form as a browser would (urlencoded POST), then reads the CSRF token from a page. */
export async function consoleLogin(baseUrl: string, token = TEST_ADMIN_TOKEN): Promise<ConsoleLogin> {
  const res = await fetch(`${baseUrl}/console/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }).toString(),
    redirect: 'manual',
  });
  if (res.status !== 303) throw new Error(`log-in answered ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0];
  const page = await fetch(`${baseUrl}/console/merchants`, { headers: { cookie }, redirect: 'manual' });
  const csrfToken = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1];
  if (!csrfToken) throw new Error('no CSRF token in the page');
  return { cookie, setCookie, csrfToken };
}
