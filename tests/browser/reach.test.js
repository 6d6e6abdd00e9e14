// reach.test.js - "within reach" (issue 11, item 2): on a portrait kiosk screen (1080x1920, a
// kiosk PC's address ?kiosk=...) every touch target's centre lies in the reach zone computed
// from /config.json's reach_zone (here 40, tighter than the default 44, so the test also shows
// the page follows the setting): on the welcome (every language's button at once, language
// first), the bar's language picker, two question steps, the results, the finish reminder and
// talk to a person. At 1920x1080 and 390x844 nothing overflows
// horizontally and every target is at least 44x44 CSS px. Large text at 150 % and 200 %
// (the button cycles and says so): no horizontal overflow, the bar not clipped, in all three
// sizes of screen. axe-core finds nothing in any of these states.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'salzgitter';
const REACH = 40;

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

/* Every touch target's centre is in the zone; there is at least `min` of them. */
async function allWithinReach(page, args, what, min) {
  const { zone, top } = await h.reachTop(page);
  assert.equal(zone, REACH, 'reach_zone from /config.json');
  const targets = await h.touchTargets(page);
  const out = targets.filter((t) => t.y < top).map((t) => t.name + ' at y=' + Math.round(t.y));
  assert.deepEqual(out, [], what + ': touch targets above the reach zone (y < ' + top + ')');
  assert.ok(targets.length >= min, what + ': ' + targets.length + ' targets, expected >= ' + min);
  await h.axe(page, 'portrait ' + what);
  await h.screenshot(page, args, 'reach-portrait-' + what.replace(/\W+/g, '-'));
  return targets;
}

/* No horizontal overflow; every target at least 44x44. */
async function fits(page, vp, what, targetsToo = true) {
  const o = await h.overflowX(page);
  assert.equal(o.by, 0, vp.name + ' ' + what + ': wider than the screen by ' + o.by + ' px: ' +
    o.wide.join(' | '));
  if (!targetsToo) return;
  const small = (await h.touchTargets(page)).filter((t) => t.w < 44 || t.h < 44)
    .map((t) => t.name + ' ' + Math.round(t.w) + 'x' + Math.round(t.h));
  assert.deepEqual(small, [], vp.name + ' ' + what + ': targets smaller than 44x44');
}

/* The bar is whole: inside the screen, and none of its buttons cut off. A bar that scrolls
 * with the page (a phone with large text, docs/kiosk.md) is measured where it is seen: at the
 * top of the page. */
async function barWhole(page, what) {
  const r = await page.evaluate(() => {
    if (!/sticky|fixed/.test(getComputedStyle(document.getElementById('bar')).position))
      window.scrollTo(0, 0);
    const bar = document.getElementById('bar').getBoundingClientRect();
    const cut = [...document.querySelectorAll('#bar button')].filter((b) => {
      const q = b.getBoundingClientRect();
      return q.left < bar.left - 0.5 || q.right > bar.right + 0.5 || q.top < bar.top - 0.5 ||
        q.bottom > bar.bottom + 0.5 || q.right > innerWidth + 0.5 || q.left < -0.5;
    }).map((b) => b.id);
    return { top: bar.top, bottom: bar.bottom, left: bar.left, right: bar.right, cut,
      w: innerWidth, h: innerHeight, scroll: document.getElementById('bar').scrollWidth -
        document.getElementById('bar').clientWidth };
  });
  assert.deepEqual(r.cut, [], what + ': bar buttons cut off');
  assert.ok(r.left >= 0 && r.right <= r.w + 0.5 && r.scroll <= 0, what + ': bar wider than the screen ' +
    JSON.stringify(r));
  assert.ok(r.top >= -0.5 && r.bottom <= r.h + 0.5, what + ': bar outside the screen ' + JSON.stringify(r));
}

/* Large text: 100 % -> 150 % -> 200 % -> 100 %, aria-pressed and the size shown. */
async function textSizes(page, vp, args, what) {
  const seen = [];
  for (const want of ['1.5', '2', '1']) {
    await page.locator('#large-text').click();
    const s = await page.evaluate(() => ({
      size: document.getElementById('large-text').dataset.size,
      pressed: document.getElementById('large-text').getAttribute('aria-pressed'),
      shown: document.getElementById('text-step').textContent,
      font: getComputedStyle(document.documentElement).fontSize,
      said: document.getElementById('announce').textContent,
    }));
    assert.equal(s.size, want);
    assert.equal(s.pressed, want === '1' ? 'false' : 'true');
    seen.push(s);
    if (want !== '1') {
      assert.match(s.shown, want === '2' ? /200/ : /150/);
      assert.match(s.said, want === '2' ? /200/ : /150/);
      await fits(page, vp, what + ' at ' + want + 'x', false);
      await barWhole(page, vp.name + ' ' + what + ' at ' + want + 'x');
      await h.axe(page, vp.name + ' ' + what + ' at ' + want + 'x');
      await h.screenshot(page, args, 'reach-' + vp.name + '-' + what + '-text-' + want);
    }
  }
  const base = parseFloat(seen[2].font);
  assert.equal(parseFloat(seen[0].font), base * 1.5, 'font size at 150 %');
  assert.equal(parseFloat(seen[1].font), base * 2, 'font size at 200 %');
}

async function toResults(page) {
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await choose(page, 'daycare');
  const results = await h.waitStep(page, 'results');
  await page.waitForFunction(() => [...document.querySelectorAll('img.qr')].every((i) => i.complete));
  return results;
}

