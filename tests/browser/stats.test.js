// stats.test.js - what the kiosk page tells the anonymous statistics (docs/privacy.md): on a
// results step the feedback block ("Hat Ihnen das geholfen?" Ja / Nein, "Nichts davon passt",
// words from the catalogue) takes one touch, sends {"type":"event","what":"helped"}, thanks the
// family and its buttons go; the QR codes shown and a speaker touched are sent as events; the
// welcome screen's "Datenschutz" link opens a dialog with the privacy text in every language of
// the office without starting a conversation. After the stop the database holds exactly those
// counts.
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./harness.js');

const TENANT = 'salzgitter';

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

/* Waits until the page sent an event frame with this what; returns how many it sent. */
async function waitEvent(page, what) {
  const count = () => page.socketFrames.filter((f) => f.dir === 'sent' && f.msg.type === 'event' &&
    f.msg.what === what).length;
  const deadline = Date.now() + h.WAIT_MS;
  while (!count()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the event ' + what);
    await new Promise((r) => setTimeout(r, 50));
  }
  return count();
}

/* Rows of the database (read with Debian's python3, read-only). */
function query(db, sql) {
  const out = execFileSync('/usr/bin/python3', ['-c',
    'import json, sqlite3, sys\n' +
    'con = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)\n' +
    'print(json.dumps(con.execute(sys.argv[2]).fetchall()))', db, sql], { encoding: 'utf8' });
  return JSON.parse(out);
}

h.run('browser.kiosk.stats', async (args, defer) => {
  const server = await new h.Server(args, { config: { stats: { flush_seconds: 1 } } }).start();
  defer(() => server.cleanup());
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());

  h.step('the privacy link on the welcome screen opens the dialog, in every language');
  const page = await h.newPage(browser, server);
  await page.goto(server.url('/k/' + TENANT));
  const link = page.locator('#privacy-open:not([hidden])');
  await link.waitFor();
  assert.equal(await link.textContent(), 'Datenschutz');
  await link.click();
  const dialog = page.locator('dialog#privacy[open]');
  await dialog.waitFor();
  assert.equal(await dialog.locator('h2').textContent(), 'Datenschutz');
  await page.waitForFunction(() => document.querySelectorAll('#privacy .privacy-text').length > 1);
  const texts = await dialog.locator('.privacy-text').evaluateAll((ps) =>
    ps.map((p) => ({ lang: p.lang, text: p.textContent })));
  assert.equal(texts[0].lang, 'de');
  assert.match(texts[0].text, /^Wir speichern nichts, was Sie erkennbar macht/);
  const ar = texts.find((t) => t.lang === 'ar');
  assert.ok(ar && ar.text.startsWith('لا نحفظ أي شيء'), JSON.stringify(texts));
  assert.ok(!await page.locator('#welcome').isHidden(), 'still on the welcome screen');
  await dialog.locator('button.privacy-close').click();
  await page.locator('dialog#privacy[open]').waitFor({ state: 'detached' }).catch(() => {});
  assert.equal(await page.locator('dialog#privacy').evaluate((d) => d.open), false);
  assert.ok(!await page.locator('#welcome').isHidden(), 'the close did not start a conversation');
  assert.equal(page.socketFrames.filter((f) => f.dir === 'sent' && f.msg.type === 'start').length, 0);

  h.step('a results step: the QR codes shown, the feedback block, one touch');
  await h.startConversation(page, server, TENANT, 'Deutsch');
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await choose(page, 'daycare');
  const results = await h.waitStep(page, 'results');
  assert.equal(await waitEvent(page, 'qr'), 1);
  // the feedback block of the current results step: in the reach zone on this portrait kiosk
  const fb = page.locator('#reach .feedback:not([hidden])');
  await fb.waitFor();
  assert.equal(await fb.locator('.feedback-question').textContent(), 'Hat Ihnen das geholfen?');
  assert.deepEqual(await fb.locator('button.feedback-button').allTextContents(),
    ['Ja', 'Nein', 'Nichts davon passt']);
  await fb.locator('button[data-what="helped"]').click();
  assert.equal(await waitEvent(page, 'helped'), 1);
  await h.waitFrame(page, 'received', 'noted');
  assert.equal(await fb.locator('.feedback-thanks').textContent(), 'Danke für Ihre Rückmeldung!');
  assert.equal(await fb.locator('button').count(), 0);

  h.step('a speaker touched in the conversation');
  // the results heading's speaker within reach (the bubble's own is hidden on a portrait kiosk)
  await page.locator('#step-speak button.speak-step').click();
  assert.equal(await waitEvent(page, 'read_aloud'), 1);
  await h.waitFrame(page, 'received', 'noted', page.socketFrames.length - 1).catch(() => {});
  h.checkNoProblems(page);

  h.step('the counts in the database after the stop');
  await server.stop();
  const db = path.join(server.tmp, 'lotse.db');
  const got = query(db, "SELECT event, channel, node, n FROM stats_counts WHERE event IN" +
    " ('helped', 'qr', 'read_aloud', 'start') ORDER BY event");
  assert.deepEqual(got, [['helped', 'web', 'results', 1], ['qr', 'web', 'results', 1],
    ['read_aloud', 'web', 'results', 1], ['start', 'web', '', 1]]);
  const item = query(db, "SELECT item FROM stats_counts WHERE event = 'helped'")[0][0];
  assert.match(item, /^([a-z_]+=[^;]+;)*[a-z_]+=[^;]+$/, item);
});
