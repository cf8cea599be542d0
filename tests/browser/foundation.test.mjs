// Browser tests of the pages the foundation serves (home, urgent help, the
// error pages) in Debian's Chromium: an axe audit with the WCAG 2.2 AA tags,
// and a pass with JavaScript off. Capabilities add their own files beside this.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer } from '../e2e/helpers.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const PAGES = ['/', '/urgent-help', '/no-such-page', '/%zz'];

let srv;
let browser;
before(async () => {
  srv = await startServer(['--quiet', '--set', 'contact_phone=01234 567890', '--set', 'contact_email=hello@example.org']);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

for (const path of PAGES) {
  test(`axe finds no WCAG 2.2 AA violations on ${path}`, async () => {
    const ctx = await browser.newContext({ locale: 'en-GB' });
    const page = await ctx.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of 40\d/.test(m.text())) errors.push(m.text()); });
    await page.goto(srv.base + path);
    const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
    const found = r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
    assert.deepEqual(found, [], `violations on ${path}`);
    const ran = [...r.passes, ...r.violations, ...r.inapplicable, ...r.incomplete].map((x) => x.id);
    assert.ok(ran.includes('target-size'), 'the WCAG 2.2 target-size rule ran');
    assert.deepEqual(errors, [], 'no script errors and no CSP violations');
    await ctx.close();
  });
}

test('with JavaScript off every page still has its header, skip link and urgent help', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const path of PAGES) {
    const resp = await page.goto(srv.base + path);
    assert.ok(resp.status() < 500, `${path}: ${resp.status()}`);
    assert.ok(await page.locator('header.nhsuk-header').isVisible(), `${path}: header`);
    assert.ok(await page.locator('a[href="/urgent-help"]').first().isVisible(), `${path}: urgent help link`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('href'));
    assert.equal(focused, '#maincontent', `${path}: the first Tab reaches the skip link`);
    assert.equal(await page.locator('#maincontent').count(), 1);
  }
  await ctx.close();
});

test('the error pages say what went wrong in the page title', async () => {
  const page = await browser.newPage();
  await page.goto(srv.base + '/no-such-page');
  assert.match(await page.title(), /Page not found/);
  await page.goto(srv.base + '/%zz');
  assert.match(await page.title(), /problem with the request/);
  await page.close();
});

test('the home page fits a small phone screen without sideways scrolling', async () => {
  const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  await page.goto(srv.base + '/');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await ctx.close();
});
