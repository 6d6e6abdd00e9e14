// easy.test.js - Easy German ("Einfache Sprache", de-x-es; issue 11, item 5) on the kiosk page in
// headless Chromium: the welcome's language buttons (language first) list it by its own name
// right after Deutsch, with its own lang and a speaker (German voice); touching it starts the
// conversation in Easy German (page lang="de-x-es", left to right, the texts of po/de-x-es.po);
// the bar's language picker lists it after Deutsch too, pressed; axe-core finds nothing.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'goslar';

/* lang=name/dir of every language button in `sel` (the name without the greeting). */
function tilesOf(page, sel) {
  return page.locator(sel).evaluateAll((bs) => bs.map((b) => b.lang + '=' +
    (b.querySelector('.tile-name') || b).textContent.trim() + '/' + (b.dir || 'ltr')));
}

h.run('browser.kiosk.easy', async (args, defer) => {
  const server = await new h.Server(args).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('the welcome: "Einfache Sprache" right after Deutsch, with its own lang and a speaker');
  const page = await h.newPage(browser, server);
  await page.goto(server.url('/k/' + TENANT));
  await h.welcomeTile(page, 'de-x-es').waitFor();
  const tiles = await tilesOf(page, '#welcome-langs button.tile');
  assert.equal(tiles.length, 13, tiles.join(' '));
  assert.deepEqual(tiles.slice(0, 2), ['de=Deutsch/ltr', 'de-x-es=Einfache Sprache/ltr']);
  await page.locator('#welcome-langs button.speak').first().waitFor();
  const speakers = await page.locator('#welcome-langs button.speak').count();
  assert.equal(speakers, tiles.length - 1, 'a speaker beside every tile but Pashto: ' + tiles);
  await h.axe(page, 'welcome of ' + TENANT);

  h.step('touching it: the first question in Easy German');
  await h.welcomeTile(page, 'de-x-es').click();
  const step = await h.waitStep(page, 'who');
  assert.equal(await page.getAttribute('html', 'lang'), 'de-x-es');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal((await step.locator('.text').textContent()).trim(), 'Für wen suchen Sie ein Angebot?');
  const labels = await h.choiceLabels(page);
  assert.ok(labels.includes('Mit einem Menschen sprechen'), labels.join(' | '));
  assert.ok(!labels.includes('Mit jemandem sprechen'), labels.join(' | '));
  assert.equal(await page.locator('#choices button.choice[lang="de-x-es"]').count(), labels.length);
  await h.axe(page, 'first question in Easy German');

  h.step('the bar\'s language picker: Einfache Sprache after Deutsch, pressed');
  await page.locator('#language').click();
  await page.locator('#languages:not([hidden])').waitFor();
  const picker = await tilesOf(page, '#language-list button.tile');
  assert.deepEqual(picker.slice(0, 2), ['de=Deutsch/ltr', 'de-x-es=Einfache Sprache/ltr']);
  assert.deepEqual(await page.locator('#language-list button.tile[aria-pressed="true"]')
    .evaluateAll((bs) => bs.map((b) => b.lang)), ['de-x-es']);
  await h.axe(page, 'language picker in Easy German');
  h.checkNoProblems(page);
  await page.context().close();
});
