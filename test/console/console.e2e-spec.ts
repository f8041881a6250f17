import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { mask } from '../../src/common/crypto/fingerprint';
import { adminClient, unique } from '../admin/admin-client';
import { behaviours, startReceiver, type Receiver } from '../callbacks/callback-receiver';
import { TEST_ADMIN_TOKEN, TEST_KEYS } from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';
import { describeInBrowser, launchChromium, requireChromium, type Browser } from './chromium';
import { seedConsoleStory, type ConsoleStory } from './console-seed';

/** Browser globals inside page.evaluate callbacks (this project compiles without the DOM lib). */
declare const document: any;
declare function getComputedStyle(el: unknown): { outlineStyle: string };

/**
 * Where the screenshots of each page go: a throw-away folder, so a test run
 * leaves the tree as it found it; `npm run screenshots` sets
 * CONSOLE_SCREENSHOTS_DIR=docs/console to refresh the ones README shows.
 */
const SCREENSHOTS_ASKED = process.env.CONSOLE_SCREENSHOTS_DIR;
const SCREENSHOTS = SCREENSHOTS_ASKED ? resolve(SCREENSHOTS_ASKED) : mkdtempSync(join(tmpdir(), 'acqp-console-shots-'));

// A browser journey: each step waits on real pages, real sends and a real dispatcher.
jest.setTimeout(60_000);

