// Browser tests of "My 1001 days" in Debian's Chromium: an axe audit (WCAG 2.2
// AA tags) of the form, a result reached by really filling in the form, and
// the error page; the print layout; and the same journey with JavaScript off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../e2e/helpers.mjs';
import { launchBrowser, newPage as openPage, axeAudit } from './browser-helpers.mjs';

let srv, browser;

before(async () => {
  srv = await startServer(['--quiet']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const newPage = (options = {}) => openPage(browser, options);

const submit = 'main form button[type="submit"]';

test('axe: the form, a result reached through it, and the error page', async () => {
  const page = await newPage();
  await page.goto(srv.base + '/my-1001-days');
  await axeAudit(page, 'form');

  await page.fill('#born-day', '1');
  await page.fill('#born-month', '9');
  await page.fill('#born-year', '2026');
  await page.fill('#gestation', '33+4');
  await page.click('summary:has-text("another day")');
  await page.fill('#today', '2026-11-20');
  await Promise.all([page.waitForURL(/born=2026-09-01/), page.click(submit)]);
  assert.match(page.url(), /\/my-1001-days\?born=2026-09-01&gestation=33%2B4&today=2026-11-20$/);
  assert.equal(await page.title(), 'Your 1001 days – firstdays');
  assert.match(await page.textContent('h1'), /Your baby is 11 weeks and 3 days old/);
  await axeAudit(page, 'result');
  assert.equal(await page.isVisible('button.app-print'), true, 'print button shown with JavaScript');
  await page.click('summary:has-text("Earlier events")');
  await axeAudit(page, 'result with earlier events open');

  await page.goto(srv.base + '/my-1001-days');
  await page.fill('#due-day', '30');
  await page.fill('#due-month', '2');
  await page.fill('#due-year', '2027');
  await page.click(submit);
  assert.match(await page.title(), /^Error: /);
  assert.match(await page.textContent('.nhsuk-error-summary'), /February 2027 has 28 days/);
  assert.equal(await page.inputValue('#due-day'), '30');
  await axeAudit(page, 'error page');
  await page.context().close();
});

test('the printed timeline leaves out navigation and buttons', async () => {
  const page = await newPage();
  await page.goto(srv.base + '/my-1001-days?due=2027-03-15&first_pregnancy=yes&today=2026-11-20');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('header.nhsuk-header'), false);
  assert.equal(await page.isVisible('button.app-print'), false);
  assert.equal(await page.isVisible('footer.nhsuk-footer'), false);
  assert.equal(await page.isVisible('h1'), true);
  assert.equal(await page.isVisible('#event-antenatal-28'), true);
  // Printing opens the earlier events so the paper copy is complete.
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await page.isVisible('#event-antenatal-booking'), true);
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await page.isVisible('#event-antenatal-booking'), false);
  await page.context().close();
});

test('JavaScript off: every question shows, the journey works, errors are announced', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(srv.base + '/my-1001-days');
  assert.equal(await page.isVisible('#due-day'), true);
  assert.equal(await page.isVisible('#born-day'), true);
  assert.equal(await page.isVisible('#first_pregnancy'), true);

  // A mistake: the error title and the typed values come back.
  await page.fill('#born-day', '1');
  await page.fill('#born-month', '9');
  await page.fill('#born-year', '2026');
  await page.fill('#gestation', '12+9');
  await page.click(submit);
  assert.match(await page.title(), /^Error: My 1001 days/);
  assert.match(await page.textContent('.nhsuk-error-summary'), /days go from 0 to 6/);
  assert.equal(await page.inputValue('#gestation'), '12+9');
  assert.equal(await page.inputValue('#born-month'), '9');

  await page.fill('#gestation', '33+4');
  await page.click('summary:has-text("another day")');
  await page.fill('#today', '2026-11-20');
  await page.click(submit);
  assert.match(page.url(), /born=2026-09-01&gestation=33%2B4/);
  assert.match(await page.textContent('h1'), /Your baby is 11 weeks and 3 days old/);
  assert.equal(await page.isVisible('button.app-print'), false, 'no print button without JavaScript');
  assert.equal(await page.isVisible('#event-screening-nipe'), false, 'earlier events folded');
  await page.click('summary:has-text("Earlier events")');
  assert.equal(await page.isVisible('#event-screening-nipe'), true);
  assert.ok(await page.isVisible('legend:has-text("Add these dates to your calendar")'));
  assert.ok(await page.isVisible('button:has-text("Download the calendar file")'));
  await page.click('a:has-text("Change your answers")');
  assert.equal(await page.inputValue('#born-year'), '2026');
  assert.equal(await page.inputValue('#gestation'), '33+4');
  await page.context().close();
});
