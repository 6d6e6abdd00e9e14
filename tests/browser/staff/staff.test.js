// staff.test.js - the staff area in real headless Chromium against the real `lotse serve`
// (a temporary copy of the repository's flows/ and po/, a temporary database, port 0):
// log in (a wrong password first), open a flow, edit a text, check (an error first: shown at
// its line, a click puts the cursor there; then fixed), preview (the kiosk page in the iframe
// shows the edited text), publish, see it in the history with its diff, see the kiosk socket
// serve the new text to a new conversation while a running one keeps the old text; the flow
// picture; a conflict when the file changed on disk; a rollback; offers with a validation
// message at its field; translations; a viewer who cannot publish. Screenshots of every screen
// go to <build>/test-artifacts/staff/. Run by tests/browser/run.sh (see tests/CMakeLists.txt):
//   run.sh LOTSE BUILD staff/staff
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const h = require('../harness.js');

const TENANT = 'salzgitter';
const FLOW = 'main';
const OLD_TEXT = 'Für wen suchen Sie ein Angebot?';
const NEW_TEXT = 'Für wen suchen Sie Hilfe?';
const EDITOR = { name: 'redakteurin', password: 'korrekt-pferd-batterie-7' };
const VIEWER = { name: 'leser', password: 'nur-lesen-bitte-42' };
// Answers the pages provoke on purpose (a wrong password, a failed check, a conflict, the
// session probe before login); Chromium logs each as "Failed to load resource". A 404 is
// recorded with its URL by the response listener instead.
const EXPECTED_STATUS = /Failed to load resource: the server responded with a status of (401|404|409|422)/;

function addAccount(server, who, role) {
  execFileSync(server.args.lotse, ['staff', 'add', who.name, '--role', role, '--office', '*',
    '--database', path.join(server.tmp, 'lotse.db')], { input: who.password + '\n', stdio: ['pipe', 'inherit', 'inherit'] });
}

/* A page that records script errors, CSP refusals and unexpected console errors. */
async function staffPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE' });
  const page = await context.newPage();
  page.setDefaultTimeout(h.WAIT_MS);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !EXPECTED_STATUS.test(m.text())) page.problems.push('console: ' + m.text());
  });
  page.on('response', (r) => {
    if (r.status() === 404 || r.status() >= 500) page.problems.push(r.status() + ': ' + r.url());
  });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:', 'about:'].includes(u.protocol) && u.hostname !== '127.0.0.1')
      page.problems.push('request left the server: ' + r.url());
  });
  return page;
}

async function shot(page, dir, name, fullPage = false) {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir, name + '.png'), fullPage, animations: 'disabled', caret: 'hide' });
}

async function login(page, server, who) {
  await page.goto(server.urls.staff.replace(/\/?$/, '/staff/'));
  await page.locator('#login-form').waitFor();
  await page.fill('#login-name', who.name);
  await page.fill('#login-password', who.password);
  await page.click('#login-submit');
  await page.locator('#who:not([hidden])').waitFor();
  assert.equal(await page.textContent('#who-name'), who.name);
}

/* Replaces the editor's text as typing would (input events), then scrolls it back to the top. */
async function setEditor(page, text) {
  await page.fill('#flow-text', text);
  await page.$eval('#flow-text', (t) => { t.scrollTop = 0; });
}

/* The line (1-based) the textarea's cursor is on. */
function cursorLine(page) {
  return page.$eval('#flow-text', (t) => t.value.slice(0, t.selectionStart).split('\n').length);
}

/* The kiosk page in the preview frame reaches the first question and shows `text`. It may
 * begin on its welcome screen and ask for the language, as on the kiosk. */
async function previewShows(page, lang, text) {
  const frame = page.frameLocator('#preview-frame');
  const question = frame.getByText(text).first();
  const start = frame.locator('#welcome-langs button.tile[lang="' + lang + '"]:not([disabled])');
  // whichever comes first; the other wait must not fail the run later
  const q = question.waitFor().then(() => true, () => false);
  const w = start.waitFor().then(() => true, () => false);
  assert.ok(await Promise.race([q, w]), 'the preview frame shows neither the question nor its welcome screen');
  if (!(await question.isVisible())) {
    await start.click();      // language first: its button on the welcome starts the conversation
    await question.waitFor();
  }
}

// ---- conversations on the kiosk socket, from a page on the kiosk's own origin ----

