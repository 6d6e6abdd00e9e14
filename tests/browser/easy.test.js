// easy.test.js - Easy German ("Einfache Sprache", de-x-es; issue 11, item 5) on the kiosk page in
// headless Chromium: the language picker lists it by its own name right after Deutsch, touching it
// starts the conversation in Easy German (page lang="de-x-es", left to right, the texts of
// po/de-x-es.po), it is offered with a speaker (German voice), and axe-core finds nothing.
'use strict';

const assert = require('node:assert/strict');
const h = require('./harness.js');

const TENANT = 'goslar';

h.run('browser.kiosk.easy', async (args, defer) => {
  const server = await new h.Server(args).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('the picker: "Einfache Sprache" right after Deutsch, with its own lang and a speaker');
  const page = await h.newPage(browser, server);
  await page.goto(server.url('/k/' + TENANT));
  await page.locator('#start:not([disabled])').click();
  await page.locator('#languages:not([hidden])').waitFor();
  const tiles = await page.locator('#language-list button.tile').evaluateAll((bs) =>
    bs.map((b) => b.lang + '=' + b.textContent.trim() + '/' + (b.dir || 'ltr')));
  assert.deepEqual(tiles.slice(0, 2), ['de=Deutsch/ltr', 'de-x-es=Einfache Sprache/ltr']);
  await page.locator('#language-list button.speak').first().waitFor();
  const speakers = await page.locator('#language-list button.speak').count();
  assert.equal(speakers, tiles.length - 1, 'a speaker beside every tile but Pashto: ' + tiles);

  h.step('touching it: the first question in Easy German');
  await page.locator('#language-list button.tile[lang="de-x-es"]').click();
  const step = await h.waitStep(page, 'who');
  assert.equal(await page.getAttribute('html', 'lang'), 'de-x-es');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal((await step.locator('.text').textContent()).trim(), 'Für wen suchen Sie ein Angebot?');
  const labels = await h.choiceLabels(page);
  assert.ok(labels.includes('Mit einem Menschen sprechen'), labels.join(' | '));
  assert.ok(!labels.includes('Mit jemandem sprechen'), labels.join(' | '));
  assert.equal(await page.locator('#choices button.choice[lang="de-x-es"]').count(), labels.length);
  await h.axe(page, 'first question in Easy German');
  h.checkNoProblems(page);
  await page.context().close();
});
