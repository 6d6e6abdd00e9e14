// media.test.js - take it home and listen: the QR code of every offer card (the SVG the server
// makes parses, and the card's <img> shows it), read aloud (the Ogg Opus decodes to a non-zero
// duration; speaker buttons only for languages with a voice; a speaker button plays its URL,
// again from the start when pressed again, and any other touch stops it),
// and the print stylesheet (no buttons, cards and QR codes printed; a PDF is kept).
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./harness.js');

const TENANT = 'salzgitter';

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

async function toResults(page, server, autonym) {
  await h.startConversation(page, server, TENANT, autonym);
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await choose(page, 'daycare');
  return h.waitStep(page, 'results');
}

/* Fetches an SVG in the page and parses it with the browser's XML parser. */
async function parseSvg(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    const text = await r.text();
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { status: r.status, type: r.headers.get('content-type'),
      error: doc.getElementsByTagName('parsererror').length,
      root: doc.documentElement.localName, shapes: doc.querySelectorAll('rect, path').length };
  }, url);
}

/* Fetches read-aloud audio (Ogg Opus) in the page and decodes it; returns its duration in
 * seconds. */
async function wavSeconds(page, url) {
  return page.evaluate(async (u) => {
    const r = await fetch(u);
    if (!r.ok) return { status: r.status };
    const buf = await r.arrayBuffer();
    const ctx = new OfflineAudioContext(1, 1, 22050);
    const audio = await ctx.decodeAudioData(buf);
    return { status: r.status, type: r.headers.get('content-type'), seconds: audio.duration };
  }, url);
}

h.run('browser.media', async (args, defer) => {
  const server = await new h.Server(args).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('QR codes: every card\'s SVG parses and shows');
  const page = await h.newPage(browser, server);
  const results = await toResults(page, server, 'Deutsch');
  const srcs = await results.locator('img.qr').evaluateAll((imgs) => imgs.map((i) => i.getAttribute('src')));
  assert.ok(srcs.length > 0);
  for (const src of srcs) {
    const svg = await parseSvg(page, src);
    assert.deepEqual({ status: svg.status, type: svg.type, error: svg.error, root: svg.root },
      { status: 200, type: 'image/svg+xml', error: 0, root: 'svg' }, src);
    assert.ok(svg.shapes > 0, 'QR SVG has modules: ' + src);
  }
  await page.waitForFunction(() => [...document.querySelectorAll('img.qr')]
    .every((i) => i.complete && i.naturalWidth > 0));

  h.step('read aloud: every /speak/ route\'s audio (Ogg Opus) decodes to sound in Chromium');
  const offerId = srcs[0].replace(/^.*\/([^/]+)\.svg.*$/, '$1');
  for (const u of ['/speak/' + TENANT + '/de/step/main/who.opus',
    '/speak/' + TENANT + '/de/offer/' + offerId + '.opus', '/speak/' + TENANT + '/de/person.opus',
    '/speak/' + TENANT + '/uk/step/main/who.opus', '/speak/' + TENANT + '/ar/step/main/results.opus',
    '/speak/' + TENANT + '/de/choice/main/who/child.opus', '/speak/' + TENANT + '/ar/choices/main/who.opus',
    '/speak/' + TENANT + '/de/results/main/results/2.opus', '/speak/' + TENANT + '/uk/language.opus',
    '/speak/' + TENANT + '/de/words/welcome.opus',
    // old pages' URLs: redirected to .opus
    '/speak/' + TENANT + '/de/person.wav', '/speak/' + TENANT + '/de/words/idle.wav']) {
    const wav = await wavSeconds(page, u);
    assert.equal(wav.status, 200, u);
    assert.equal(wav.type, 'audio/ogg', u);
    assert.ok(wav.seconds > 0.3, u + ' has no duration');
  }

  h.step('Chromium plays Ogg Opus in an <audio> element (what the speaker buttons use)');
  const played = await page.evaluate(async (u) => {
    const a = new Audio(u);
    const probe = a.canPlayType('audio/ogg; codecs=opus');
    await a.play();
    await new Promise((resolve, reject) => {
      a.addEventListener('timeupdate', () => { if (a.currentTime > 0.2) resolve(); });
      a.addEventListener('error', () => reject(new Error('media error ' + (a.error && a.error.code))));
    });
    a.pause();
    return { probe, playing: a.currentTime > 0.2, error: a.error, duration: a.duration > 0.3 };
  }, '/speak/' + TENANT + '/de/step/main/who.opus');
  assert.deepEqual(played, { probe: 'probably', playing: true, error: null, duration: true });

  h.step('a speaker button plays its URL in the session\'s language, a second press plays again');
  const voices = await page.evaluate(async () => (await (await fetch('/speak/voices.json')).json()).voices);
  assert.ok(voices.includes('de'));
  const speak = page.locator('#step-speak button.speak-step');   // in the reach zone (portrait)
  assert.equal(await speak.count(), 1);
  const cards = await results.locator('article.offer').count();
  const wanted = '/speak/' + TENANT + '/de/results/main/results/' + cards + '.opus';
  const req = page.waitForRequest((r) => r.url().endsWith(wanted));
  await speak.click();
  await req;
  assert.equal(await speak.getAttribute('aria-pressed'), 'true');
  const again = page.waitForRequest((r) => r.url().endsWith(wanted));
  await speak.click();                 // from the start (stopping is any other touch)
  await again;
  assert.equal(await speak.getAttribute('aria-pressed'), 'true');
  await results.locator('h2').first().click();
  assert.equal(await speak.getAttribute('aria-pressed'), 'false');
  assert.equal(await results.locator('article.offer button.speak').count(),
    await results.locator('article.offer').count(), 'a speaker button on every card');

  h.step('print: one card, black and white, no buttons');
  await page.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
  // a card's own print button: on a landscape screen (portrait has "print all" in reach instead)
  await page.setViewportSize({ width: 1920, height: 1080 });
  await results.locator('article.offer').first().locator('button.print').click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => {
    const shown = (e) => e && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0;
    const cards = [...document.querySelectorAll('article.offer')];
    return {
      buttons: [...document.querySelectorAll('button')].filter(shown).length,
      cards: cards.filter(shown).length,
      qr: shown(cards[0].querySelector('img.qr')),
      colour: getComputedStyle(cards[0]).color,
      back: getComputedStyle(document.body).backgroundColor,
    };
  });
  assert.deepEqual(printed, { buttons: 0, cards: 1, qr: true, colour: 'rgb(0, 0, 0)',
    back: 'rgb(255, 255, 255)' });
  await page.pdf({ path: path.join(args.artifacts, 'print-one-offer.pdf'), format: 'A4' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  const all = await page.evaluate(() => [...document.querySelectorAll('article.offer')]
    .filter((e) => getComputedStyle(e).display !== 'none').length);
  assert.equal(all, await results.locator('article.offer').count(), 'Ctrl+P prints every card');
  await page.pdf({ path: path.join(args.artifacts, 'print-results.pdf'), format: 'A4' });
  await page.emulateMedia({ media: 'screen' });
  h.checkNoProblems(page);
  await page.context().close();

  h.step('no voice, no speaker button (Pashto has no espeak-ng voice)');
  const ps = await h.newPage(browser, server);
  await h.startConversation(ps, server, TENANT, 'پښتو');
  const hasVoice = await ps.evaluate(async () =>
    (await (await fetch('/speak/voices.json')).json()).voices.includes('ps'));
  assert.equal(await ps.locator('#chat button.speak').count() > 0, hasVoice);
  h.checkNoProblems(ps);
  await ps.context().close();
});
