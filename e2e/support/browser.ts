/**
 * The browser side of the e2e tests: Debian's Chromium driven by playwright-core (no downloaded
 * browser), console-error collection, axe-core checks and screenshots for the user guide.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from './web-build.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(ROOT, 'docs', 'img');

/** Launches headless Chromium (`--no-sandbox` only when running as root, where the sandbox cannot start). */
export function launchBrowser(): Promise<Browser> {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: root ? ['--no-sandbox'] : [] });
}

/** Console errors and uncaught page errors seen in a context (the tests expect none). */
export interface ConsoleLog {
  errors: string[];
}

/** Starts watching a page's console and page errors. */
export function watchConsole(page: Page, log: ConsoleLog, ignore: readonly RegExp[] = []): void {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (!ignore.some((r) => r.test(text))) log.errors.push(`${page.url()}: ${text}`);
  });
  page.on('pageerror', (err) => log.errors.push(`${page.url()}: ${err.message}`));
}

/** A new context (own cookies, own IndexedDB) with a page; `viewport` 360 wide for the phone. */
export async function newSession(browser: Browser, baseURL: string, log: ConsoleLog, options: { phone?: boolean; ignore?: readonly RegExp[] } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.phone ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    acceptDownloads: true,
    isMobile: options.phone ?? false,
    hasTouch: options.phone ?? false,
  });
  const page = await context.newPage();
  watchConsole(page, log, options.ignore);
  return { context, page };
}

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }

/** Runs axe-core on the page; returns the serious and critical violations (the tests expect none). */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly blocks inline tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** Saves a screenshot for the user guide under docs/img/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage, animations: 'disabled' });
}

/** Logs in through the Masuk page and waits for the app shell. */
export async function login(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/masuk');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
}
