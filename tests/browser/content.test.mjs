// Browser tests of the content pages: an axe audit (WCAG 2.2 AA) of every
// page, then a pass with JavaScript switched off that loads each page and uses
// the resources filter form.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../e2e/helpers.mjs';
import { launchBrowser, newPage, axeCheck } from './browser-helpers.mjs';

const PAGES = [
  '/', '/urgent-help', '/infant-mental-health', '/first-1001-days', '/bonding',
  '/parents-wellbeing', '/accessibility', '/privacy', '/awareness-week',
  '/awareness-week/2016', '/awareness-week/2018', '/awareness-week/2021', '/awareness-week/2026',
  '/resources', '/resources?stage=pregnancy', '/resources?stage=1-2-years&topic=bonding',
];

let srv;
let browser;
before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

test('every content page passes axe (WCAG 2.2 AA)', async () => {
  const page = await newPage(browser);
  for (const path of PAGES) await axeCheck(page, srv.base + path);
  await page.context().close();
});

test('error pages pass axe too', async () => {
  const page = await newPage(browser);
  await axeCheck(page, srv.base + '/resources?stage=newborn', { status: 400 });
  await axeCheck(page, srv.base + '/awareness-week/1999', { status: 404 });
  await axeCheck(page, srv.base + '/awareness-week/20x6', { status: 400 });
  await page.context().close();
});

test('a small screen passes axe on the busiest pages', async () => {
  const page = await newPage(browser, { viewport: { width: 320, height: 640 } });
  for (const path of ['/awareness-week/2021', '/resources', '/bonding']) await axeCheck(page, srv.base + path);
  await page.context().close();
});

test('at 320 pixels wide no page scrolls sideways (WCAG 1.4.10 reflow)', async () => {
  const page = await newPage(browser, { viewport: { width: 320, height: 640 } });
  for (const path of [...PAGES, '/resources?stage=' + 'z'.repeat(80)]) {
    await page.goto(srv.base + path);
    const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    assert.ok(scroll <= client, `${path}: ${scroll}px wide in a ${client}px window`);
  }
  await page.context().close();
});

test('with JavaScript off every page loads with its heading and the urgent-help link', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  for (const path of PAGES) {
    const r = await page.goto(srv.base + path);
    assert.equal(r.status(), 200, path);
    assert.equal(await page.locator('h1').count(), 1, `${path}: one h1`);
    assert.ok(await page.locator('a[href="/urgent-help"]').count() > 0, `${path}: urgent help link`);
    assert.ok(await page.locator('main#maincontent').isVisible(), `${path}: main content`);
  }
  await page.context().close();
});

test('with JavaScript off the resources filter form works', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(srv.base + '/resources');
  const all = await page.locator('.app-resource').count();
  assert.ok(all >= 10);

  await page.selectOption('#stage', 'pregnancy');
  await page.selectOption('#topic', 'mental-health');
  await Promise.all([page.waitForURL(/stage=pregnancy/), page.click('button[type=submit]')]);
  const url = new URL(page.url());
  assert.equal(url.pathname, '/resources');
  assert.equal(url.searchParams.get('topic'), 'mental-health');
  const shown = await page.locator('.app-resource').count();
  assert.ok(shown > 0 && shown < all, `filtered list (${shown} of ${all})`);
  assert.match(await page.locator('#results').innerText(), new RegExp(`^${shown} resources? for Pregnancy, about Mental health`));
  assert.equal(await page.locator('#stage').inputValue(), 'pregnancy', 'the form keeps the choice');
  assert.equal(await page.locator('#topic').inputValue(), 'mental-health');

  // Back to everything with "Any stage" and "Any topic".
  await page.selectOption('#stage', '');
  await page.selectOption('#topic', '');
  await Promise.all([page.waitForURL(/stage=&topic=$/), page.click('button[type=submit]')]);
  assert.equal(await page.locator('.app-resource').count(), all);
  await page.context().close();
});

test('with JavaScript off a bad filter shows the error and the form recovers', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  const r = await page.goto(srv.base + '/resources?stage=newborn&topic=bonding');
  assert.equal(r.status(), 400);
  assert.match(await page.title(), /^Error: /);
  assert.match(await page.locator('.nhsuk-error-summary').innerText(), /There is no stage called "newborn"/);
  assert.equal(await page.locator('#topic').inputValue(), 'bonding', 'the valid choice is kept');
  await page.selectOption('#stage', '0-12-months');
  const [resp] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  assert.equal(resp.status(), 200);
  assert.doesNotMatch(await page.title(), /^Error/);
  assert.ok(await page.locator('.app-resource').count() > 0);
  await page.context().close();
});

test('with JavaScript off the awareness pages link every year', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false });
  await page.goto(srv.base + '/awareness-week');
  for (let y = 2016; y <= 2026; y++) {
    await page.click(`a[href="/awareness-week/${y}"] >> nth=0`);
    assert.equal(new URL(page.url()).pathname, `/awareness-week/${y}`);
    assert.match(await page.locator('h1').innerText(), new RegExp(`Awareness Week ${y}`));
    await page.goBack();
  }
  await page.context().close();
});
