// language-first.test.js - the family's own language first (issue 11): the welcome shows every
// language of the office at once as a button in its own name and script; the first touch, on
// "العربية", leads to Arabic screens only, up to the results, on a page pinned to an office and
// on the website (where the office picker comes next, in Arabic), the idle warning included.
//
// "Arabic screens only", precisely: on every screen, every text node that is rendered (its
// element has a box, is not inside [hidden], a closed dialog or a .visually-hidden helper) and
// holds a Latin letter (A-Z, a-z, U+00C0-U+024F) must sit inside an isolated left-to-right
// island: its nearest ancestor with a dir attribute is not <html>, has the computed direction
// ltr and unicode-bidi isolate (what <bdi dir="ltr"> and [dir] get): a German proper name or
// gloss, an address, a phone number, an e-mail or a web address, or a language's own name.
// Everything else must be free of Latin letters, and <html> must say lang="ar" dir="rtl".
// Also: all buttons are visible at once (no scrolling) at 1080x1920 and 390x844, axe-core finds
// nothing on any of these screens.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'salzgitter';
const VIEWPORTS = h.VIEWPORTS.filter((v) => v.width === 1080 || v.width === 390);

/* Runs in the page: the rendered text nodes with Latin letters outside an LTR island. */
function latinOutsideIslands() {
  const LATIN = /[A-Za-z\u00c0-\u024f]/;
  const bad = [];
  let seen = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue;
    const e = n.parentElement;
    if (!text.trim() || !e) continue;
    if (e.closest('[hidden], .visually-hidden, dialog:not([open])') || !e.getClientRects().length)
      continue;
    if (getComputedStyle(e).visibility === 'hidden') continue;
    seen++;
    if (!LATIN.test(text)) continue;
    const island = e.closest('[dir]');
    if (island && island !== document.documentElement) {
      const cs = getComputedStyle(island);
      if (cs.direction === 'ltr' && /isolate|plaintext/.test(cs.unicodeBidi)) continue;
    }
    bad.push(JSON.stringify(text.trim().slice(0, 80)) + ' in <' + e.tagName.toLowerCase() +
      (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '') + '>');
  }
  return { bad, seen };
}

async function checkArabic(page, what) {
  assert.equal(await page.getAttribute('html', 'lang'), 'ar', what);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', what);
  const r = await page.evaluate(latinOutsideIslands);
  assert.ok(r.seen >= 3, what + ': only ' + r.seen + ' text nodes');
  assert.deepEqual(r.bad, [], what + ': Latin text outside an isolated island');
  await h.axe(page, what);
}

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

/* The welcome: one button per language, each in its own name, lang and dir, with its greeting,
 * all inside the viewport at once (no scrolling). */
async function checkWelcome(page, vp, count) {
  await h.welcomeTile(page, 'ar').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('#welcome-langs .tile-greet').length >= 13);
  const tiles = await page.locator('#welcome-langs button.tile').evaluateAll((bs) => bs.map((b) => {
    const r = b.getBoundingClientRect();
    return { lang: b.lang, dir: b.dir, name: b.querySelector('.tile-name').textContent,
      greet: (b.querySelector('.tile-greet') || {}).textContent, top: r.top, bottom: r.bottom,
      left: r.left, right: r.right };
  }));
  assert.equal(tiles.length, count, vp.name);
  const view = await page.evaluate(() => ({ w: innerWidth, h: innerHeight, y: scrollY }));
  for (const t of tiles) {
    assert.ok(t.top >= 0 && t.bottom <= view.h && t.left >= 0 && t.right <= view.w,
      vp.name + ': ' + t.lang + ' not visible at once: ' + JSON.stringify(t) + ' in ' + JSON.stringify(view));
  }
  const ar = tiles.find((t) => t.lang === 'ar');
  assert.deepEqual([ar.name, ar.dir, ar.greet], ['العربية', 'rtl', 'أهلاً وسهلاً']);
  const uk = tiles.find((t) => t.lang === 'uk');
  assert.deepEqual([uk.name, uk.dir, uk.greet], ['Українська', 'ltr', 'Ласкаво просимо']);
  const de = tiles.find((t) => t.lang === 'de');
  assert.deepEqual([de.name, de.greet], ['Deutsch', 'Willkommen']);
  await h.axe(page, vp.name + ' welcome');
}

