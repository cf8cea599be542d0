// pages.test.mjs: every page, checked the way a person and a validator see
// it. The Nu HTML Checker (vnu-jar, run with Java) reads the HTML of every
// page; in Chromium, the favicon each page links to loads, the header logo
// link's name contains its visible text (WCAG 2.5.3, axe's
// label-content-name-mismatch rule, which axe leaves off by default), and the
// timeline is styled on screen, short on a phone and short on paper.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer } from '../e2e/helpers.mjs';
import { launchBrowser, newPage as openPage } from './browser-helpers.mjs';

const require = createRequire(import.meta.url);
const VNU_JAR = String(require('vnu-jar')); // the path of vnu.jar

let srv, browser;
before(async () => {
  srv = await startServer(['--quiet']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const SERVICE = '/find-support/service/050a3da5-df1a-5bf0-8b9c-b8255ae97fde'; // demo: Young Parents Group
const PREGNANCY = '/my-1001-days?due=2027-03-15&first_pregnancy=yes&today=2026-11-20';

// Every kind of page, with the status it answers.
const PAGES = [
  ['/', 200], ['/urgent-help', 200], ['/infant-mental-health', 200], ['/first-1001-days', 200],
  ['/bonding', 200], ['/parents-wellbeing', 200], ['/accessibility', 200], ['/privacy', 200],
  ['/awareness-week', 200], ['/awareness-week/2025', 200], ['/resources', 200],
  ['/wellbeing-check', 200], ['/find-support', 200], ['/find-support?postcode=DM1+1AB', 200],
  [SERVICE, 200], ['/my-1001-days', 200], [PREGNANCY, 200],
  ['/my-1001-days?born=2026-09-01&gestation=33%2B4&babies=2&today=2026-11-20', 200],
  ['/my-1001-days?born=2024-07-01&today=2026-11-20', 200],
  ['/my-1001-days?due=2026-01-10&today=2026-11-20', 200],
  ['/my-1001-days?due=2027-03-15&for=partner&today=2026-11-20', 200],
  ['/my-1001-days?due=2027-02-30', 400], ['/no-such-page', 404],
];

test('the Nu HTML Checker finds no errors on any page', async () => {
  const java = spawnSync('java', ['-version']);
  assert.equal(java.status, 0, 'Java is needed to run the Nu HTML Checker (vnu.jar)');
  const dir = mkdtempSync(join(tmpdir(), 'firstdays-vnu-'));
  try {
    const files = [];
    for (const [path, status] of PAGES) {
      const r = await fetch(srv.base + path);
      assert.equal(r.status, status, path);
      const file = join(dir, `page-${files.length}.html`);
      writeFileSync(file, await r.text());
      files.push([file, path]);
    }
    const run = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', '--format', 'json',
      ...files.map(([f]) => f)], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const report = JSON.parse(run.stderr || '{"messages":[]}');
    const byFile = Object.fromEntries(files.map(([f, p]) => ['file:' + f, p]));
    const errors = report.messages.map((m) => `${byFile[m.url] ?? m.url}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(errors, [], 'Nu HTML Checker errors');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every page links a favicon that loads, and the logo link is named by its text', async () => {
  const page = await openPage(browser);
  for (const [path, status] of PAGES) {
    const r = await page.goto(srv.base + path);
    assert.equal(r.status(), status, path);
    const icons = await page.$$eval('link[rel~="icon"]', (ls) => ls.map((l) => l.href));
    assert.ok(icons.length > 0, `${path}: a favicon is linked`);
    for (const href of icons) {
      const icon = await page.request.get(href);
      assert.equal(icon.status(), 200, `${path}: ${href}`);
      assert.match(icon.headers()['content-type'], /^image\//, href);
    }
    const results = await new AxeBuilder({ page }).withRules(['label-content-name-mismatch']).analyze();
    assert.deepEqual(results.violations.map((v) => v.nodes.map((n) => n.target.join(' '))).flat(), [],
      `${path}: a link's name does not contain its visible text`);
  }
  // The name a screen reader says starts with what is on screen.
  await page.goto(srv.base + '/');
  const logo = page.locator('a.nhsuk-header__service-logo');
  const visible = (await logo.innerText()).replace(/\s+/g, ' ').trim();
  const snapshot = await page.accessibility?.snapshot?.({ root: await logo.elementHandle() });
  const name = snapshot?.name ?? (await logo.evaluate((a) => a.textContent.replace(/\s+/g, ' ').trim()));
  assert.ok(name.startsWith(visible), `"${name}" starts with "${visible}"`);
  await page.context().close();
});

test('a free service says Free once', async () => {
  const page = await openPage(browser);
  await page.goto(srv.base + SERVICE);
  const cost = page.locator('.nhsuk-summary-list__row', { has: page.locator('dt', { hasText: 'Cost' }) }).locator('dd');
  assert.equal((await cost.innerText()).trim(), 'Free');
  await page.context().close();
});

test('the timeline is styled on screen', async () => {
  const page = await openPage(browser);
  await page.goto(srv.base + PREGNANCY);
  await page.emulateMedia({ media: 'screen' });
  const style = await page.$eval('ol.app-timeline', (ol) => {
    const s = getComputedStyle(ol);
    return { border: s.borderLeftWidth, colour: s.borderLeftColor, list: s.listStyleType };
  });
  assert.deepEqual(style, { border: '4px', colour: 'rgb(0, 94, 184)', list: 'none' });
  const dot = await page.$eval('.app-timeline__item', (li) => getComputedStyle(li, '::before').borderTopWidth);
  assert.equal(dot, '4px');
  assert.equal(await page.$eval('.app-now', (s) => getComputedStyle(s).borderLeftWidth), '8px');
  await page.context().close();
});

test('on a phone, what is next and the keep options come first and the page is short', async () => {
  const page = await openPage(browser, { viewport: { width: 375, height: 800 } });
  await page.goto(srv.base + PREGNANCY);
  const top = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
  assert.ok(await top('#next') < 800, 'What is next is on the first screen');
  assert.ok(await top('#keep') < 1600, 'the keep options are on the second screen');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 7000, `the page is ${height} px tall on a phone`);
  // Later events fold away, and open with a tap.
  assert.equal(await page.isVisible('#event-vaccines-8-weeks'), false);
  await page.click('summary:has-text("Later events")');
  assert.equal(await page.isVisible('#event-vaccines-8-weeks'), true);
  await page.context().close();
});

test('the printed timeline is a few pages, with every event on it', async () => {
  const page = await openPage(browser);
  await page.goto(srv.base + PREGNANCY);
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.isVisible('#event-antenatal-booking'), true, 'earlier events printed');
  assert.equal(await page.isVisible('#event-vaccines-1-year'), true, 'later events printed');
  assert.equal(await page.isVisible('.app-timeline__explain'), false, 'explanations left off paper');
  const pdf = await page.pdf({ format: 'A4' });
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 4, `the timeline prints on ${pages} pages`);
  await page.context().close();
});
