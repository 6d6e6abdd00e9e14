// screens.test.js - every screen at 1080x1920 (kiosk portrait), 1920x1080 (kiosk landscape) and
// 390x844 (phone): axe-core reports no violations, and a screenshot of each is kept in
// <build>/test-artifacts/screens/<viewport>-<screen>.png. Screens: welcome, office picker,
// language picker, question (Arabic and German), results (Arabic, German, high contrast with
// large text), print preview, talk to a person, the idle overlay, connection lost.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'salzgitter';

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

// The page runs with reduced motion (no smooth scrolling, no fading), so a screenshot never
// catches a screen half-way.
async function screen(page, args, vp, name, opts = {}) {
  await h.axe(page, vp.name + ' ' + name);
  await h.screenshot(page, args, vp.name + '-' + name, opts.fullPage);
}

async function oneViewport(browser, args, vp) {
  const server = await new h.Server(args).start();
  try {
    const page = await h.newPage(browser, server, { viewport: { width: vp.width, height: vp.height },
      reducedMotion: 'reduce', hasTouch: vp.width < 500, isMobile: vp.width < 500 });
    await page.clock.install();   // time flows; the idle overlay comes when the test says

    // a pinned office: its greeting cycles through its languages (the third is Arabic)
    await page.goto(server.url('/k/' + TENANT));
    await h.welcomeTile(page, 'ar').waitFor();
    await page.clock.runFor(6000);
    await page.waitForFunction(() => document.getElementById('greeting').lang === 'ar');
    assert.equal(await page.locator('#greeting').getAttribute('dir'), 'rtl');
    await screen(page, args, vp, '00-welcome-ar');

    await page.goto(server.url('/'));
    await h.welcomeTile(page, 'ar').waitFor();
    await screen(page, args, vp, '01-welcome');

    await h.welcomeTile(page, 'ar').click();     // the language first, then the office
    await page.locator('#offices:not([hidden])').waitFor();
    await screen(page, args, vp, '02-offices-ar');

    await page.locator('#office-list button', { hasText: 'سالزغيتر' }).click();
    await h.waitStep(page, 'who');
    await screen(page, args, vp, '04-question-ar');

    await choose(page, 'child');
    await h.waitStep(page, 'child_age');
    await choose(page, 'age-0-2');
    await h.waitStep(page, 'child_need_small');
    await choose(page, 'daycare');
    await h.waitStep(page, 'results');
    await page.waitForFunction(() => [...document.querySelectorAll('img.qr')].every((i) => i.complete));
    await screen(page, args, vp, '05-results-ar');
    await screen(page, args, vp, '05-results-ar-full', { fullPage: true });

    await page.locator('#language').click();
    await page.locator('#languages:not([hidden])').waitFor();
    await screen(page, args, vp, '03-languages');
    await page.locator('#language-list button[lang="de"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    await h.waitStep(page, 'results');
    await screen(page, args, vp, '06-results-de');

    await page.locator('#contrast').click();
    await page.locator('#large-text').click();
    await screen(page, args, vp, '07-results-contrast-large');
    await page.locator('#contrast').click();
    await page.locator('#large-text').click();   // 200 %
    await page.locator('#large-text').click();   // back to 100 %

    await page.emulateMedia({ media: 'print' });
    await h.screenshot(page, args, vp.name + '-08-print', true);
    await page.emulateMedia({ media: 'screen' });

    await page.locator('#talk').click();   // the results' fixed area
    await h.waitStep(page, 'contact');
    await screen(page, args, vp, '09-person');

    await page.locator('#restart').click();
    await page.waitForFunction(() => document.querySelectorAll('#log > li').length === 1);
    await h.waitStep(page, 'who');
    await screen(page, args, vp, '10-question-de');

    const idle = await page.evaluate(async () => (await (await fetch('/config.json')).json()).idle_timeout);
    await page.clock.runFor(idle * 1000 + 100);
    await page.locator('#idle').waitFor({ state: 'visible' });
    await screen(page, args, vp, '11-idle');
    await page.locator('#idle-yes').click();

    await server.stop();
    await page.locator('#lost').waitFor({ state: 'visible' });
    await screen(page, args, vp, '12-connection-lost');
    h.checkNoProblems(page);
    await page.context().close();
  } finally {
    await server.stop();
    server.cleanup();
  }
}

h.run('browser.screens', async (args, defer) => {
  const browser = await h.launch();
  defer(() => browser.close());
  for (const vp of h.VIEWPORTS) {
    h.step(vp.name);
    await oneViewport(browser, args, vp);
  }
  assert.ok(true);
});
