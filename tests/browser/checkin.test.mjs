// Browser tests of the wellbeing check in Debian's Chromium: an axe audit
// (WCAG 2.2 AA tags) of the start, question, error, help-question and outcome
// pages reached by really filling in the forms, and a full pass through the
// check with JavaScript switched off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../e2e/helpers.mjs';
import { launchBrowser, newPage as openPage, axeAudit } from './browser-helpers.mjs';

let srv, browser;

before(async () => {
  srv = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await srv?.stop();
});

const newPage = (options = {}) => openPage(browser, options);

// Choose the option with value v for each named radio group (by clicking its label).
async function choose(page, answers) {
  for (const [name, v] of Object.entries(answers)) {
    await page.check(`input[name="${name}"][value="${v}"]`);
  }
}

const continueButton = 'main button[type="submit"]:has-text("Continue")';

test('axe: start, question, error, help question and every outcome level', async () => {
  const page = await newPage();
  await page.goto(srv.base + '/wellbeing-check');
  await axeAudit(page, 'start');
  await page.goto(srv.base + '/wellbeing-check?who=dad');
  await axeAudit(page, 'start (dad)');

  await page.goto(srv.base + '/wellbeing-check/feeling');
  await axeAudit(page, 'question page');
  await page.click(continueButton);
  assert.match(await page.title(), /^Error: /);
  await axeAudit(page, 'error page');

  // Positive Whooley: the help question page, then its error, then the outcome.
  await choose(page, { 'whooley-1': 1, 'whooley-2': 0, 'gad2-1': 0, 'gad2-2': 0 });
  await page.click(continueButton);
  assert.match(await page.title(), /^Is this something you feel you need or want help with/);
  await axeAudit(page, 'help question');
  await page.click(continueButton);
  assert.match(await page.title(), /^Error: /);
  await axeAudit(page, 'help question error');
  await choose(page, { 'whooley-help': 0 });
  await page.click(continueButton);
  assert.match(await page.title(), /^Talk to someone/);
  await axeAudit(page, 'non-urgent outcome');

  await page.goto(srv.base + '/wellbeing-check/gad7');
  await axeAudit(page, 'GAD-7 questions');
  await choose(page, Object.fromEntries([0, 0, 0, 0, 0, 0, 0].map((v, i) => [`gad7-${i + 1}`, v])));
  await page.click(continueButton);
  assert.match(await page.title(), /^Thank you for answering/);
  await axeAudit(page, 'no-care outcome');

  await page.goto(srv.base + '/wellbeing-check/phq9');
  await axeAudit(page, 'PHQ-9 questions');
  await choose(page, { 'phq9-9': 1 });
  await page.click(continueButton);
  assert.match(await page.title(), /^Error: /);
  await axeAudit(page, 'PHQ-9 error page with urgent help');
  await choose(page, Object.fromEntries([1, 1, 0, 0, 0, 0, 0, 0].map((v, i) => [`phq9-${i + 1}`, v])));
  await page.click(continueButton);
  assert.match(await page.title(), /^Please get support now/);
  await axeAudit(page, 'urgent outcome');

  await page.goto(srv.base + '/wellbeing-check/epds');
  await axeAudit(page, 'EPDS not available');
  await page.context().close();
});

test('JavaScript off: a full check from the start page to an urgent outcome', async () => {
  const page = await newPage({ javaScriptEnabled: false });
  await page.goto(srv.base + '/wellbeing-check');
  // Choose the partner wording, then start.
  await page.check('input[name="who"][value="partner"]');
  await page.click('button:has-text("Use these words")');
  assert.match(page.url(), /\?who=partner$/);
  await page.click('a:has-text("Start now")');
  assert.match(page.url(), /\/wellbeing-check\/feeling\?who=partner$/);

  // Continue with nothing chosen: the error summary, the "Error: " title.
  await page.click(continueButton);
  assert.match(await page.title(), /^Error: How are you feeling\?/);
  assert.equal(await page.locator('.nhsuk-error-summary li').count(), 4);
  // An answer given before the error is kept.
  await choose(page, { 'whooley-1': 1 });
  await page.click(continueButton);
  assert.equal(await page.isChecked('input[name="whooley-1"][value="1"]'), true);
  assert.equal(await page.locator('.nhsuk-error-summary li').count(), 3);
  await choose(page, { 'whooley-2': 1, 'gad2-1': 2, 'gad2-2': 2 });
  await page.click(continueButton);
  assert.doesNotMatch(page.url(), /whooley|gad2|\?/, 'answers never in the address');

  // The help question, then the outcome offering PHQ-9 and GAD-7.
  assert.match(await page.title(), /^Is this something you feel you need or want help with/);
  await choose(page, { 'whooley-help': 0 });
  await page.click(continueButton);
  assert.match(await page.title(), /^Talk to someone about how you are feeling/);
  const main = await page.locator('main').innerText();
  assert.match(main, /NHS Talking Therapies/);
  assert.match(main, /Your summary/);
  assert.match(main, /co-parent|midwife or health visitor who sees your family/);

  // Follow the PHQ-9 offer and answer with question 9 above 0.
  await page.click('a:has-text("Answer 9 questions about your mood")');
  assert.match(page.url(), /\/wellbeing-check\/phq9\?who=partner$/);
  await choose(page, Object.fromEntries([2, 2, 1, 1, 1, 0, 0, 0, 1].map((v, i) => [`phq9-${i + 1}`, v])));
  await page.click(continueButton);
  assert.match(await page.title(), /^Please get support now/);
  // Urgent help is the first thing in main, before the summary.
  const text = await page.locator('main').innerText();
  const first = Math.max(text.indexOf('Call 999'), text.indexOf('Call 111'), text.indexOf('116 123'));
  assert.ok(text.indexOf('Call 999') >= 0 && text.indexOf('116 123') >= 0);
  assert.ok(first < text.indexOf('Your summary'));
  assert.match(text, /Total score\s+8 out of 27/);
  assert.doesNotMatch(page.url(), /phq9-/);

  // The postcode form submits to find-support by GET.
  await page.fill('#postcode', 'LS1 1AB');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Find support")')]);
  assert.match(page.url(), /\/find-support\?need=n2&postcode=LS1\+1AB$/);
  await page.context().close();
});

test('print: the summary and care cards are printed, forms and offers are not', async () => {
  const page = await newPage();
  await page.goto(srv.base + '/wellbeing-check/gad7');
  await choose(page, Object.fromEntries([2, 2, 2, 2, 2, 2, 2].map((v, i) => [`gad7-${i + 1}`, v])));
  await page.click(continueButton);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.app-checkin-summary'), true);
  assert.equal(await page.isVisible('.nhsuk-card--care'), true);
  assert.equal(await page.isVisible('#postcode'), false);
  assert.equal(await page.isVisible('.nhsuk-header'), false);
  await page.context().close();
});