async function socketPage(browser, server) {
  const page = await browser.newPage();
  await page.goto(new URL('/config.json', server.urls.kiosk).href);
  await page.evaluate(() => {
    window.convs = [];
    window.openConv = async () => {
      const cfg = await (await fetch('/config.json', { cache: 'no-store' })).json();
      const host = cfg.socket.host || location.hostname;
      const ws = new WebSocket('ws://' + host + ':' + cfg.socket.port + (cfg.socket.path || '/'));
      const conv = { ws, queue: [], waiters: [] };
      ws.onmessage = (ev) => {
        const m = JSON.parse(ev.data);
        const w = conv.waiters.findIndex((x) => x.type === m.type || m.type === 'error');
        if (w >= 0) conv.waiters.splice(w, 1)[0].resolve(m); else conv.queue.push(m);
      };
      await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
      window.convs.push(conv);
      return window.convs.length - 1;
    };
    window.ask = (i, msg, type) => new Promise((resolve) => {
      const conv = window.convs[i];
      const q = conv.queue.findIndex((m) => m.type === type || m.type === 'error');
      if (q >= 0) { resolve(conv.queue.splice(q, 1)[0]); return; }
      conv.waiters.push({ type, resolve });
      if (msg) conv.ws.send(JSON.stringify(msg));
    });
  });
  return page;
}

async function startConversation(page, lang = 'de') {
  const i = await page.evaluate(() => window.openConv());
  const step = await page.evaluate(([n, t, l]) => window.ask(n, { type: 'start', tenant: t, lang: l }, 'step'),
    [i, TENANT, lang]);
  assert.equal(step.type, 'step', JSON.stringify(step));
  return { i, text: step.text };
}

async function stepAgain(page, conv) {
  const step = await page.evaluate((n) => window.ask(n, { type: 'language', lang: 'de' }, 'step'), conv.i);
  assert.equal(step.type, 'step', JSON.stringify(step));
  return step.text;
}

// ---- the scenario ----

h.run('staff area: log in, edit, check, preview, publish, history, rollback', async (args, cleanup) => {
  const shots = path.join(args.artifacts, 'staff');
  fs.mkdirSync(shots, { recursive: true });
  const tmp = h.tempDir('lotse-staff-content');
  cleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const flows = path.join(tmp, 'flows');
  const po = path.join(tmp, 'po');
  fs.cpSync(path.join(args.source, 'flows'), flows, { recursive: true });
  fs.cpSync(path.join(args.source, 'po'), po, { recursive: true });
  const mo = path.join(tmp, 'mo');
  h.compileCatalogues(po, mo);
  const flowFile = path.join(flows, TENANT, FLOW + '.yaml');
  const original = fs.readFileSync(flowFile, 'utf8');
  assert.ok(original.includes('ask: ' + OLD_TEXT), 'the test expects the default content');

  const server = new h.Server(args, { flows, mo, config: { po } });
  cleanup(() => server.cleanup());
  addAccount(server, EDITOR, 'editor');
  addAccount(server, VIEWER, 'viewer');
  await server.start();
  cleanup(() => server.stop());
  const browser = await h.launch();
  cleanup(() => browser.close());
  const page = await staffPage(browser);
  const sock = await socketPage(browser, server);
  try {
    await scenario(page, sock, server, shots, { flows, po, flowFile, original });
  } catch (e) {
    // what the page showed when it went wrong
    await shot(page, shots, 'failure', true).catch(() => {});
    throw e;
  }
});

