// take-home.test.js - "take it home on the phone" (docs/kiosk.md) in real headless Chromium:
// on the kiosk at 1080x1920 an Arabic conversation reaches its results; the QR code of the
// take-home element is screenshotted and decoded with zbarimg (Debian's zbar-tools) to a URL,
// which a second browser context (a phone, 390x844) opens: the same offers (ids and titles), in
// Arabic, right to left. Every QR code on screen (offers, the phone link, the office's contact)
// shows at least 6 CSS px per module (rendered size / module count of its SVG). "Finish" with
// "also delete the phone link" makes the link fail on the phone; with a 2-second take_home_ttl a
// new link fails once its expiry has passed (the page says so in Arabic). axe-core: 0 violations.
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const h = require('./harness.js');

const TENANT = 'salzgitter';

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

/* Arabic, for a child of 3 to 5, learning German: the results step. */
async function arabicResults(page, server) {
  await h.startConversation(page, server, TENANT, 'العربية');
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-3-5');
  await h.waitStep(page, 'child_need_kita');
  await choose(page, 'language');
  return h.waitStep(page, 'results');
}

/* [{id, title}] of the offer cards on a page. */
async function offers(page) {
  return page.$$eval('article.offer h2', (hs) => hs.map((x) => ({
    id: x.id.replace(/^offer-\d+-/, ''), title: x.textContent })));
}

/* CSS px per module of every loaded QR image matching sel: its content box / the modules of
 * its SVG (viewBox, quiet zone included). */
async function pxPerModule(page, sel) {
  return page.$$eval(sel, async (imgs) => Promise.all(imgs.map(async (img) => {
    const svg = await (await fetch(img.src, { cache: 'no-store' })).text();
    const n = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)[1]);
    // the used width of the content box (padding and border of the white frame aside)
    const cs = getComputedStyle(img);
    const w = cs.boxSizing === 'border-box'
      ? parseFloat(cs.width) - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
      : parseFloat(cs.width);
    return w / n;
  })));
}

/* The take-home QR code, screenshotted and decoded by zbarimg. */
async function decodeQr(page, args, name) {
  const img = page.locator('#take-home-qr');
  await img.waitFor();
  await page.waitForFunction(() => {
    const i = document.getElementById('take-home-qr');
    return i && i.complete && i.naturalWidth > 0;
  });
  await img.scrollIntoViewIfNeeded();
  const file = require('node:path').join(args.screens, name + '.png');
  await img.screenshot({ path: file });
  const out = execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
  return out;
}

async function phone(browser, server, url) {
  const page = await h.newPage(browser, server, { viewport: { width: 390, height: 844 },
    locale: 'de-DE', isMobile: true, hasTouch: true });
  await page.goto(url);
  return page;
}

