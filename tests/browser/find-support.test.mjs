// Browser tests of /find-support in Debian's Chromium: an axe audit (WCAG 2.2
// AA tags) of the form, the results, the error state and a service page, and
// the same journeys again with JavaScript switched off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { startServer } from '../e2e/helpers.mjs';

const FIXTURE = resolve('tests/fixtures/directory');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

let srv;
let browser;
before(async () => {
  srv = await startServer([], { env: { FIRSTDAYS_DIRECTORY_FILES: FIXTURE } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

// axe runs in the page, so the audit is made in the JavaScript pass; the
// JavaScript-off pass checks that the journey itself works.
async function audit(page, label) {
  if (!page.context().__js) return;
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  const problems = r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(problems, [], `${label}: accessibility problems`);
}

// A page in a new context; the context is closed after fn.
async function withPage(js, fn) {
  const ctx = await browser.newContext({ javaScriptEnabled: js });
  ctx.__js = js;
  const page = await ctx.newPage();
  page.setDefaultTimeout(15000);
  try {
    await fn(page);
  } finally {
    await ctx.close();
  }
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript';

  test(`search by postcode and need, then open a service (${mode})`, () => withPage(js, async (page) => {
    await page.goto(srv.base + '/find-support');
    await audit(page, 'form');
    await page.getByLabel('Postcode').fill('sw1a 1aa');
    await page.getByLabel('What do you need help with?').selectOption({ label: 'Perinatal mental health' });
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/postcode=sw1a/);
    // A sensitive need travels as a neutral code, never its name (hazard H5).
    assert.match(page.url(), /need=n2/);
    assert.doesNotMatch(page.url(), /perinatal|mental/);
    await assert.doesNotReject(page.getByRole('heading', { name: /1 service within 10 miles of SW1A 1AA/ }).waitFor());
    await assert.doesNotReject(page.getByRole('heading', { name: 'Support by phone or online' }).waitFor());
    await audit(page, 'results');
    assert.equal(await page.getByLabel('Postcode').inputValue(), 'sw1a 1aa');
    await page.getByRole('link', { name: 'Perinatal Mental Health Team', exact: true }).click();
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'Perinatal Mental Health Team' }).waitFor());
    await audit(page, 'service page');
    await page.getByRole('link', { name: 'Back to results' }).click();
    await page.waitForURL(/\/find-support\?postcode=SW1A%201AA/);
  }));

  test(`a wrong postcode shows an error summary and keeps the form (${mode})`, () => withPage(js, async (page) => {
    await page.goto(srv.base + '/find-support');
    await page.getByLabel('Postcode').fill('SW1A 9ZZ');
    await page.getByLabel('Pregnancy').check();
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/postcode=SW1A/);
    assert.match(await page.title(), /^Error: /);
    const summary = page.locator('.nhsuk-error-summary');
    assert.match(await summary.innerText(), /We cannot find the postcode SW1A 9ZZ/);
    assert.equal(await page.getByLabel('Postcode').inputValue(), 'SW1A 9ZZ');
    assert.equal(await page.getByLabel('Pregnancy').isChecked(), true);
    await audit(page, 'error');
    await summary.getByRole('link').click();
    if (js) assert.equal(await page.evaluate(() => document.activeElement?.id), 'postcode');
  }));
}
