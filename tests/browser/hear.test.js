// hear.test.js - everything a family must tell apart can be heard, and speech stops on touch
// (issue 9): a speaker beside every answer, "read all answers", a speaker on every language
// tile, the welcome and the idle warning; a speaker plays real WAV from the server's espeak-ng;
// touching anything else, a key, or a language switch stops all speech at once, and a response
// that arrives after the switch never plays; Pashto (no voice) has no speakers and says why in
// Pashto; every speaker is a touch target of at least 48x48 CSS px beside its button; axe-core.
// What a recording says is checked through its .txt twin (the same route, ending in .txt).
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'salzgitter';
const NO_VOICE_PS = 'بښنه غواړو، د دې ژبې لپاره لا تر اوسه د لوړ لوستلو غږ نشته.';

/* Records every media element the page plays, and each 'playing' event with its source. */
function watchMedia() {
  window.__media = [];
  window.__playing = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (!window.__media.includes(this)) {
      window.__media.push(this);
      this.addEventListener('playing', () => window.__playing.push(this.currentSrc));
    }
    return play.call(this);
  };
}

async function silent(page) {
  return page.evaluate(() => ({
    paused: window.__media.every((a) => a.paused),
    pressed: [...document.querySelectorAll('button.speak')]
      .filter((b) => b.getAttribute('aria-pressed') === 'true').length,
  }));
}

/* Waits until the page's audio really plays: not paused and its time advancing. */
async function playing(page) {
  await page.waitForFunction(() => window.__media.some((a) => !a.paused && a.currentTime > 0.05));
}

async function speakText(page, audioSrc) {
  return page.evaluate(async (u) => {
    const r = await fetch(u.replace(/\.opus$/, '.txt'));
    return { status: r.status, text: await r.text() };
  }, audioSrc);
}

/* Every speaker on screen is at least 48x48 and overlaps no other button. */
async function checkTargets(page, scope) {
  const bad = await page.evaluate((sel) => {
    const out = [];
    const buttons = [...document.querySelectorAll(sel + ' button')].filter((b) => b.getClientRects().length);
    for (const s of buttons.filter((b) => b.classList.contains('speak'))) {
      const r = s.getBoundingClientRect();
      if (r.width < 48 || r.height < 48) out.push('small ' + s.dataset.src + ' ' + r.width + 'x' + r.height);
      for (const o of buttons) {
        if (o === s) continue;
        const q = o.getBoundingClientRect();
        if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom)
          out.push('overlap ' + s.dataset.src + ' / ' + (o.textContent || o.className));
      }
    }
    return { bad: out, speakers: buttons.filter((b) => b.classList.contains('speak')).length };
  }, scope);
  assert.deepEqual(bad.bad, [], scope);
  return bad.speakers;
}

