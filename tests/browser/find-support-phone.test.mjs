// Browser tests of Find support as a health visitor uses it on a 390 px phone,
// on the demo directory: after a search the page opens at the results; a town,
// a postcode district and a language work; a service page shows its languages
// and has a print button (with JavaScript) and a print stylesheet (without);
// the share links carry the search. axe (WCAG 2.2 AA) audits each page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../e2e/helpers.mjs';
import { launchBrowser, newPage, axeAudit } from './browser-helpers.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

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

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript';

  test(`a search on a phone opens at the results (${mode})`, async () => {
    const page = await newPage(browser, { ...PHONE, javaScriptEnabled: js });
    try {
      await page.goto(srv.base + '/find-support');
      await page.getByLabel('Postcode or town').fill('Demoford');
      await page.getByLabel('Language (optional)').selectOption({ label: 'Polish' });
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/#results$/);
      const heading = page.locator('#results');
      assert.match(await heading.innerText(), /^\d+ services? within 10 miles of Demoford$/);
      // The results heading is at the top of the screen, not below the form.
      const top = await heading.evaluate((h) => h.getBoundingClientRect().top);
      assert.ok(top >= -1 && top < 200, `results heading at ${top} px from the top`);
      // Every result names Polish among its languages.
      const cards = page.locator('.app-results').first().locator('.app-result');
      const n = await cards.count();
      assert.ok(n >= 1);
      for (let i = 0; i < n; i++) assert.match(await cards.nth(i).innerText(), /Languages: .*Polish/);
      // A card is short: a phone screen shows more than one of them.
      const h = await cards.first().evaluate((c) => c.getBoundingClientRect().height);
      assert.ok(h < 844 / 1.5, `a card is ${h} px tall`);
      // Share this list keeps the search.
      assert.match(await page.locator('#share-link').inputValue(), /\/find-support\?postcode=Demoford&language=pl&distance=10$/);
      assert.equal(await page.getByRole('button', { name: 'Print this list' }).isVisible(), js);
      if (js) await axeAudit(page, 'results on a phone');
    } finally {
      await page.context().close();
    }
  });

  test(`a service page: languages, referral wording, print and share (${mode})`, async () => {
    const page = await newPage(browser, { ...PHONE, javaScriptEnabled: js });
    try {
      await page.goto(srv.base + '/find-support?postcode=DM1&need=n1');
      await page.getByRole('link', { name: 'Safe at Home outreach' }).click();
      await page.getByRole('heading', { level: 1, name: 'Safe at Home outreach' }).waitFor();
      const main = await page.locator('main').innerText();
      // Beside self-referral, professional referral does not read as "for professionals only".
      assert.doesNotMatch(main, /Professionals only/);
      assert.match(main, /A professional can also refer you/);
      assert.equal(await page.getByRole('button', { name: 'Print this page' }).isVisible(), js);
      // WhatsApp and text message links carry the phone, address and how to be referred.
      const wa = decodeURIComponent(await page.getByRole('link', { name: 'Share on WhatsApp' }).getAttribute('href'));
      assert.match(wa, /^https:\/\/wa\.me\/\?text=Safe at Home outreach\nPhone: 01632 960310\nAddress: .*DM1 1HS\nHow to be referred: You can refer yourself/);
      assert.match(wa, /\/find-support\/service\/[0-9a-f-]+$/);
      const sms = decodeURIComponent(await page.getByRole('link', { name: 'Share by text message' }).getAttribute('href'));
      assert.match(sms, /^sms:\?&body=Safe at Home outreach\nPhone: 01632 960310/);
      // On paper: no header, form, share links or buttons.
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('.app-share').isVisible(), false);
      assert.equal(await page.locator('header.nhsuk-header').isVisible(), false);
      await page.emulateMedia({ media: 'screen' });
      if (js) await axeAudit(page, 'service page');
      await page.goto(srv.base + '/find-support?search=Demoford+Community+Midwives');
      await page.getByRole('link', { name: 'Demoford Community Midwives' }).click();
      await page.getByRole('heading', { level: 1, name: 'Demoford Community Midwives' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Languages\s+English, Urdu/);
    } finally {
      await page.context().close();
    }
  });
}