/* From the first question to the results, checking every screen. */
async function toResults(page, what) {
  await h.waitStep(page, 'who');
  await checkArabic(page, what + ' question 1');
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await checkArabic(page, what + ' question 2');
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await checkArabic(page, what + ' question 3');
  await choose(page, 'daycare');
  await h.waitStep(page, 'results');
  await page.waitForFunction(() => document.querySelectorAll('#log article.offer').length > 0);
  await checkArabic(page, what + ' results');
  // German names inside the Arabic texts are isolated, not left to the bidi algorithm
  assert.ok(await page.locator('#log bdi.latin[dir="ltr"][lang="de"]').count() > 0, what);
}

h.run('browser.kiosk.language-first', async (args, defer) => {
  const server = await new h.Server(args, { config: { idle_timeout: 90, idle_countdown: 20 } }).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  for (const vp of VIEWPORTS) {
    h.step(vp.name + ': a page pinned to ' + TENANT + ': the first touch on العربية');
    {
      const page = await h.newPage(browser, server, { viewport: { width: vp.width, height: vp.height },
        reducedMotion: 'reduce', hasTouch: vp.width < 500, isMobile: vp.width < 500 });
      await page.clock.install();     // time flows; the idle warning comes when we jump ahead
      await page.goto(server.url('/k/' + TENANT));
      await checkWelcome(page, vp, 13);   // Einfache Sprache among them
      assert.equal(await page.locator('#offices').isVisible(), false);
      await h.welcomeTile(page, 'العربية').click();
      await toResults(page, vp.name + ' pinned');
      assert.equal((await h.waitFrame(page, 'sent', 'start')).lang, 'ar');
      // the idle warning, in Arabic
      await page.clock.fastForward(91000);
      await page.locator('#idle[open]').waitFor();
      assert.equal(await page.locator('#idle-title').textContent(), 'هل ما زلتم هنا؟');
      await checkArabic(page, vp.name + ' pinned idle warning');
      await page.locator('#idle-yes').click();
      h.checkNoProblems(page);
      await page.context().close();
    }

    h.step(vp.name + ': the website: العربية first, then the office picker in Arabic');
    {
      const page = await h.newPage(browser, server, { viewport: { width: vp.width, height: vp.height },
        reducedMotion: 'reduce', hasTouch: vp.width < 500, isMobile: vp.width < 500 });
      await page.clock.install();
      await page.goto(server.url('/'));
      await checkWelcome(page, vp, 13);   // the union of the offices' languages
      await h.welcomeTile(page, 'العربية').click();
      await page.locator('#offices:not([hidden])').waitFor();
      assert.equal(await page.locator('#offices-title').textContent(), 'يُرجى اختيار مكتب التعليم');
      const offices = await page.locator('#office-list button').allTextContents();
      assert.equal(offices.length, 5);
      assert.ok(offices.every((o) => /[\u0600-\u06ff]/.test(o)), offices.join(' | '));
      await checkArabic(page, vp.name + ' office picker');
      // the idle warning on the office picker, in Arabic
      await page.clock.fastForward(91000);
      await page.locator('#idle[open]').waitFor();
      await checkArabic(page, vp.name + ' office picker idle warning');
      await page.locator('#idle-yes').click();
      await page.locator('#office-list button', { hasText: 'سالزغيتر' }).click();
      await toResults(page, vp.name + ' website');
      const start = await h.waitFrame(page, 'sent', 'start');
      assert.deepEqual([start.tenant, start.lang], [TENANT, 'ar']);
      assert.match(await page.locator('#chat-title').textContent(), /سالزغيتر/);
      h.checkNoProblems(page);
      await page.context().close();
    }
  }
});
