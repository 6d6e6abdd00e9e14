// pictograms.test.js - the answers' pictures for those who read little (issue 11, item 4;
// docs/kiosk.md "Pictograms", docs/flows.md "Pictograms"). On a walk through Salzgitter's default
// flows in German and in Arabic (1080x1920), every answer button of every step has its pictogram:
// the emoji the step frame names for that answer, aria-hidden, visible, at least 44x44 CSS px,
// drawn by the Noto Color Emoji font that Lotse serves under /fonts/ (the FontFace "Lotse Emoji"
// has loaded, and Chromium reports that the glyph came from that web font), while the label
// alone stays the button's accessible name; the "continue" arrow turns in Arabic; axe-core finds
// no violations. Every name of docs/flows.md's table draws as one glyph of that font (a ZWJ
// sequence the font lacks would draw as two or more). With a `fonts` folder that lacks the font,
// the FontFace fails: so a missing font fails the checks above.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');

const TENANT = 'salzgitter';
const MIN_PX = 44;

/* The pictogram table of docs/flows.md: [{name, emoji}] (the first picture of a row; a row
 * "⬅️ / ➡️" has a second one for right-to-left pages, checked as well). */
function docTable(source) {
  const doc = fs.readFileSync(path.join(source, 'docs', 'flows.md'), 'utf8');
  const rows = [];
  for (const line of doc.split('\n')) {
    const m = /^\| `([a-z-]+)` \| ([^|]+) \| U\+/.exec(line);
    if (!m) continue;
    for (const e of m[2].split(' / ')) rows.push({ name: m[1], emoji: e.trim() });
  }
  return rows;
}

/* The fonts Chromium used for the text of the element matching selector (DevTools protocol). */
async function platformFonts(cdp, selector) {
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  assert.ok(nodeId, 'no element ' + selector);
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  return fonts;
}

