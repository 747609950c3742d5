import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots for reviewers (gitignored). */
export const SCREENSHOTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

/**
 * Whether browser tests run: always under CI (a missing browser then fails them, loudly);
 * elsewhere only when Chromium is installed, with a warning when it is not.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return true;
  process.stderr.write(
    `\n!!! ${CHROMIUM} is missing: the dashboard's browser tests are SKIPPED (install chromium; under CI=true they fail instead)\n\n`,
  );
  return false;
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}
