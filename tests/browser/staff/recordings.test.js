// recordings.test.js - recording a voice in the staff area in real headless Chromium (its fake
// microphone, a beep) against the real `lotse serve` on the default content: an editor opens
// "Aufnahmen" for Salzgitter in Pashto (no espeak-ng voice: every text is silent), records the
// first question with MediaRecorder, listens, uploads (the page converts the WebM take to WAV,
// the server stores Ogg Opus); the text is then "aufgenommen", the kiosk's recorded.json names
// it, and a Pashto conversation shows a speaker button on that question, which plays the
// recording (200, audio/ogg). Run by tests/browser/run.sh:  run.sh LOTSE BUILD staff/recordings
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const h = require('../harness.js');

const TENANT = 'salzgitter';
const TEXT_PS = 'د چا لپاره پروګرام لټوئ؟';   // "Für wen suchen Sie ein Angebot?" in po/ps.po
const EDITOR = { name: 'sprecherin', password: 'korrekt-pferd-batterie-7' };

h.run('staff area: record a text in the browser, the kiosk plays it', async (args, cleanup) => {
  const server = new h.Server(args);
  cleanup(() => server.cleanup());
  execFileSync(args.lotse, ['staff', 'add', EDITOR.name, '--role', 'editor', '--office', '*',
    '--database', path.join(server.tmp, 'lotse.db')], { input: EDITOR.password + '\n',
    stdio: ['pipe', 'inherit', 'inherit'] });
  await server.start();
  cleanup(() => server.stop());
  const browser = await h.launch(['--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream']);
  cleanup(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE' });
  const page = await context.newPage();
  page.setDefaultTimeout(h.WAIT_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));

  h.step('log in and open the recordings of Salzgitter in Pashto');
  await page.goto(server.urls.staff.replace(/\/?$/, '/staff/'));
  await page.fill('#login-name', EDITOR.name);
  await page.fill('#login-password', EDITOR.password);
  await page.click('#login-submit');
  await page.locator('#who:not([hidden])').waitFor();
  await page.evaluate((t) => { location.hash = '#/recordings/' + t + '/ps'; }, TENANT);
  const row = page.locator('#rec-rows tr', { hasText: TEXT_PS }).first();
  await row.waitFor();
  assert.equal(await row.locator('td.state').textContent(), 'stumm (keine Stimme)');
  assert.match(await page.textContent('#rec-coverage'), /^0 aufgenommen, .* keine Computerstimme$/);
  await h.axe(page, 'the recordings view');

  h.step('record (fake microphone), stop, listen, upload');
  await row.locator('button', { hasText: 'Aufnehmen' }).click();
  await row.locator('text=Nimmt auf …').waitFor();
  await page.waitForTimeout(1500);   // a take of about 1.5 s (the length is not asserted)
  await row.locator('button', { hasText: 'Stopp' }).click();
  await row.locator('text=/^Aufnahme: \\d+\\.\\d s$/').waitFor();
  await row.locator('button', { hasText: /^Anhören$/ }).click();
  const saved = page.waitForResponse((r) => r.url().includes('/api/recordings/' + TENANT + '/ps?'));
  await row.locator('button', { hasText: 'Hochladen' }).click();
  const resp = await saved;
  assert.equal(resp.status(), 201, await resp.text());
  const stored = await resp.json();
  assert.equal(stored.text, TEXT_PS);
  assert.ok(stored.duration_ms > 500, 'a take of ' + stored.duration_ms + ' ms');
  const again = page.locator('#rec-rows tr', { hasText: TEXT_PS }).first();
  await again.locator('td.state', { hasText: 'aufgenommen' }).waitFor();
  assert.match(await page.textContent('#rec-coverage'), /^1 aufgenommen, /);

  h.step('the kiosk: recorded.json names it, a Pashto conversation gets a speaker button that plays it');
  const kiosk = await h.newPage(browser, server);
  await h.startConversation(kiosk, server, TENANT, 'پښتو');
  const rec = await kiosk.evaluate(async (t) => (await fetch('/speak/' + t + '/ps/recorded.json')).json(), TENANT);
  assert.deepEqual(rec, { recorded: ['step/main/who', 'step/neu/who'] });   // the same text twice
  // the question's speaker: in the bubble, and (the one within reach on this portrait kiosk
  // screen, where the bubble's own is hidden) in the reach zone; nothing else is recorded
  const speak = kiosk.locator('#step-speak button.speak');
  await speak.waitFor();
  assert.equal(await speak.count(), 1);
  assert.equal(await kiosk.locator('.bubble button.speak').count(), 1);
  assert.equal(await kiosk.locator('#choices button.speak, #choices-all button.speak').count(), 0);
  const heard = kiosk.waitForResponse((r) => r.url().endsWith('/speak/' + TENANT + '/ps/step/main/who.opus'));
  await speak.click();
  const audio = await heard;
  assert.equal(audio.status(), 200);
  assert.equal(audio.headers()['content-type'], 'audio/ogg');
  assert.deepEqual(problems, []);
  h.checkNoProblems(kiosk);
});