h.run('browser.hear', async (args, defer) => {
  // the default idle_timeout (90 s): only the idle step's page, on Playwright's fake clock, gets there
  const server = await new h.Server(args).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('welcome: a speaker that reads the greeting; language tiles each with a speaker');
  const page = await h.newPage(browser, server);
  await page.addInitScript(watchMedia);
  await page.goto(server.url('/k/' + TENANT));
  const welcome = page.locator('#welcome-speak button.speak');
  await welcome.waitFor();
  const wsrc = await welcome.getAttribute('data-src');
  assert.match(wsrc, new RegExp('^/speak/' + TENANT + '/[a-z]+/words/welcome\\.opus$'));
  assert.equal((await speakText(page, wsrc)).status, 200);
  await checkTargets(page, '#welcome');
  await welcome.click();
  await playing(page);
  assert.equal(await welcome.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('#welcome').isVisible(), true, 'the speaker does not start');
  await page.keyboard.press('Shift');            // a key press stops it
  assert.deepEqual(await silent(page), { paused: true, pressed: 0 });
  // language first: the welcome's own language buttons, each with a speaker saying its name
  await page.locator('#welcome-langs button.speak').first().waitFor();
  const tiles = await page.locator('#welcome-langs button.tile').count();
  const voices = await page.evaluate(async () => (await (await fetch('/speak/voices.json')).json()).voices);
  const tileLangs = await page.locator('#welcome-langs button.tile').evaluateAll((bs) => bs.map((b) => b.lang));
  assert.equal(await checkTargets(page, '#welcome-langs'), tileLangs.filter((l) => voices.includes(l)).length);
  assert.ok(tiles >= 12 && !voices.includes('ps'));
  const ukName = await speakText(page, '/speak/' + TENANT + '/uk/language.opus');
  assert.deepEqual(ukName, { status: 200, text: 'uk: Українська\n' });
  const ukSpeak = page.locator('#welcome-langs li:has(button.tile[lang="uk"]) button.speak');
  assert.equal(await ukSpeak.getAttribute('data-src'), '/speak/' + TENANT + '/uk/language.opus');
  await h.axe(page, 'language tiles with speakers');
  // the picker from the bar, later, has them too
  assert.equal(await page.locator('#language-list button.tile').count(), 0);

  h.step('answers: a speaker beside each, "read all" reads every answer with its number');
  await h.welcomeTile(page, 'en').click();
  let step = await h.waitStep(page, 'who');
  const labels = await h.choiceLabels(page);
  assert.ok(labels.length >= 2);
  const rows = page.locator('#choices .choice-row');
  assert.equal(await rows.count(), labels.length);
  for (let i = 0; i < labels.length; i++) {
    const s = rows.nth(i).locator('button.speak');
    assert.equal(await s.count(), 1, 'a speaker for ' + labels[i]);
    const t = await speakText(page, await s.getAttribute('data-src'));
    assert.deepEqual(t, { status: 200, text: 'en: ' + labels[i] + '\n' });
  }
  assert.equal(await checkTargets(page, '#chat'), labels.length + 2);   // + the question + "read all"
  const all = page.locator('#choices-all button.speak');
  const allSrc = await all.getAttribute('data-src');
  assert.equal(allSrc, '/speak/' + TENANT + '/en/choices/main/who.opus');
  const allText = (await speakText(page, allSrc)).text;
  assert.equal(allText, labels.map((l, i) => 'en: ' + (i + 1) + ': ' + l + '.\n').join(''));
  const req = page.waitForResponse((r) => r.url().endsWith(allSrc));
  await all.click();
  assert.equal((await req).status(), 200);
  await playing(page);
  assert.equal(await all.getAttribute('aria-pressed'), 'true');
  await h.axe(page, 'answers with speakers, one playing');

  h.step('a second tap on the same speaker plays again from the start');
  await page.waitForFunction(() => window.__media.some((a) => a.currentTime > 0.5));
  await all.click();
  await page.waitForFunction(() => window.__media.some((a) => !a.paused && a.currentTime < 0.5));
  assert.equal(await all.getAttribute('aria-pressed'), 'true');

  h.step('touching an answer stops all speech at once');
  // the current step's speaker sits in the reach zone on a portrait screen (issue 11)
  const q = page.locator('#step-speak button.speak-step');
  await q.click();
  await playing(page);
  assert.equal(await all.getAttribute('aria-pressed'), 'false');
  assert.equal(await q.getAttribute('aria-pressed'), 'true');
  await page.locator('#choices button.choice[data-choice="child"]').click();
  assert.deepEqual(await silent(page), { paused: true, pressed: 0 });
  step = await h.waitStep(page, 'child_age');

  h.step('a language switch during playback stops it; the late response never plays');
  await page.locator('#step-speak button.speak-step').click();
  await playing(page);
  await page.locator('#language').click();
  assert.deepEqual(await silent(page), { paused: true, pressed: 0 });
  await page.locator('#language-list button.tile[lang="en"]').click();   // back, same language
  step = await h.waitStep(page, 'child_age');
  // hold the next recording's response until after the switch
  let release;
  const held = new Promise((r) => { release = r; });
  const slow = page.locator('#step-speak button.speak-step');
  const slowSrc = await slow.getAttribute('data-src');
  await page.route('**' + slowSrc, async (route) => { await held; await route.continue().catch(() => {}); });
  const started = page.waitForRequest((r) => r.url().endsWith(slowSrc));
  await slow.click();
  await started;
  const before = await page.evaluate(() => window.__playing.length);
  await page.locator('#language').click();
  await page.locator('#language-list button.tile[lang="uk"]').click();
  step = await h.waitStep(page, 'child_age');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'uk');
  assert.deepEqual(await silent(page), { paused: true, pressed: 0 });
  release();
  await page.unroute('**' + slowSrc);
  // a new recording in Ukrainian plays; the English one held back never did
  const uk = page.locator('#step-speak button.speak-step');
  await uk.click();
  await playing(page);
  const after = await page.evaluate(() => window.__playing);
  assert.deepEqual(after.slice(before).map((u) => new URL(u).pathname),
    [await uk.getAttribute('data-src')], 'only the Ukrainian recording played');
  await page.locator('#chat-title').click();                 // any touch stops
  assert.deepEqual(await silent(page), { paused: true, pressed: 0 });

  h.step('results: the heading is read with its count');
  await page.locator('#choices button.choice[data-choice="age-0-2"]').click();
  await h.waitStep(page, 'child_need_small');
  await page.locator('#choices button.choice[data-choice="daycare"]').click();
  const results = await h.waitStep(page, 'results');
  const n = await results.locator('article.offer').count();
  const rsrc = await results.locator('.bubble button.speak').getAttribute('data-src');
  assert.equal(rsrc, '/speak/' + TENANT + '/uk/results/main/results/' + n + '.opus');
  const rtext = (await speakText(page, rsrc)).text.split('\n');
  assert.ok(rtext[1].startsWith('uk: ' + n + ' '), rtext.join('|'));
  h.checkNoProblems(page);
  await page.context().close();

  h.step('idle warning: a speaker reads the question and names its button');
  {
    const p = await h.newPage(browser, server);
    await p.addInitScript(watchMedia);
    await p.clock.install();
    await h.startConversation(p, server, TENANT, 'Deutsch');
    await p.clock.runFor(91000);
    await p.locator('#idle[open]').waitFor();
    const s = p.locator('#idle-speak button.speak');
    const t = await speakText(p, await s.getAttribute('data-src'));
    assert.deepEqual(t, { status: 200, text: 'de: Sind Sie noch da? Sonst wird gleich alles gelöscht. ' +
      'Wenn Sie weitermachen möchten, tippen Sie auf „Ja, weiter“.\n' });
    await checkTargets(p, '#idle');
    await h.axe(p, 'idle warning with a speaker');
    await s.click();
    await p.waitForFunction(() => window.__media.some((a) => !a.paused));
    await p.locator('#idle-yes').click();
    assert.deepEqual(await silent(p), { paused: true, pressed: 0 });
    await p.context().close();
  }

  h.step('Pashto: no speakers, and one line in Pashto says why');
  const ps = await h.newPage(browser, server);
  await h.startConversation(ps, server, TENANT, 'پښتو');
  await ps.locator('#no-voice:not([hidden])').waitFor();
  assert.equal(await ps.locator('#no-voice').textContent(), NO_VOICE_PS);
  assert.equal(await ps.locator('#no-voice').getAttribute('lang'), 'ps');
  assert.equal(await ps.locator('#chat button.speak').count(), 0);
  await h.axe(ps, 'Pashto without speakers');
  await ps.locator('#choices button.choice').first().click();
  await h.waitStep(ps);
  assert.equal(await ps.locator('#no-voice:not([hidden])').count(), 1, 'the line stays, once');
  h.checkNoProblems(ps);
  await ps.context().close();
});