describeInBrowser(`operator console in Chromium on ${testEngine()}`, () => {
  let sut: TestApp;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let story: ConsoleStory;
  const dialogs: string[] = [];

  beforeAll(async () => {
    requireChromium();
    receiver = await startReceiver(behaviours.always({ status: 500, body: 'receiver down for maintenance' }));
    // One attempt per series: the first failure is final, so the test can redeliver at once.
    sut = await startTestApp({ env: { CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8', CALLBACK_RETRY_SCHEDULE: '0s' } });
    story = await seedConsoleStory(sut, adminClient(sut.baseUrl), receiver);

    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
    ({ context, page } = browser);
    page.setDefaultTimeout(15_000);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
    await receiver?.close();
    if (!SCREENSHOTS_ASKED) rmSync(SCREENSHOTS, { recursive: true, force: true });
  });

  const url = (path: string) => `${sut.baseUrl}${path}`;
  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  const focused = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return {
        tag: String(el?.tagName ?? '').toLowerCase(),
        id: String(el?.id ?? ''),
        text: String(el?.textContent ?? '').trim(),
        outline: el ? getComputedStyle(el).outlineStyle : '',
      };
    });

  async function logIn(): Promise<void> {
    await page.goto(url('/console/merchants'));
    if (!page.url().endsWith('/console/login')) return;
    await page.fill('#token', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(url('/console/merchants')), page.press('#token', 'Enter')]);
  }

  /** Presses Tab until the focused element is the link or button named `name`, like an operator would. */
  async function tabTo(name: string): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await focused();
      if ((f.tag === 'a' || f.tag === 'button') && f.text === name) {
        expect(f.outline).not.toBe('none');
        return;
      }
    }
    throw new Error(`could not reach "${name}" with Tab`);
  }

  it('logs in with the admin token: an HttpOnly SameSite=Strict session cookie, never the token', async () => {
    await page.goto(url('/console'));
    await page.waitForURL(url('/console/login'));
    await shot('login.png');

    await page.fill('#token', 'not-the-admin-token-at-all-0000');
    await page.press('#token', 'Enter');
    await expect(page.locator('#login-error').textContent()).resolves.toBe('That is not an operator token.');
    expect(await context.cookies()).toEqual([]);

    await page.fill('#token', TEST_ADMIN_TOKEN);
    await Promise.all([page.waitForURL(url('/console/merchants')), page.press('#token', 'Enter')]);
    const cookies = await context.cookies();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: 'acqp_console', httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    expect(cookies[0].value).not.toContain(TEST_ADMIN_TOKEN);
    expect(cookies[0].expires).toBeGreaterThan(Date.now() / 1000 + 7.9 * 3600);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(await page.content()).not.toContain(TEST_ADMIN_TOKEN);
    expect(await page.textContent('#signed-in-as')).toBe('Signed in as bootstrap (admin)');
  });

  it('reaches every page by keyboard: skip link first, then the navigation', async () => {
    await logIn();
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'a', text: 'Skip to main content' });
    expect((await focused()).outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ tag: 'main', id: 'main' });

    for (const [link, path, heading] of [
      ['Tokens', '/console/tokens', 'Token look-up'],
      ['Deliveries', '/console/deliveries', 'Callback deliveries'],
      ['Health and charts', '/console/health', 'Health and charts'],
      ['Audit trail', '/console/audit', 'Audit trail'],
      ['Merchants', '/console/merchants', 'Merchants'],
    ] as const) {
      await page.evaluate(() => document.activeElement?.blur());
      await tabTo(link);
      await Promise.all([page.waitForURL(url(path)), page.keyboard.press('Enter')]);
      expect(await page.textContent('h1')).toBe(heading);
      expect(await page.getAttribute(`nav a[href="${path}"]`, 'aria-current')).toBe('page');
    }
    // Every form control on every page has a label.
    for (const path of ['/console/merchants', '/console/tokens', '/console/deliveries', '/console/health', '/console/audit']) {
      await page.goto(url(path));
      const unlabeled = await page.evaluate(() =>
        [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
          .filter((el: any) => el.labels?.length === 0 && !el.getAttribute('aria-label'))
          .map((el: any) => String(el.id || el.outerHTML)),
      );
      expect({ path, unlabeled }).toEqual({ path, unlabeled: [] });
    }
  });

  it("shows the gateway's public key as the SDKs take it, bare base64, and as PEM", async () => {
    await logIn();
    // The test gateway signs with the vectors' ACQP key: its public half, as the vectors' PEM file has it.
    const expectedBase64 = TEST_KEYS.acqpPublic
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('-----'))
      .join('');
    await page.locator('#gateway-key-fingerprint', { hasText: 'sha256 ' }).waitFor();
    expect(await page.inputValue('#gateway-key-base64')).toBe(expectedBase64);
    expect((await page.inputValue('#gateway-key-pem')).replace(/\s+/g, '')).toBe(TEST_KEYS.acqpPublic.replace(/\s+/g, ''));
  });

  it('manages merchants: add one, open it, add a sub-merchant and a webhook endpoint whose secret shows once', async () => {
    await logIn();
    const ref = unique('2188');
    await page.fill('#m-ref', ref);
    await page.fill('#m-name', 'Harbour Books');
    await page.fill('#m-client', unique('HARBOUR_'));
    await page.click('#add-merchant-form button[type=submit]');
    await page.locator('#flash', { hasText: 'Merchant "Harbour Books" added.' }).waitFor();
    await page.locator('#merchant-table tr', { hasText: ref }).waitFor();

    await Promise.all([page.waitForURL(/merchant=/), page.click(`#merchant-table tr[data-merchant-id="${story.merchant.id}"] a`)]);
    await page.locator('#merchant-detail-h', { hasText: 'Merchant: Demo Shop' }).waitFor();
    await page.locator('#sub-merchant-table', { hasText: 'SHOP_01' }).waitFor();
    await page.locator('#endpoint-table', { hasText: receiver.url() }).waitFor();

    await page.fill('#sub-account', 'SHOP_02');
    await page.fill('#sub-name', 'Demo Shop Harbourside');
    await page.click('#add-sub-merchant-form button[type=submit]');
    await page.locator('#sub-merchant-table', { hasText: 'SHOP_02' }).waitFor();

    await page.fill('#endpoint-url', 'https://hooks.demo-shop.example/standard');
    await page.selectOption('#endpoint-sub', { label: 'Demo Shop Harbourside (SHOP_02)' });
    await page.selectOption('#endpoint-scheme', 'STANDARD_WEBHOOKS');
    await page.click('#add-endpoint-form button[type=submit]');
    const secretPanel = page.locator('#secret-panel');
    await secretPanel.waitFor({ state: 'visible' });
    expect(await secretPanel.textContent()).toContain('this secret is shown once');
    const secret = await page.inputValue('#secret-value');
    expect(secret).toMatch(/^whsec_/);
    await page.locator('#endpoint-table', { hasText: 'https://hooks.demo-shop.example/standard' }).waitFor();

    await page.click('#secret-done');
    await secretPanel.waitFor({ state: 'hidden' });
    expect(await page.inputValue('#secret-value')).toBe('');
    expect(await page.evaluate((s) => document.documentElement.outerHTML.includes(s), secret)).toBe(false);
    await page.reload();
    await page.locator('#endpoint-table', { hasText: 'STANDARD_WEBHOOKS' }).waitFor();
    expect(await page.content()).not.toContain(secret);
    await shot('merchants.png');
  });

  it('finds a token by value and shows its whole timeline, masked', async () => {
    await logIn();
    await page.goto(url('/console/tokens'));
    await page.fill('#access-token', story.n.accessToken);
    await page.press('#access-token', 'Enter');
    await page.locator('#token-detail').waitFor({ state: 'visible' });
    expect(await page.textContent('#token-h')).toBe(`Token ${mask(story.n.accessToken)}`);
    expect(page.url()).toMatch(/\/console\/tokens\?id=[0-9a-f-]{36}$/);
    expect(await page.inputValue('#access-token')).toBe('');

    const timeline = page.locator('#timeline');
    await timeline.locator('ul[aria-label="Callback deliveries"] > li', { hasText: 'Delivery to endpoint' }).waitFor();
    const text = (await timeline.textContent()) ?? '';
    for (const part of [
      'Notification from Alipay+AUTHCODE_CREATED',
      'TOKEN_CREATED',
      'Merchant callrevoke answered U PROCESSING',
      'cancelToken to Alipay+SUCCEEDED after 2 attempt(s), last result S SUCCESS',
      'Attempt 1',
      'no answer: TIMEOUT',
      'S SUCCESS (85 ms)',
      'Event TOKEN_CANCELEDcanceled by ACQUIRER',
      'HTTP 500, FAILED',
    ]) {
      expect({ part, found: text.includes(part) }).toEqual({ part, found: true });
    }
    await page.click('#timeline summary');
    await timeline.locator('pre', { hasText: 'receiver down for maintenance' }).waitFor();
    const html = await page.content();
    expect(html).not.toContain(story.n.accessToken);
    expect(html).not.toContain(story.n.tokenCreated.refreshToken);
    expect(html).not.toContain(story.n.authCode);
    await shot('token-timeline.png');

    // By customer: a list of masked tokens linking to the same timeline.
    await page.fill('#customer-id', story.n.tokenCreated.customerId);
    await Promise.all([page.waitForURL(/customerId=/), page.press('#customer-id', 'Enter')]);
    await page.locator('#customer-table a', { hasText: mask(story.n.accessToken) }).waitFor();
  });

  it('redelivers a failed delivery from the deliveries page and shows it delivered', async () => {
    await logIn();
    await page.goto(url(`/console/deliveries?status=FAILED&endpointId=${story.endpointId}`));
    const row = page.locator(`tr[data-delivery-id="${story.failedDeliveryId}"]`);
    await row.waitFor();
    expect(await row.locator('td').nth(3).textContent()).toBe('FAILED');
    expect(await page.inputValue('#f-status')).toBe('FAILED');
    expect(receiver.received).toHaveLength(1);

    await row.locator('button', { hasText: 'Redeliver' }).focus();
    await page.keyboard.press('Enter');
    await row.locator('td:nth-child(4)', { hasText: 'DELIVERED' }).waitFor({ timeout: 20_000 });
    await page.locator('#flash', { hasText: 'is DELIVERED after attempt 2' }).waitFor();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[1].json.notifyId).toBe(receiver.received[0].json.notifyId);
    await page.goto(url('/console/deliveries'));
    await page.locator(`tr[data-delivery-id="${story.failedDeliveryId}"] td:nth-child(4)`, { hasText: 'DELIVERED' }).waitFor();
    await shot('deliveries.png');

    // Recover-since: nothing of this endpoint is FAILED any more.
    await page.fill('#r-endpoint', story.endpointId);
    await page.fill('#r-since', '2020-01-01T00:00:00');
    await page.click('#recover-form button[type=submit]');
    await page.locator('#flash', { hasText: '0 failed deliveries put back in the queue.' }).waitFor();
    expect(dialogs.some((d) => d.startsWith('Put every FAILED delivery of this endpoint'))).toBe(true);
  });

  it('charts the last hour per minute and shows endpoint health', async () => {
    await logIn();
    await page.goto(url('/console/health'));
    for (const id of ['notifications', 'deliveries', 'failures']) {
      await page.locator(`#chart-${id} svg rect`).first().waitFor();
    }
    const totals = await page.$$eval('.chart-canvas svg', (svgs) => svgs.map((s) => Number(s.getAttribute('data-total'))));
    expect(totals[0]).toBeGreaterThanOrEqual(3); // our three notifications at least, plus the seeded hour
    expect(totals[1]).toBeGreaterThan(totals[2]);
    expect(totals[2]).toBeGreaterThanOrEqual(1); // the 500 from the receiver
    expect(await page.getAttribute('#chart-failures svg', 'aria-label')).toMatch(/^Failed delivery attempts per minute: \d+ in the last 60 minutes/);

    const row = page.locator(`#endpoint-health-table tr[data-endpoint-id="${story.endpointId}"]`);
    await row.waitFor();
    await row.locator('td:nth-child(5)', { hasText: '50% of 2 attempts succeeded' }).waitFor();
    expect(await row.locator('td:nth-child(6)').textContent()).toContain('HTTP_STATUS, HTTP 500');
    expect(await page.locator('#endpoint-health-table tbody tr').first().textContent()).toContain('DISABLED');
    await shot('health.png');
  });

  it('lists every operator write in the audit trail, newest first, with who made it and from where', async () => {
    await logIn();
    await page.goto(url('/console/audit'));
    const row = page.locator('#audit-table tbody tr', { hasText: 'POST /admin/v1/merchants' }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('bootstrap');
    expect(await row.textContent()).toContain('201');
    await page.locator('#audit-table tbody tr', { hasText: 'console.login' }).first().waitFor();
    await shot('audit.png');
  });

  it('logs out: the cookie is gone and the pages send the operator back to log in', async () => {
    await logIn();
    await tabTo('Log out');
    await Promise.all([page.waitForURL(url('/console/login')), page.keyboard.press('Enter')]);
    expect(await context.cookies()).toEqual([]);
    await page.goto(url('/console/tokens'));
    expect(page.url()).toBe(url('/console/login'));
  });
});