async function scenario(page, sock, server, shots, paths) {
  const { flows, flowFile, original } = paths;

  h.step('login: a wrong password, then the right one');
  await page.goto(server.urls.staff.replace(/\/?$/, '/staff/'));
  await page.locator('#login-form').waitFor();
  await shot(page, shots, '01-login');
  await page.fill('#login-name', EDITOR.name);
  await page.fill('#login-password', 'falsch-falsch-falsch');
  await page.click('#login-submit');
  await page.locator('#login-error:not([hidden])').waitFor();
  assert.match(await page.textContent('#login-error'), /Anmeldung fehlgeschlagen/);
  await shot(page, shots, '02-login-failed');
  await page.fill('#login-password', EDITOR.password);
  await page.click('#login-submit');
  await page.locator('#who:not([hidden])').waitFor();
  assert.equal(await page.textContent('#who-name'), EDITOR.name);
  assert.equal(await page.textContent('#who-role'), 'Bearbeiten');
  await h.axe(page, 'the login form');

  h.step('tenants and flows');
  await page.locator('#tenant-list > li').first().waitFor();
  const tenantsShown = await page.locator('#tenant-list > li h2').allTextContents();
  const salzgitterName = await page.locator('#tenant-list > li', { has: page.locator('a[href^="#/flow/' + TENANT + '/"]') })
    .locator('h2').textContent();
  assert.equal(tenantsShown.length, fs.readdirSync(flows).filter((d) => fs.existsSync(path.join(flows, d, 'tenant.yaml'))).length);
  await shot(page, shots, '03-flows');
  await h.axe(page, 'the flow overview');

  h.step('open a flow: the editor with line numbers');
  await page.click('a[href="#/flow/' + TENANT + '/' + FLOW + '/edit"]');
  await page.waitForFunction(() => document.getElementById('flow-text').value.length > 0);
  assert.equal(await page.inputValue('#flow-text'), original);
  const lines = original.split('\n').length;
  assert.equal(await page.locator('#flow-editor .gutter li').count(), lines);
  // the gutter follows the textarea's scrolling
  await page.$eval('#flow-text', (t) => { t.scrollTop = t.scrollHeight; });
  await page.waitForFunction(() => {
    const t = document.getElementById('flow-text');
    const g = document.querySelector('#flow-editor .gutter');
    return t.scrollTop > 0 && Math.abs(g.scrollTop - t.scrollTop) < 1;
  });
  await page.$eval('#flow-text', (t) => { t.scrollTop = 0; });

  h.step('edit a text and add a mistake: check shows it at its line');
  const edited = original.replace('ask: ' + OLD_TEXT, 'ask: ' + NEW_TEXT);
  const askLine = edited.split('\n').findIndex((l) => l.includes('ask: ' + NEW_TEXT)) + 1;
  const badLine = askLine + 1;
  const broken = edited.replace('    ask: ' + NEW_TEXT + '\n', '    ask: ' + NEW_TEXT + '\n    farbe: blau\n');
  await setEditor(page, broken);
  assert.equal(await page.locator('#flow-editor .gutter li').count(), lines + 1);
  assert.match(await page.textContent('#edit-state'), /Ungespeicherte Änderungen/);
  await page.click('#btn-check');
  const problem = page.locator('#problem-list button').first();
  await problem.waitFor();
  const problemText = await problem.textContent();
  assert.match(problemText, new RegExp('^Zeile ' + badLine + ', Spalte 5: .*farbe'), problemText);
  assert.equal(await page.locator('#flow-editor .gutter li.has-error').count(), 1);
  assert.equal(await page.textContent('#flow-editor .gutter li.has-error'), String(badLine));
  await page.$eval('#flow-text', (t) => t.setSelectionRange(0, 0));
  await problem.click();
  assert.equal(await cursorLine(page), badLine);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'flow-text');
  await shot(page, shots, '04-check-error');

  h.step('fix it: check is clean');
  await setEditor(page, edited);
  await page.click('#btn-check');
  await page.locator('#check-result .msg.ok').waitFor();
  assert.equal(await page.textContent('#check-result'), 'Keine Fehler gefunden.');
  assert.equal(await page.locator('#problem-list li').count(), 0);
  await h.axe(page, 'the flow editor');

  h.step('a conversation starts before the publish');
  const running = await startConversation(sock);
  assert.equal(running.text, OLD_TEXT);

  h.step('preview: the kiosk page in the frame shows the draft');
  await page.selectOption('#preview-lang', 'de');
  await page.click('#btn-preview');
  await page.locator('#preview-frame:not([hidden])').waitFor();
  const src = await page.getAttribute('#preview-frame', 'src');
  assert.match(src, new RegExp('[?&]preview=[A-Za-z0-9_-]+&tenant=' + TENANT + '.*&lang=de$'), src);
  await previewShows(page, 'de', NEW_TEXT);
  await shot(page, shots, '05-preview', true);
  // nobody else sees the draft yet
  assert.equal((await startConversation(sock)).text, OLD_TEXT);

  h.step('publish');
  await page.click('#btn-publish');
  await page.locator('#publish-dialog[open]').waitFor();
  await page.fill('#publish-message', 'Erste Frage kürzer');
  await shot(page, shots, '06-publish-dialog');
  await page.click('#publish-confirm');
  await page.locator('#page-notice:not([hidden])').waitFor();
  const notice = await page.textContent('#page-notice');
  const published = Number((/Veröffentlicht als Fassung (\d+)/.exec(notice) || [])[1]);
  assert.ok(published > 0, notice);
  assert.equal(fs.readFileSync(flowFile, 'utf8'), edited);
  assert.match(await page.textContent('#edit-state'), /Entspricht der Fassung auf dem Server/);
  await shot(page, shots, '07-published');

  h.step('the kiosk socket: a new conversation gets the new text, the running one keeps the old');
  assert.equal((await startConversation(sock)).text, NEW_TEXT);
  assert.equal(await stepAgain(sock, running), OLD_TEXT);

  h.step('history: the revision and its diff');
  await page.click('#tab-history');
  await page.locator('#history-rows tr').first().waitFor();
  const rows = await page.locator('#history-rows tr').allTextContents();
  assert.equal(rows.length, 2, rows.join(' | '));   // the file as it was on disk, then ours
  assert.match(rows[0], new RegExp('Fassung ' + published + ' \\(aktuell\\).*' + EDITOR.name + '.*Erste Frage kürzer'));
  assert.match(rows[1], /Datei auf dem Server/);
  await page.click('#history-show');
  await page.locator('#history-diff table.diff').waitFor();
  assert.deepEqual(await page.locator('#history-diff tr.del td.text').allTextContents(), ['    ask: ' + OLD_TEXT]);
  assert.deepEqual(await page.locator('#history-diff tr.add td.text').allTextContents(), ['    ask: ' + NEW_TEXT]);
  await shot(page, shots, '08-history', true);
  await h.axe(page, 'the history');

  h.step('the flow picture');
  await page.click('#tab-picture');
  await page.waitForFunction(() => {
    const i = document.getElementById('flow-picture');
    return i.src.startsWith('data:image/svg+xml') && i.complete && i.naturalWidth > 0;
  });
  assert.equal(await page.locator('#legend li').count(), 12);
  await shot(page, shots, '09-picture');

  h.step('translations: the new text is untranslated, with its reference');
  await page.click('#nav a[data-area="translations"]');
  const cell = page.locator('#coverage-rows tr', { hasText: salzgitterName }).locator('td.open a').first();
  await cell.waitFor();
  await page.locator('#coverage-rows tr', { hasText: salzgitterName }).locator('td a[href$="/en"]').click();
  await page.waitForFunction((t) => location.hash === '#/translations/' + t + '/en', TENANT);
  const missing = page.locator('#missing-rows tr', { hasText: NEW_TEXT });
  await missing.waitFor();
  assert.equal(await missing.locator('td').first().textContent(), 'fehlt');
  const ref = 'flows/' + TENANT + '/' + FLOW + '.yaml:' + askLine;
  assert.deepEqual(await missing.locator('ul.refs a').allTextContents(), [ref]);
  await shot(page, shots, '10-translations', true);
  await h.axe(page, 'the translations');

  h.step('upload a broken .po: its errors are listed, nothing changes');
  const enPo = path.join(paths.po, 'en.po');
  const enBefore = fs.readFileSync(enPo, 'utf8');
  const brokenPo = enBefore + '\nmsgid "' + NEW_TEXT + '"\nmsgstr "Who are you looking for help for?\n';
  await page.selectOption('#upload-lang', 'en');
  await page.setInputFiles('#upload-file', { name: 'en.po', mimeType: 'text/x-gettext-translation',
    buffer: Buffer.from(brokenPo) });
  await page.click('#upload-submit');
  await page.locator('#upload-result.msg.error li').first().waitFor();
  const poErrors = await page.locator('#upload-result li').allTextContents();
  // the same line msgfmt --check itself names
  const own = path.join(paths.po, '..', 'broken.po');
  fs.writeFileSync(own, brokenPo);
  let msgfmtSays = '';
  try { execFileSync('msgfmt', ['--check', '-o', '/dev/null', own], { stdio: 'pipe' }); } catch (e) { msgfmtSays = String(e.stderr); }
  const line = Number((/broken\.po:(\d+):/.exec(msgfmtSays) || [])[1]);
  assert.ok(line > 0, msgfmtSays);
  assert.ok(poErrors.some((e) => e.startsWith('Zeile ' + line + ': ')), poErrors.join(' | ') + ' / ' + msgfmtSays);
  assert.equal(fs.readFileSync(enPo, 'utf8'), enBefore);
  await shot(page, shots, '11-po-rejected', true);

  h.step('upload a good .po: taken over, the kiosk speaks it at once');
  const goodPo = enBefore + '\nmsgid "' + NEW_TEXT + '"\nmsgstr "Who are you looking for help for?"\n';
  await page.setInputFiles('#upload-file', { name: 'en.po', mimeType: 'text/x-gettext-translation',
    buffer: Buffer.from(goodPo) });
  await page.click('#upload-submit');
  await page.locator('#upload-result.msg.ok').waitFor();
  assert.match(await page.textContent('#upload-result'), /fehlerfrei und wurde übernommen \(Fassung \d+\)/);
  assert.equal(fs.readFileSync(enPo, 'utf8'), goodPo);
  await page.locator('#missing-rows tr', { hasText: NEW_TEXT }).waitFor({ state: 'detached' });
  assert.equal((await startConversation(sock, 'en')).text, 'Who are you looking for help for?');

  h.step('a reference leads into the editor at its line');
  await page.goto(page.url().replace(/#.*$/, '') + '#/translations/' + TENANT + '/ar');
  await page.locator('#missing-rows tr', { hasText: NEW_TEXT }).locator('ul.refs a').click();
  await page.waitForFunction(() => location.hash.startsWith('#/flow/'));
  await page.waitForFunction((n) => {
    const t = document.getElementById('flow-text');
    return document.activeElement === t && t.value.slice(0, t.selectionStart).split('\n').length === n;
  }, askLine);

  h.step('conflict: the file changes on disk while a draft is open');
  await page.click('#tab-edit');
  await setEditor(page, edited.replace('ask: ' + NEW_TEXT, 'ask: Wen suchen Sie?'));
  fs.writeFileSync(flowFile, edited.replace('title: ', '# edited with git\ntitle: '));
  await page.click('#btn-publish');
  await page.fill('#publish-message', 'Noch kürzer');
  await page.click('#publish-confirm');
  await page.locator('#conflict:not([hidden])').waitFor();
  assert.match(await page.textContent('#conflict-text'), /Nichts wurde überschrieben/);
  await page.click('#conflict-compare');
  await page.locator('#compare-diff table.diff').waitFor();
  assert.deepEqual(await page.locator('#compare-diff tr.del td.text').allTextContents(),
    ['# edited with git', '    ask: ' + NEW_TEXT]);
  assert.deepEqual(await page.locator('#compare-diff tr.add td.text').allTextContents(), ['    ask: Wen suchen Sie?']);
  await shot(page, shots, '12-conflict', true);
  await page.click('#conflict-reload');
  await page.locator('#confirm-dialog[open]').waitFor();
  await page.click('#confirm-ok');
  await page.waitForFunction(() => document.getElementById('flow-text').value.includes('# edited with git'));
  assert.ok(fs.readFileSync(flowFile, 'utf8').includes('# edited with git'), 'nothing was overwritten');

  h.step('rollback to the first revision');
  await page.click('#tab-history');
  await page.locator('#history-rows tr').first().waitFor();
  const first = page.locator('#history-rows tr').last();
  await first.locator('button', { hasText: 'Wiederherstellen' }).click();
  await page.locator('#confirm-dialog[open]').waitFor();
  await shot(page, shots, '13-rollback-confirm');
  await page.click('#confirm-ok');
  await page.waitForFunction(() => /wurde als neue Fassung \d+ veröffentlicht/
    .test(document.getElementById('page-notice').textContent));
  assert.equal(fs.readFileSync(flowFile, 'utf8'), original);
  assert.equal((await startConversation(sock)).text, OLD_TEXT);
  await page.click('#tab-edit');
  await page.waitForFunction((o) => document.getElementById('flow-text').value === o, original);

  h.step('offers: the list and a validation message at its field');
  await page.click('#nav a[data-area="offers"]');
  await page.locator('#offer-rows tr a').first().waitFor();
  await page.selectOption('#offers-tenant', TENANT);
  await page.waitForFunction((t) => location.hash === '#/offers/' + t, TENANT);
  await page.locator('#offer-rows tr a').first().waitFor();
  await shot(page, shots, '14-offers');
  await h.axe(page, 'the offers');
  await page.locator('#offer-rows tr a').first().click();
  await page.locator('#of-phone').waitFor();
  const offersFile = path.join(flows, TENANT, 'offers.yaml');
  const offersBefore = fs.readFileSync(offersFile, 'utf8');
  await page.fill('#of-phone', 'ruf mich an');
  await page.click('#offer-save');
  await page.locator('#of-row-phone.invalid').waitFor();
  assert.equal(await page.textContent('#of-err-phone'),
    'Ungültige Telefonnummer „ruf mich an“: erlaubt sind Ziffern, Leerzeichen und + - / ( ), mindestens 5 Ziffern.');
  assert.equal(fs.readFileSync(offersFile, 'utf8'), offersBefore);
  await shot(page, shots, '15-offer-invalid', true);
  await page.fill('#of-phone', '05341 000-299');
  await page.fill('#offer-message', 'Neue Telefonnummer');
  await page.click('#offer-save');
  await page.waitForFunction(() => /Angebot gespeichert \(Fassung \d+\)/
    .test(document.getElementById('page-notice').textContent));
  assert.ok(fs.readFileSync(offersFile, 'utf8').includes('05341 000-299'), 'the offer was written');
  await page.locator('#offer-rows td', { hasText: '05341 000-299' }).waitFor();

  h.step('offers: create one, retire it, see both in the history');
  await page.click('#offer-new');
  await page.locator('#of-id:not([readonly])').waitFor();
  const fields = { id: 'test-sprachcafe', title: 'Sprachcafé im Rathaus', description: 'Deutsch üben bei Kaffee.',
    district: 'Lebenstedt', address: 'Rathausplatz 1, 38226 Salzgitter', hours: 'Mi 15–17 Uhr', cost: 'kostenlos',
    email: 'sprachcafe@example.org', languages: 'de, en', facts: 'audience: adult\ntopic: language' };
  for (const [k, v] of Object.entries(fields)) await page.fill('#of-' + k, v);
  await page.click('#offer-save');
  await page.waitForFunction(() => /Angebot angelegt/.test(document.getElementById('page-notice').textContent));
  await page.locator('#offer-rows a', { hasText: fields.title }).click();
  await page.locator('#offer-retire').click();
  await page.locator('#confirm-dialog[open]').waitFor();
  await page.click('#confirm-ok');
  await page.waitForFunction(() => /wurde zurückgezogen/.test(document.getElementById('page-notice').textContent));
  assert.equal(await page.locator('#offer-rows a', { hasText: fields.title }).count(), 0);
  assert.ok(!fs.readFileSync(offersFile, 'utf8').includes(fields.id), 'retired offer left offers.yaml');
  await page.click('#offers-history-box summary');
  await page.locator('#offers-history-rows tr').first().waitFor();
  const offerRevs = await page.locator('#offers-history-rows tr').allTextContents();
  assert.equal(offerRevs.length, 4, offerRevs.join(' | '));   // disk, edit, create, retire
  assert.match(offerRevs[0], /zurückgezogen/);
  assert.match(offerRevs[2], /Neue Telefonnummer/);
  await shot(page, shots, '16-offers-history', true);


  h.step('logout, then a viewer: everything visible, nothing to publish');
  await page.click('#logout');
  await page.locator('#login-form').waitFor();
  await page.locator('#who').waitFor({ state: 'hidden' });
  await login(page, server, VIEWER);
  assert.equal(await page.textContent('#who-role'), 'Nur lesen');
  await page.goto(server.urls.staff.replace(/\/?$/, '/staff/') + '#/flow/' + TENANT + '/' + FLOW + '/edit');
  await page.waitForFunction(() => document.getElementById('flow-text').value.length > 0);
  assert.equal(await page.isDisabled('#btn-publish'), true);
  assert.equal(await page.isDisabled('#btn-check'), false);
  await page.click('#tab-history');
  await page.locator('#history-rows tr').first().waitFor();
  assert.equal(await page.locator('#history-rows button').count(), 0);
  await shot(page, shots, '17-viewer-history');

  assert.deepEqual(page.problems, [], 'page problems');
  assert.deepEqual(server.log.filter((l) => /AddressSanitizer|runtime error:/.test(l)), []);
}
