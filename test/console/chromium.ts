import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install -y chromium`), driven headless by
 * playwright-core: no browser download. CHROMIUM_PATH points elsewhere.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

/**
 * `describe` when Chromium is there or CI is set (where a missing browser must
 * fail the run: see requireChromium), `describe.skip` with a clear message on
 * a developer's machine without it.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (!HAVE_CHROMIUM && !IN_CI) {
    console.warn(`SKIPPED "${name}": no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`);
    describe.skip(name, fn);
    return;
  }
  describe(name, fn);
}

export function requireChromium(): void {
  if (!HAVE_CHROMIUM) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it (apt-get install -y chromium in .ci/run)`);
}

export interface Browser {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium with a profile of its own (deleted on close), in UTC with an English locale. */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'acqp-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 860 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
