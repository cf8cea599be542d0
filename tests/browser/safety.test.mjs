// Browser tests of "Exit this page" (hazard H5) and the severe-score outcome
// in Debian's Chromium. The button is a plain link without JavaScript; with
// it, the button and Shift pressed 3 times replace the page and its history
// entry (location.replace), so Back does not return to it. The neutral page
// is answered by the test itself: no request leaves the machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, newPage, axeAudit, axeCheck } from './browser-helpers.mjs';
import { startServer } from '../e2e/helpers.mjs';

const NEUTRAL = 'https://www.bbc.co.uk/weather';

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

// A page whose requests to the neutral site get a small local answer.
async function page(js) {
  const p = await newPage(browser, { javaScriptEnabled: js });
  p.setDefaultTimeout(15000);
  await p.context().route('https://www.bbc.co.uk/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><title>Weather</title><p>Weather</p>' }));
  return p;
}

for (const path of ['/urgent-help', '/wellbeing-check', '/parents-wellbeing', '/find-support?need=n1']) {
  test(`${path}: the exit button passes axe and is in view`, async () => {
    const p = await page(true);
    try {
      await axeCheck(p, srv.base + path);
      const button = p.getByRole('button', { name: 'Emergency Exit this page' });
      assert.ok(await button.isVisible());
      assert.ok(await p.getByText('Or press the Shift key 3 times').isVisible(), 'the shortcut is named with JavaScript');
    } finally {
      await p.context().close();
    }
  });
}

test('with JavaScript: the button replaces the page and its history entry', async () => {
  const p = await page(true);
  try {
    await p.goto(srv.base + '/');
    await p.goto(srv.base + '/urgent-help');
    const before = await p.evaluate(() => history.length);
    await p.getByRole('button', { name: 'Emergency Exit this page' }).click();
    await p.waitForURL(NEUTRAL);
    assert.equal(await p.evaluate(() => history.length), before, 'no new history entry');
    await p.goBack();
    assert.equal(new URL(p.url()).pathname, '/', 'Back skips the sensitive page');
  } finally {
    await p.context().close();
  }
});

test('with JavaScript: Shift pressed 3 times leaves the page the same way', async () => {
  const p = await page(true);
  try {
    await p.goto(srv.base + '/');
    await p.goto(srv.base + '/wellbeing-check/phq9');
    await p.keyboard.press('Shift');
    await p.keyboard.press('Shift');
    assert.equal(new URL(p.url()).pathname, '/wellbeing-check/phq9', 'two presses do nothing');
    await p.keyboard.press('Shift');
    await p.waitForURL(NEUTRAL);
    await p.goBack();
    assert.equal(new URL(p.url()).pathname, '/');
  } finally {
    await p.context().close();
  }
});

test('without JavaScript: the button is a link to the neutral page', async () => {
  const p = await page(false);
  try {
    await p.goto(srv.base + '/urgent-help');
    assert.equal(await p.getByText('Or press the Shift key 3 times').isVisible(), false);
    await p.getByRole('button', { name: 'Emergency Exit this page' }).click();
    await p.waitForURL(NEUTRAL);
    assert.equal(await p.title(), 'Weather');
  } finally {
    await p.context().close();
  }
});

test('a severe PHQ-9 score (20) shows the sooner step first, with and without JavaScript', async () => {
  for (const js of [true, false]) {
    const p = await page(js);
    try {
      await p.goto(srv.base + '/wellbeing-check/phq9');
      const answers = [3, 3, 3, 3, 3, 3, 2, 0, 0];
      for (let i = 0; i < answers.length; i++) {
        await p.locator(`input[name="phq9-${i + 1}"][value="${answers[i]}"]`).check();
      }
      await p.getByRole('button', { name: 'Continue' }).click();
      await p.waitForLoadState();
      const first = p.locator('.nhsuk-card--care').first();
      assert.match(await first.innerText(), /Speak to your GP or health visitor in the next few days/);
      assert.match(await first.innerText(), /Phone your GP surgery/);
      assert.equal(await p.locator('.nhsuk-card--care--urgent, .nhsuk-card--care--emergency').count(), 0);
      assert.doesNotMatch(p.url(), /phq9-/, 'no answers in the address');
      if (js) await axeAudit(p, 'severe PHQ-9 outcome');
    } finally {
      await p.context().close();
    }
  }
});