h.run('browser.kiosk.reach', async (args, defer) => {
  const server = await new h.Server(args, { config: { reach_zone: REACH } }).start();
  defer(() => { server.cleanup(); });
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('portrait 1080x1920: every touch target within reach (' + REACH + ' % at the bottom)');
  const vp = h.VIEWPORTS[0];
  const page = await h.newPage(browser, server, { viewport: { width: vp.width, height: vp.height },
    reducedMotion: 'reduce' });
  await page.goto(server.url('/k/' + TENANT + '?kiosk=reach-test'));
  await h.welcomeTile(page, 'ar').waitFor();
  await page.waitForFunction(() => document.documentElement.style.getPropertyValue('--reach') === '40');
  // the welcome is the language picker: every language's button (all of the office's, at
  // once) and the speaker beside each, the greeting's speaker, the privacy link
  await page.locator('#welcome-langs button.speak').first().waitFor();
  await page.locator('#privacy-open:not([hidden])').waitFor();
  const langs = await page.locator('#welcome-langs button.tile').count();
  assert.equal(langs, 13, 'the office\'s languages');
  const speakers = await page.locator('#welcome-langs button.speak, #welcome-speak button.speak').count();
  const welcome = await allWithinReach(page, args, 'welcome', langs + speakers + 1);
  assert.ok(welcome.some((x) => x.name.startsWith('#privacy-open ')), 'the privacy link within reach');
  await h.welcomeTile(page, 'ar').click();
  await h.waitStep(page, 'who');
  // the bar's language picker: every language tile with its speaker, back, start over,
  // language (disabled here), large text, contrast
  await page.locator('#language').click();
  await page.locator('#languages:not([hidden])').waitFor();
  const tiles = await page.locator('#language-list button.tile').count();
  assert.equal(tiles, langs);
  await allWithinReach(page, args, 'languages', tiles + 4);
  await page.locator('#language-list button[lang="ar"]').click();     // the same: back to it
  await h.waitStep(page, 'who');
  const who = await page.locator('#choices button.choice').count();
  // the answers (with their speakers), "read all", the question's speaker, the bar
  await allWithinReach(page, args, 'question who', who + 4);
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  const ages = await page.locator('#choices button.choice').count();
  await allWithinReach(page, args, 'question child_age', ages + 4);
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await choose(page, 'daycare');
  const results = await h.waitStep(page, 'results');
  const offers = await results.locator('article.offer').count();
  assert.ok(offers >= 2, offers + ' offers');
  await page.locator('#reach .feedback:not([hidden])').waitFor();
  const t = await allWithinReach(page, args, 'results', 3 + 3 + 5);
  // the results' fixed area is there and within reach: talk to a person, print all, finish;
  // and the feedback block's three buttons
  for (const id of ['#talk', '#print-all', '#results-finish'])
    assert.ok(t.some((x) => x.name.startsWith(id + ' ')), id + ' within reach: ' + JSON.stringify(t));
  const feedback = await page.locator('#reach .feedback button').allTextContents();
  assert.equal(feedback.length, 3, 'the feedback buttons');
  for (const f of feedback)
    assert.ok(t.some((x) => x.name === f.trim().replace(/\s+/g, ' ')), f + ' within reach: ' + JSON.stringify(t));
  // a speaker for every offer, by its title, in the zone
  assert.equal(await page.locator('#step-speak button.speak').count(), offers + 1);
  // the conversation scrolls above the zone: the last card can be scrolled up into view, above it
  await page.evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
  const { top } = await h.reachTop(page);
  const lastCard = await results.locator('article.offer').last().boundingBox();
  assert.ok(lastCard.y + lastCard.height <= top + 1, 'the last card scrolls above the zone: ' +
    JSON.stringify(lastCard) + ' zone at ' + top);
  await page.locator('#results-finish').click();
  await page.locator('#finish[open]').waitFor();
  await allWithinReach(page, args, 'finish reminder', 2);
  await page.locator('#finish-back').click();
  await page.locator('#talk').click();
  await h.waitStep(page, 'contact');
  await allWithinReach(page, args, 'talk to a person', 4);
  h.checkNoProblems(page);

  h.step('portrait: large text at 150 % and 200 %');
  await textSizes(page, vp, args, 'contact');
  await page.context().close();

  for (const other of h.VIEWPORTS.slice(1)) {
    h.step(other.name + ': nothing overflows, every target at least 44x44, large text');
    const p = await h.newPage(browser, server, { viewport: { width: other.width, height: other.height },
      reducedMotion: 'reduce', hasTouch: other.width < 500, isMobile: other.width < 500 });
    await p.goto(server.url('/k/' + TENANT));
    await h.welcomeTile(p, 'ar').waitFor();
    await fits(p, other, 'welcome');
    await h.welcomeTile(p, 'ar').click();
    await h.waitStep(p, 'who');
    await p.locator('#language').click();
    await p.locator('#languages:not([hidden])').waitFor();
    await fits(p, other, 'languages');
    await textSizes(p, other, args, 'languages');
    await p.locator('#language-list button[lang="ar"]').click();
    await h.waitStep(p, 'who');
    await fits(p, other, 'question');
    await textSizes(p, other, args, 'question');
    await toResults(p);
    await fits(p, other, 'results');
    // the fixed area stays on the screen while the cards scroll under it
    const area = await p.locator('#results-actions').boundingBox();
    assert.ok(area.y + area.height <= other.height + 0.5 && area.y > 0, 'results area on screen: ' +
      JSON.stringify(area));
    await textSizes(p, other, args, 'results');
    await h.axe(p, other.name + ' results');
    h.checkNoProblems(p);
    await p.context().close();
  }
});
