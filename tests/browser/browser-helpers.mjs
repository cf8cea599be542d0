// browser-helpers.mjs: shared set-up for the browser tests. Launches Debian's
// Chromium through playwright-core, runs axe with the WCAG 2.2 AA tags, and
// opens pages with JavaScript switched off. Start the server itself with
// startServer() from ../e2e/helpers.mjs.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Launch headless Chromium. Close it with browser.close().
export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new page in its own context. options go to browser.newContext(), for
// example { javaScriptEnabled: false } or a viewport. Close with page.context().close().
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  return context.newPage();
}

// One line per axe violation: rule, impact, help and the elements affected.
export function formatViolations(violations) {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ` +
    v.nodes.map((n) => n.target.join(' ')).join('\n    '));
}

// Run axe with the WCAG 2.2 AA tags on the page as it is now (label names it
// in messages). Fails on any violation, and checks that the wcag22aa
// target-size rule (2.5.8) actually ran. Returns the axe results.
export async function axeAudit(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const ran = [...results.passes, ...results.violations, ...results.incomplete,
    ...results.inapplicable].some((r) => r.id === 'target-size');
  assert.ok(ran, `${label}: the target-size rule (WCAG 2.2, 2.5.8) did not run`);
  assert.deepEqual(formatViolations(results.violations), [], `${label}: accessibility violations`);
  return results;
}

// Load url and run axe with the WCAG 2.2 AA tags. Fails on any violation, and
// checks that the wcag22aa target-size rule (2.5.8) actually ran. Returns the
// axe results. Pass { status } to expect a status other than 200.
export async function axeCheck(page, url, { status = 200 } = {}) {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert.equal(response.status(), status, `${url}: HTTP status`);
  return axeAudit(page, url);
}
