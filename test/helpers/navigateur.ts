/**
 * Headless Chromium (Debian's package) driven by playwright-core, for the console's tests: no browser
 * download, the flags this machine kind needs, screenshots of each page into test-artefacts/ (not
 * committed), and an axe-core check of the page's accessibility.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RACINE } from './passerelle';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTEFACTS = path.join(RACINE, 'test-artefacts', 'console');

export function lancerChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** A screenshot of the whole page, named after the page it shows; returns the file. */
export async function capture(page: Page, nom: string): Promise<string> {
  mkdirSync(ARTEFACTS, { recursive: true });
  const fichier = path.join(ARTEFACTS, `${nom}.png`);
  await page.screenshot({ path: fichier, fullPage: true });
  return fichier;
}

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core run in the page (WCAG 2.x A and AA rules): the serious and critical violations. */
export async function violationsGraves(page: Page): Promise<Violation[]> {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: source });
  // The function runs in the page, where `axe` is a global the script above defined.
  const r = (await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: Violation[] }> } }).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] },
    }),
  )) as { violations: Violation[] };
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
