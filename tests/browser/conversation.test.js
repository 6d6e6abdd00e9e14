// conversation.test.js - whole conversations on the default content in real headless Chromium:
// German, Arabic (right to left) and Ukrainian to the offer cards; back, start over and a
// language switch midway; the talk-to-a-person step; keyboard use; fonts; target sizes.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'salzgitter';

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

async function bubbles(page) {
  return page.$$eval('#log > li', (lis) => lis.map((li) =>
    (li.classList.contains('me') ? 'me:' : 'bot:' + li.dataset.node + ':') +
    li.querySelector(li.classList.contains('me') ? '.bubble' : '.text').textContent.trim()));
}

/* Checks one offer card's parts; returns its title. */
async function checkOfferCard(card, lang) {
  const info = await card.evaluate((c) => ({
    title: c.querySelector('h2').textContent,
    labels: [...c.querySelectorAll('dt')].map((d) => d.textContent),
    tel: (c.querySelector('.fact-phone a') || {}).href || null,
    mail: (c.querySelector('.fact-email a') || {}).href || null,
    web: (c.querySelector('.fact-web a') || {}).href || null,
    langs: [...c.querySelectorAll('.fact-langs dd span[lang]')].map((s) => s.lang + '=' + s.textContent),
    qrSrc: c.querySelector('img.qr').getAttribute('src'),
    qrAlt: c.querySelector('img.qr').alt,
    print: !!c.querySelector('button.print'),
    speak: !!c.querySelector('button.speak'),
  }));
  assert.ok(info.title.length > 0, 'offer title');
  assert.equal(info.labels.length >= 5, true, 'offer facts: ' + info.labels.join(', '));
  assert.match(info.tel, /^tel:\+?[0-9]+$/);
  assert.match(info.mail, /^mailto:[^@]+@[^@]+$/);
  assert.match(info.web, /^https?:\/\//);
  assert.ok(info.langs.length > 0, 'languages spoken');
  assert.match(info.qrSrc, new RegExp('^/qr/' + TENANT + '/[a-z0-9_-]+\\.svg\\?lang=' + lang + '$'));
  assert.ok(info.qrAlt.includes(info.title), 'QR alt text names the offer: ' + info.qrAlt);
  assert.ok(info.print, 'print button');
  assert.ok(info.speak, 'speaker button');
  return info.title;
}

async function checkResults(page, lang) {
  const results = await h.waitStep(page, 'results');
  const cards = results.locator('article.offer');
  const n = await cards.count();
  assert.ok(n >= 1, 'offer cards in ' + lang);
  for (let i = 0; i < n; i++) await checkOfferCard(cards.nth(i), lang);
  assert.match(await results.locator('.count').textContent(), /\S/);
  // every card's QR code loaded (the image decoded, i.e. the SVG parsed)
  await page.waitForFunction(() => [...document.querySelectorAll('img.qr')]
    .every((i) => i.complete && i.naturalWidth > 0));
  return n;
}

/* The fonts Chromium used for the text of a node: every one must be a web font from /fonts/. */
async function fontsOf(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
  const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
  const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
  await cdp.detach();
  return fonts;
}

async function checkRealFont(page, selector, family) {
  await page.evaluate(() => document.fonts.ready);
  const fonts = await fontsOf(page, selector);
  assert.ok(fonts.length > 0, 'fonts for ' + selector);
  for (const f of fonts)
    assert.ok(f.isCustomFont, selector + ' drawn with a system font: ' + JSON.stringify(fonts));
  assert.ok(fonts.some((f) => f.familyName.includes(family)),
    selector + ' not drawn with ' + family + ': ' + JSON.stringify(fonts));
}

async function checkTargets(page) {
  const small = await page.$$eval('button, a', (els) => els
    .filter((e) => e.offsetParent !== null && !e.closest('dd'))
    .map((e) => ({ t: e.textContent.trim() || e.getAttribute('aria-label'), r: e.getBoundingClientRect() }))
    .filter((x) => x.r.width < 48 || x.r.height < 48)
    .map((x) => x.t + ' ' + Math.round(x.r.width) + 'x' + Math.round(x.r.height)));
  assert.deepEqual(small, [], 'targets smaller than 48x48 CSS px');
}

h.run('browser.conversation', async (args, defer) => {
  const server = await new h.Server(args).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('German: for my child, under 3, day care -> offer cards');
  {
    const page = await h.newPage(browser, server);
    await h.startConversation(page, server, TENANT, 'Deutsch');
    assert.equal(await page.getAttribute('html', 'lang'), 'de');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    const q = await h.waitStep(page, 'who', 'main');
    assert.equal(await q.locator('.text').textContent(), 'Für wen suchen Sie ein Angebot?');
    assert.equal(await page.locator('#back').isDisabled(), true, 'no back on the first step');
    await checkTargets(page);
    await choose(page, 'child');
    await h.waitStep(page, 'child_age');
    await choose(page, 'age-0-2');
    await h.waitStep(page, 'child_need_small');
    await choose(page, 'daycare');
    const n = await checkResults(page, 'de');
    assert.deepEqual((await bubbles(page)).slice(0, 6), [
      'bot:who:Für wen suchen Sie ein Angebot?', 'me:Sie: Für mein Kind',
      'bot:child_age:Wie alt ist Ihr Kind?', 'me:Sie: unter 3 Jahre',
      'bot:child_need_small:Wobei suchen Sie Unterstützung?', 'me:Sie: Kita-Platz und Betreuung']);
    assert.equal(await page.locator('#log article.offer').count(), n);
    await checkTargets(page);
    await checkRealFont(page, '#log > li:last-child .text', 'Noto Sans');
    // the person step: the office's contact (the results' fixed area, issue 11)
    await page.locator('#talk').click();
    const p = await h.waitStep(page, 'contact');
    assert.equal(await p.getAttribute('data-kind'), 'person');
    assert.match(await p.locator('.contact-card .fact-phone a').getAttribute('href'), /^tel:/);
    assert.equal(await page.locator('#end').isVisible(), true, 'start over / finish at the end');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('Arabic: right to left, back on the right, Arabic font');
  {
    const page = await h.newPage(browser, server);
    await h.startConversation(page, server, TENANT, 'العربية');
    assert.equal(await page.getAttribute('html', 'lang'), 'ar');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    const width = page.viewportSize().width;
    const back = await page.locator('#back').boundingBox();
    assert.ok(back.x > width / 2, 'back sits on the right in Arabic (x=' + back.x + ')');
    const bot = await page.locator('#log > li.bot .bubble').first().boundingBox();
    assert.ok(bot.x + bot.width > width - 60, 'bot bubble starts on the right');
    assert.equal(await page.locator('#back .label').textContent(), 'رجوع');
    await checkRealFont(page, '#log > li:last-child .text', 'Noto Sans Arabic');
    await choose(page, 'child');
    await h.waitStep(page, 'child_age');
    const me = await page.locator('#log > li.me .bubble').first().boundingBox();
    assert.ok(me.x < width / 2, 'the person\'s bubble sits on the left in Arabic');
    await choose(page, 'age-3-5');
    await h.waitStep(page, 'child_need_kita');
    await choose(page, 'language');
    await checkResults(page, 'ar');
    assert.equal(await page.locator('.offer .fact-when dt').first().textContent(), 'متى');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('Ukrainian: for myself, 27 or older, learning German -> offer cards');
  {
    const page = await h.newPage(browser, server);
    await h.startConversation(page, server, TENANT, 'Українська');
    assert.equal(await page.getAttribute('html', 'lang'), 'uk');
    assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
    await choose(page, 'self');
    await h.waitStep(page, 'self_age');
    await choose(page, 'age-27');
    await h.waitStep(page, 'adult_need');
    await choose(page, 'language');
    await checkResults(page, 'uk');
    await checkRealFont(page, '#log > li:last-child .text', 'Noto Sans');
    assert.equal(await page.locator('#restart .label').textContent(), 'Почати знову');
    // the results' fixed area (issue 11): "Finish" stands for the flow's "done"; talk to a
    // person, and then only start over or finish
    assert.equal((await page.locator('#results-finish').textContent()).trim(), 'Завершити');
    assert.equal(await page.locator('#choices button.choice[data-choice="done"]').count(), 0);
    await page.locator('#talk').click();
    const end = await h.waitStep(page, 'contact');
    assert.equal(await end.getAttribute('data-kind'), 'person');
    assert.equal(await page.locator('#choices button').count(), 0);
    assert.equal((await page.locator('#end-restart').textContent()).trim(), 'Почати знову');
    assert.equal((await page.locator('#end-finish').textContent()).trim(), 'Завершити');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('back, a language switch midway, start over');
  {
    const page = await h.newPage(browser, server);
    await h.startConversation(page, server, TENANT, 'Deutsch');
    await choose(page, 'child');
    await h.waitStep(page, 'child_age');
    await page.locator('#back').click();
    await h.waitStep(page, 'who');
    assert.deepEqual(await bubbles(page), ['bot:who:Für wen suchen Sie ein Angebot?'],
      'back takes the answer away');
    await choose(page, 'child');
    await h.waitStep(page, 'child_age');
    await choose(page, 'age-3-5');
    await h.waitStep(page, 'child_need_kita');
    // language switch: the same step in Ukrainian, the earlier bubbles kept
    await page.locator('#language').click();
    await page.locator('#languages:not([hidden])').waitFor();
    assert.equal(await page.locator('#language-list button[lang="de"]').getAttribute('aria-pressed'), 'true');
    await page.locator('#language-list button[lang="uk"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'uk');
    const s = await h.waitStep(page, 'child_need_kita');
    assert.equal(await s.getAttribute('lang'), 'uk');
    assert.equal(await s.locator('.text').textContent(), 'З чим Вам потрібна допомога?');
    const all = await bubbles(page);
    assert.equal(all.length, 5, 'history kept: ' + all.join(' | '));
    assert.equal(all[1], 'me:Sie: Für mein Kind');
    await choose(page, 'daycare');
    await checkResults(page, 'uk');
    // back from the results to the question, in Ukrainian
    await page.locator('#back').click();
    await h.waitStep(page, 'child_need_kita');
    assert.equal(await page.locator('#log article.offer').count(), 0);
    // start over: the first question in the same language, nothing else
    await page.locator('#restart').click();
    await page.waitForFunction(() => document.querySelectorAll('#log > li').length === 1);
    const first = await h.waitStep(page, 'who');
    assert.equal(await first.locator('.text').textContent(), 'Для кого Ви шукаєте пропозицію?');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('keyboard only: tab to an answer, enter, the focus moves to the next answers');
  {
    const page = await h.newPage(browser, server);
    await page.goto(server.url('/k/' + TENANT));
    await h.welcomeTile(page, 'de').waitFor();
    for (let i = 0; i < 30; i++) {     // the welcome's language buttons, by keyboard
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.lang === 'en' &&
        document.activeElement.classList.contains('tile'))) break;
    }
    await page.keyboard.press('Enter');
    await h.waitStep(page, 'who');
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement.dataset.choice === 'child')) break;
    }
    const ring = await page.evaluate(() => {
      const cs = getComputedStyle(document.activeElement);
      return { outline: cs.outlineStyle, shadow: cs.boxShadow };
    });
    assert.notEqual(ring.outline, 'none', 'visible focus');
    await page.keyboard.press('Enter');
    await h.waitStep(page, 'child_age');
    await page.waitForFunction(() => document.activeElement.classList.contains('choice'));
    // large text and high contrast switches
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.locator('#large-text').click();
    await page.locator('#contrast').click();
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    assert.ok(after > before * 1.2, 'large text: ' + before + ' -> ' + after);
    assert.equal(await page.getAttribute('html', 'class'), 'large-text high-contrast');
    assert.equal(await page.locator('#contrast').getAttribute('aria-pressed'), 'true');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('a kiosk PC (?kiosk=NAME): the name goes along with start, no links lead away');
  {
    const page = await h.newPage(browser, server);
    await page.goto(server.url('/k/' + TENANT + '?kiosk=rathaus-foyer'));
    await h.welcomeTile(page, 'de').click();
    await h.waitStep(page, 'who');
    assert.equal((await h.waitFrame(page, 'sent', 'start')).kiosk, 'rathaus-foyer');
    await choose(page, 'person');
    const p = await h.waitStep(page, 'contact');
    assert.equal(await p.locator('.contact-card a').count(), 0);
    assert.equal(await p.locator('.contact-card .fact-phone dd').textContent(), '05341 000-100');
    h.checkNoProblems(page);
    await page.context().close();
  }

  h.step('no tenant in the URL: the language first, then the office picker in that language');
  {
    const page = await h.newPage(browser, server);
    await page.goto(server.url('/'));
    await h.welcomeTile(page, 'fa').waitFor();
    // every language's own name is drawn with a font from /fonts/ (no system fallback, no boxes)
    const codes = await page.locator('#welcome-langs button.tile').evaluateAll((bs) => bs.map((b) => b.lang));
    assert.equal(codes.length, 13);   // twelve languages and Easy German
    for (const code of codes) {
      const rtl = ['ar', 'fa', 'ps'].includes(code);
      await checkRealFont(page, '#welcome-langs button[lang="' + code + '"] .tile-name', rtl ? 'Noto Sans Arabic' : 'Noto Sans');
    }
    await h.welcomeTile(page, 'fa').click();
    await page.locator('#offices:not([hidden])').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fa');
    assert.equal(await page.locator('#offices-title').textContent(), 'لطفاً اداره آموزش را انتخاب کنید');
    assert.equal(await page.locator('#office-list button').count(), 5);
    await page.locator('#office-list button', { hasText: 'گوسلار' }).click();
    await h.waitStep(page);
    await checkRealFont(page, '#log > li:last-child .text', 'Noto Sans Arabic');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.equal(await page.getAttribute('html', 'lang'), 'fa');
    assert.match(await page.locator('#chat-title').textContent(), /Goslar/);
    h.checkNoProblems(page);
    await page.context().close();
  }
});