h.run('take-home', async (args, onCleanup) => {
  const server = new h.Server(args);
  onCleanup(() => server.cleanup());
  await server.start();
  onCleanup(() => server.stop());
  // the phone reaches the server at the kiosk address: that is its public_url here
  const origin = new URL(server.urls.kiosk).origin;
  server.extra = { public_url: origin };
  await server.restart();
  const browser = await h.launch();
  onCleanup(() => browser.close());

  h.step('kiosk, Arabic, 1080x1920: results with one QR code for the phone');
  const kiosk = await h.newPage(browser, server);
  await arabicResults(kiosk, server);
  const frame = await h.waitFrame(kiosk, 'received', 'take_home');
  const sent = kiosk.socketFrames.filter((f) => f.dir === 'sent' && f.msg.type === 'take_home');
  assert.equal(sent.length, 1, 'one take_home request per results step');
  const url = await decodeQr(kiosk, args, 'take-home-qr-ar');
  assert.equal(url, frame.url, 'the QR code holds the link');
  assert.ok(url.startsWith(origin + '/t/'), url);
  assert.ok(url.length - (origin + '/t/').length >= 64, 'a long, unguessable link: ' + url);
  const box = kiosk.locator('#take-home');
  assert.equal(await box.getAttribute('lang'), 'ar');
  assert.equal(await box.getAttribute('dir'), 'rtl');
  assert.equal(await kiosk.locator('#take-home h2').textContent(), frame.words.title);
  assert.equal(frame.words.title, 'النتائج على هاتفكم');
  assert.equal(await kiosk.locator('#take-home-revoke').isChecked(), false, 'the link stays by default');
  const kioskOffers = await offers(kiosk);
  assert.ok(kioskOffers.length >= 1, 'offers on the kiosk');
  for (const [what, sel] of [['phone link', '#take-home-qr'], ['offers', 'article.offer img.qr']]) {
    const px = await pxPerModule(kiosk, sel);
    assert.ok(px.length >= 1, what);
    for (const p of px) assert.ok(p >= 6, what + ' QR: ' + p.toFixed(5) + ' px per module');
  }
  await h.axe(kiosk, 'kiosk results with the phone link (ar)');
  await h.screenshot(kiosk, args, 'take-home-kiosk-ar-1080x1920', true);

  h.step('phone, 390x844: the same offers in Arabic, right to left');
  const ph = await phone(browser, server, url);
  await ph.locator('article.offer').first().waitFor();
  assert.deepEqual(await offers(ph), kioskOffers);
  assert.equal(await ph.getAttribute('html', 'lang'), 'ar');
  assert.equal(await ph.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await ph.locator('#chat-title').textContent(), frame.words.page);
  assert.equal(await ph.locator('#back').isVisible(), false, 'no conversation controls');
  assert.equal(ph.socketFrames.length, 0, 'the phone page opens no socket');
  assert.ok(await ph.locator('.contact-card').count() === 1, 'the office contact');
  await h.axe(ph, 'the phone link page (ar)');
  await h.screenshot(ph, args, 'take-home-phone-ar-390x844', true);
  h.checkNoProblems(ph);

  h.step('the contact card\'s QR code, >= 6 px per module');
  await kiosk.locator('#talk').click();     // the results' fixed area: talk to a person
  await h.waitStep(kiosk, 'contact');
  await kiosk.waitForFunction(() => [...document.querySelectorAll('.contact-card img.qr')]
    .some((i) => i.complete && i.naturalWidth > 0));
  const cpx = await pxPerModule(kiosk, '#log > li:last-child .contact-card img.qr');
  assert.equal(cpx.length, 1);
  assert.ok(cpx[0] >= 6, 'contact QR: ' + cpx[0].toFixed(2) + ' px per module');
  assert.equal(await kiosk.locator('#take-home').isVisible(), false, 'only on results');
  await h.axe(kiosk, 'kiosk contact with its QR code (ar)');

  h.step('Finish with "also delete the phone link": the phone sees it is gone');
  const kiosk2 = await h.newPage(browser, server);
  await arabicResults(kiosk2, server);
  const f2 = await h.waitFrame(kiosk2, 'received', 'take_home');
  const url2 = await decodeQr(kiosk2, args, 'take-home-qr-ar-2');
  assert.equal(url2, f2.url);
  await kiosk2.locator('#take-home-revoke').check();
  await kiosk2.locator('#talk').click();
  await h.waitStep(kiosk2, 'contact');
  const before = kiosk2.socketFrames.length;
  await kiosk2.locator('#end-finish').click();
  await kiosk2.locator('#finish[open]').waitFor();    // the reminder, then "Finish now"
  await kiosk2.locator('#finish-now').click();
  const forget = await h.waitFrame(kiosk2, 'sent', 'forget', before);
  assert.equal(forget.revoke, url2.slice((origin + '/t/').length), 'forget carries the link');
  await h.waitFrame(kiosk2, 'received', 'forgotten', before);
  const gone = await phone(browser, server, url2);
  const msg = gone.locator('#take-home-gone');
  await msg.waitFor();
  assert.equal(await msg.textContent(), f2.words.expired);
  assert.equal(await gone.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await gone.locator('article.offer').count(), 0);
  await h.axe(gone, 'the phone link page after Finish (ar)');
  // the first link (no switch) still works
  const still = await phone(browser, server, url);
  await still.locator('article.offer').first().waitFor();
  await Promise.all([kiosk, kiosk2, gone, still, ph].map((p) => p.context().close()));

  h.step('expiry: take_home_ttl 2 s, the link fails once it passed');
  server.extra = { public_url: origin, take_home_ttl: 2 };
  await server.restart();
  const kiosk3 = await h.newPage(browser, server);
  await arabicResults(kiosk3, server);
  const f3 = await h.waitFrame(kiosk3, 'received', 'take_home');
  const url3 = await decodeQr(kiosk3, args, 'take-home-qr-ar-3');
  assert.equal(url3, f3.url);
  // wait for the clock to pass the expiry (a condition, bounded by WAIT_MS)
  await h.withTimeout((async () => {
    while (Date.now() / 1000 <= f3.expires + 1) await new Promise((r) => setTimeout(r, 200));
  })(), 'the link expiring');
  const late = await phone(browser, server, url3);
  const m3 = late.locator('#take-home-gone');
  await m3.waitFor();
  assert.equal(await m3.textContent(), f3.words.expired);
  assert.match(f3.words.expired, /^هذا الرابط لم يعد صالحًا/);
  assert.equal(await late.getAttribute('html', 'lang'), 'ar');
  await h.screenshot(late, args, 'take-home-phone-expired-ar-390x844');
  // the only console error: the 410 of /t/<link>.json
  assert.deepEqual(late.problems.filter((p) => !/status of 410/.test(p)), []);
  h.checkNoProblems(kiosk3);
  await Promise.all([kiosk3, late].map((p) => p.context().close()));
});
