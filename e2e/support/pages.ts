/** Page objects of the web app: what a test does on a screen, in the screen's own words. */
import type { Locator, Page } from 'playwright-core';

/** The app shell: the menu and the network status. */
export class Shell {
  constructor(readonly page: Page) {}

  /** The menu entries shown to the logged-in role (their hrefs). */
  async menu(): Promise<string[]> {
    return this.page.$$eval('#nav a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  }

  network(): Locator {
    return this.page.getByTestId('network-status');
  }
}

/** Beranda / Wilayah: cards, map, tables. */
export class DashboardScreen {
  constructor(readonly page: Page) {}

  async waitPainted(): Promise<void> {
    await this.page.getByTestId('cards').waitFor();
    await this.page.locator('[data-testid=choropleth] path').first().waitFor();
  }

  /** Clicks the desa on the map. */
  async clickDesa(code: string): Promise<void> {
    // Small desa sit under their neighbours' outlines: reach it as a keyboard user does (focus + Enter).
    const path = this.page.locator(`[data-testid=choropleth] path[data-code="${code}"]`);
    await path.focus();
    await path.press("Enter");
  }
}

/** Hari posyandu: one entry form per child. */
export class PosyanduDayScreen {
  constructor(readonly page: Page) {}

  entry(childName: string): Locator {
    return this.page.getByTestId(`entry-${childName}`);
  }

  /** The names of the children listed. */
  async childNames(): Promise<string[]> {
    return this.page.$$eval('form.entry h3', (hs) => hs.map((h) => h.textContent ?? ''));
  }

  /** Types the values of one child (comma decimals, as a kader types them). */
  async type(childName: string, v: { weight?: string; lenhei?: string; muac?: string }): Promise<Locator> {
    const e = this.entry(childName);
    if (v.weight !== undefined) await e.locator('input[name=weight]').fill(v.weight);
    if (v.lenhei !== undefined) await e.locator('input[name=lenhei]').fill(v.lenhei);
    if (v.muac !== undefined) await e.locator('input[name=muac]').fill(v.muac);
    return e;
  }

  /** Presses Enter in the weight field (the keyboard path) and waits for the entry to be recorded. */
  async saveWithEnter(childName: string): Promise<void> {
    const e = this.entry(childName);
    await e.locator('input[name=weight]').press('Enter');
    await e.locator('.badge-good').waitFor();
  }

  outbox(): Locator {
    return this.page.getByTestId('outbox');
  }
}
