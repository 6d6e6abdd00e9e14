// resume.test.js - nothing the person did is lost: a server restart mid-conversation shows a
// calm message in the session's language, the page reconnects (backoff) and resumes with its
// token at the same step, with the same bubbles; a page reload resumes from sessionStorage; a
// token the server no longer knows is rebuilt by answering the same questions again. With a
// resume key file, even a crash (kill -9, nothing saved) loses nothing: the token carries the path.
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

/* A token is "<id>.<sealed>" (docs/protocol.md): the id stays for the whole conversation, the
 * sealed part changes with every step. */
const TOKEN = /^[0-9a-f]{32}\.[A-Za-z0-9_-]{40,8192}$/;
const idOf = (t) => t.split('.')[0];

async function token(page) {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('lotse') || '{}').token || null);
}

h.run('browser.resume', async (args, defer) => {
  const keyFile = require('node:path').join(h.tempDir('lotse-key'), 'resume.key');
  require('node:fs').writeFileSync(keyFile, require('node:crypto').randomBytes(32));
  const server = await new h.Server(args, { config: { resume_key_file: keyFile } }).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());
  const page = await h.newPage(browser, server);

  h.step('a conversation in Arabic, three answers deep');
  await h.startConversation(page, server, TENANT, 'العربية');
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-3-5');
  await h.waitStep(page, 'child_need_kita');
  const before = await bubbles(page);
  const tok = await token(page);
  assert.match(tok, TOKEN);

  h.step('the server stops: a calm message in Arabic, the answers wait');
  await server.stop();
  await page.locator('#lost').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#lost').textContent(), 'انقطع الاتصال. جارٍ إعادة الاتصال …');
  assert.equal(await page.locator('#lost').getAttribute('role'), 'status');
  assert.equal(await page.locator('#choices button.choice').first().isDisabled(), true);
  assert.deepEqual(await bubbles(page), before, 'nothing disappears while offline');

  h.step('the server starts again (same ports, same database): resumed with the token');
  const mark = page.socketFrames.length;
  await server.start();
  await page.locator('#lost').waitFor({ state: 'hidden' });
  const resume = await h.waitFrame(page, 'sent', 'resume', mark);
  assert.equal(resume.token, tok);
  const step = await h.waitFrame(page, 'received', 'step', mark);
  assert.equal(step.node, 'child_need_kita', 'the server resumed the same conversation');
  assert.equal(idOf(step.token), idOf(tok));
  await h.waitStep(page, 'child_need_kita');
  assert.deepEqual(await bubbles(page), before);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  await choose(page, 'language');
  await h.waitStep(page, 'results');
  const withResults = await bubbles(page);

  h.step('a page reload resumes from sessionStorage');
  await page.reload();
  await h.waitStep(page, 'results');
  assert.deepEqual(await bubbles(page), withResults);
  assert.equal(idOf(await token(page)), idOf(tok));
  assert.ok(await page.locator('#log article.offer').count() > 0);

  h.step('a crash (kill -9: nothing saved): the page resumes from its sealed token');
  const sealed = await token(page);
  await server.kill();
  await page.locator('#lost').waitFor({ state: 'visible' });
  const mark3 = page.socketFrames.length;
  await server.start();
  await page.locator('#lost').waitFor({ state: 'hidden' });
  assert.equal((await h.waitFrame(page, 'sent', 'resume', mark3)).token, sealed);
  const crashed = await h.waitFrame(page, 'received', 'step', mark3);
  assert.equal(crashed.node, 'results', 'the same step after the crash');
  assert.equal(crashed.lang, 'ar');
  assert.equal(idOf(crashed.token), idOf(tok));
  await h.waitStep(page, 'results');
  assert.deepEqual(await bubbles(page), withResults);

  h.step('a token the server does not know: the same answers again, the same step');
  await page.evaluate(() => {
    const d = JSON.parse(sessionStorage.getItem('lotse'));
    d.token = '0'.repeat(32);
    sessionStorage.setItem('lotse', JSON.stringify(d));
  });
  const mark2 = page.socketFrames.length;
  await page.reload();
  assert.equal((await h.waitFrame(page, 'received', 'error', mark2)).code, 'bad_token');
  await h.waitStep(page, 'results');
  await page.waitForFunction(() => !document.querySelector('#results-actions button').disabled);
  assert.deepEqual(await bubbles(page), withResults);
  const fresh = await token(page);
  assert.match(fresh, TOKEN);
  assert.notEqual(idOf(fresh), idOf(tok));
  await page.locator('#back').click();
  await h.waitStep(page, 'child_need_kita');
  h.checkNoProblems(page);
});