/* The state of the page's FontFace "Lotse Emoji" once it has settled ('loaded' or 'error'). */
async function emojiFontStatus(page) {
  return page.evaluate(async () => {
    const face = [...document.fonts].find((f) => f.family.replace(/"/g, '') === 'Lotse Emoji');
    if (!face) return 'no such FontFace';
    try { await face.loaded; } catch (e) { /* status says it */ }
    return face.status;
  });
}

/* Checks every answer button of the current step against the step frame `frame`. */
async function checkAnswers(page, cdp, frame, where) {
  // the web font is loaded (font-display: block keeps the pictures hidden until then)
  assert.equal(await emojiFontStatus(page), 'loaded', where + ': the emoji font loaded');
  // a results step's "person" and "done" are the fixed area's Talk to a person and Finish
  // (docs/kiosk.md; their own icons), not answers
  const fixed = frame.kind === 'offers' ? ['person', 'done'] : [];
  const answers = frame.choices.filter((c) => !fixed.includes(c.id));
  for (const c of frame.choices.filter((x) => fixed.includes(x.id))) {
    const id = c.id === 'person' ? '#talk' : '#results-finish';
    assert.ok(await page.locator(id).isVisible(), where + ', ' + c.id + ': ' + id + ' in the fixed area');
    assert.equal(await page.locator(id + ' .icon').count(), 1, where + ', ' + c.id + ': its icon');
    if (c.id === 'person') assert.equal(await page.locator('#talk-label').textContent(), c.label);
  }
  const buttons = page.locator('#choices button.choice');
  assert.equal(await buttons.count(), answers.length, where + ': one button per answer');
  for (let i = 0; i < answers.length; i++) {
    const c = answers[i];
    const what = where + ', answer ' + c.id;
    assert.ok(c.icon && c.emoji, what + ': the step frame names a pictogram');
    const b = page.locator('#choices button.choice[data-choice="' + c.id + '"]');
    const pict = b.locator('.pict');
    assert.equal(await pict.count(), 1, what + ': a pictogram');
    assert.equal(await pict.textContent(), c.emoji, what + ': the frame\'s emoji');
    assert.equal(await pict.getAttribute('data-icon'), c.icon, what + ': the frame\'s name');
    assert.equal(await pict.getAttribute('aria-hidden'), 'true', what + ': aria-hidden');
    assert.ok(await pict.isVisible(), what + ': visible');
    await b.scrollIntoViewIfNeeded();
    const box = await pict.boundingBox();
    assert.ok(box.width >= MIN_PX && box.height >= MIN_PX,
      what + ': at least ' + MIN_PX + ' px, is ' + box.width + 'x' + box.height);
    const style = await pict.evaluate((e) => {
      const s = getComputedStyle(e);
      return { visibility: s.visibility, opacity: s.opacity, display: s.display };
    });
    assert.deepEqual(style, { visibility: 'visible', opacity: '1', display: 'block' },
      what + ': drawn');
    // the label alone is the accessible name: the button is found by it, exactly
    const byName = page.getByRole('button', { name: c.label, exact: true });
    assert.ok(await byName.evaluateAll((els, id) => els.some((e) => e.dataset.choice === id), c.id),
      what + ': accessible name is the label "' + c.label + '"');
    const fonts = await platformFonts(cdp,
      '#choices button.choice[data-choice="' + c.id + '"] .pict');
    assert.deepEqual(fonts.map((f) => [f.familyName, f.isCustomFont]),
      [['Noto Color Emoji', true]], what + ': drawn with the served emoji font');
  }
}

/* The newest step frame the page received after `after` frames. */
async function stepFrame(page, after) {
  return h.waitFrame(page, 'received', 'step', after);
}

async function walk(page, cdp, args, lang, autonym) {
  let mark = page.socketFrames.length;
  await h.startConversation(page, page.lotseServer, TENANT, autonym);
  const seen = [];
  const steps = [['new', 'welcome'], ['next', 'who'], ['child', 'child_age'],
    ['age-0-2', 'need_small'], ['daycare', 'results']];
  let frame = await stepFrame(page, mark);
  assert.equal(frame.node, 'who');
  await checkAnswers(page, cdp, frame, lang + ' main/who');
  seen.push(frame.node);
  for (const [choice, node] of steps) {
    mark = page.socketFrames.length;
    await page.locator('#choices button.choice[data-choice="' + choice + '"]').click();
    await h.waitStep(page, node);
    frame = await stepFrame(page, mark);
    assert.equal(frame.node, node);
    await checkAnswers(page, cdp, frame, lang + ' ' + frame.flow + '/' + node);
    seen.push(frame.node);
    if (node === 'child_age') await h.screenshot(page, args, 'pictograms-question-' + lang);
    if (node === 'welcome') {
      // the "continue" button of an information step: an arrow that points the reading way
      assert.deepEqual(frame.choices.map((c) => [c.id, c.icon, c.emoji]),
        [['next', 'next', lang === 'ar' ? '\u2B05\uFE0F' : '\u27A1\uFE0F']]);
    }
  }
  assert.deepEqual(seen, ['who', 'welcome', 'who', 'child_age', 'need_small', 'results']);
  return frame;
}

h.run('pictograms', async (args, onCleanup) => {
  const browser = await h.launch();
  onCleanup(() => browser.close());
  const server = await new h.Server(args).start();
  onCleanup(() => server.cleanup());
  onCleanup(() => server.stop());

  h.step('a walk in German and in Arabic: every answer has its pictogram, in the served font');
  for (const [lang, autonym] of [['de', 'Deutsch'], ['ar', 'العربية']]) {
    const page = await h.newPage(browser, server, { reducedMotion: 'reduce' });
    page.lotseServer = server;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const fontRequests = [];
    page.on('requestfinished', async (r) => {
      if (r.url().endsWith('/fonts/NotoColorEmoji.ttf')) {
        const resp = await r.response();
        fontRequests.push(resp ? resp.status() : 0);
      }
    });
    await walk(page, cdp, args, lang, autonym);
    assert.equal(await emojiFontStatus(page), 'loaded', lang + ': the emoji font loaded');
    assert.ok(fontRequests.length >= 1 && fontRequests.every((s) => s === 200),
      lang + ': the page fetched /fonts/NotoColorEmoji.ttf from Lotse: ' + fontRequests);
    await h.axe(page, lang + ' results with pictograms');
    await h.screenshot(page, args, 'pictograms-results-' + lang);
    await page.locator('#talk').scrollIntoViewIfNeeded();     // the fixed area's talk to a person
    h.checkNoProblems(page);

    if (lang === 'de') {
      h.step('every name of docs/flows.md draws as one glyph of the served font');
      const table = docTable(args.source);
      assert.ok(table.length >= 60, 'docs/flows.md lists the pictograms: ' + table.length);
      await page.evaluate((rows) => {
        const box = document.createElement('div');
        box.id = 'pict-table';
        box.setAttribute('aria-hidden', 'true');
        rows.forEach((r, i) => {
          const s = document.createElement('span');
          s.id = 'pict-' + i;
          s.style.fontFamily = '"Lotse Emoji"';
          s.style.fontSize = '40px';
          s.textContent = r.emoji;
          box.appendChild(s);
        });
        document.body.appendChild(box);
      }, table);
      await page.evaluate(() => document.fonts.ready);
      for (let i = 0; i < table.length; i++) {
        const fonts = await platformFonts(cdp, '#pict-' + i);
        assert.deepEqual(fonts.map((f) => [f.familyName, f.isCustomFont, f.glyphCount]),
          [['Noto Color Emoji', true, 1]],
          'pictogram "' + table[i].name + '" ' + table[i].emoji + ' is one glyph of the font');
      }
      await page.evaluate(() => document.getElementById('pict-table').remove());
    }
    await page.context().close();
  }

  h.step('without the font in the fonts folder, the FontFace fails (so the checks above would)');
  const empty = h.tempDir('lotse-nofonts');
  onCleanup(() => fs.rmSync(empty, { recursive: true, force: true }));
  for (const f of ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf'])
    fs.copyFileSync(path.join('/usr/share/fonts/truetype/noto', f), path.join(empty, f));
  const bare = await new h.Server(args, { config: { fonts: empty } }).start();
  onCleanup(() => bare.cleanup());
  onCleanup(() => bare.stop());
  const page = await h.newPage(browser, bare, { reducedMotion: 'reduce' });
  await h.startConversation(page, bare, TENANT, 'Deutsch');
  assert.equal(await page.locator('#choices .pict').count() > 0, true);
  assert.equal(await emojiFontStatus(page), 'error', 'a missing emoji font is an error');
  await page.context().close();
});
