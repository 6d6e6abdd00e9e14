// injection.test.js - a translation is text, never markup: the fixture office
// (tests/browser/fixture/) has source texts and an English catalogue (compiled here with
// msgfmt) whose every translation is HTML or script, e.g. `<img src=x onerror=alert(1)>`.
// Through a whole conversation the page shows each one literally, creates no element from
// them, runs nothing (no dialog, no CSP violation, no page error) and makes no link of
// `javascript:`.
'use strict';

const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./harness.js');

const PAYLOAD = '<img src=x onerror=alert(1)>';

/* Elements or attributes that only an injection could have made. */
async function injected(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const e of document.querySelectorAll('*')) {
      for (const a of e.attributes) if (/^on/i.test(a.name)) bad.push(e.localName + '[' + a.name + ']');
      const href = e.getAttribute('href') || e.getAttribute('src') || '';
      if (/^\s*javascript:/i.test(href)) bad.push(e.localName + ' javascript: URL');
    }
    for (const sel of ['img:not(.qr)', 'iframe', 'svg', 'b', 'details', 'style', 'script:not([src="/app.js"])',
      'button:not([type="button"])'])
      for (const e of document.querySelectorAll(sel)) bad.push(sel + ': ' + e.outerHTML.slice(0, 80));
    return bad;
  });
}

async function check(page, what) {
  assert.deepEqual(await injected(page), [], 'injected elements on ' + what);
  assert.deepEqual(page.dialogs, [], 'dialogs on ' + what);
  assert.deepEqual(await page.evaluate(() => window.violations), [], 'CSP violations on ' + what);
  h.checkNoProblems(page);
}

h.run('browser.injection', async (args, defer) => {
  const fixture = path.join(args.source, 'tests/browser/fixture');
  const tmp = h.tempDir('lotse-injection');
  const mo = path.join(tmp, 'mo');
  h.compileCatalogues(path.join(fixture, 'po'), mo);
  const server = await new h.Server(args, { flows: path.join(fixture, 'flows'), mo }).start();
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());
  const page = await h.newPage(browser, server);
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation',
      (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));
  });

  h.step('welcome and language picker: the office name is text');
  await page.goto(server.url('/k/schadamt'));
  await h.welcomeTile(page, 'en').waitFor();
  assert.equal(await page.locator('#welcome-office').textContent(), "Amt <img src=x onerror=alert('name')>");
  await check(page, 'welcome');
  await h.welcomeTile(page, 'en').click();

  h.step('the question and the answers: the translations shown literally');
  const q = await h.waitStep(page, 'who');
  assert.equal(await q.locator('.text').textContent(), PAYLOAD);
  assert.equal(await page.locator('#chat-title').textContent(), "Amt <img src=x onerror=alert('name')>");
  const child = page.locator('#choices button[data-choice="child"]');
  assert.equal(await child.textContent(), '<b onmouseover=alert(2)>my child</b>');
  await child.hover();
  assert.equal(await page.locator('#announce').textContent(), PAYLOAD);
  await check(page, 'question');

  h.step('an information step, the offers, the person step');
  await child.click();
  const info = await h.waitStep(page, 'info');
  assert.equal(await info.locator('.text').textContent(), '<script>alert(4)</script>');
  assert.equal(await page.locator('#choices button[data-choice="next"] .choice-label').textContent(),
    '<button onclick=alert(5)>Continue</button>');
  await page.locator('#choices button[data-choice="next"]').click();
  const results = await h.waitStep(page, 'results');
  assert.equal(await results.locator('.text').textContent(), '<svg onload=alert(6)>');
  assert.equal(await results.locator('.count').textContent(), '<img src=x onerror=alert(10)> 1');
  const card = results.locator('article.offer');
  assert.equal(await card.locator('h2').textContent(), '<img src=x onerror=alert(8)>');
  assert.equal(await card.locator('.desc').textContent(), '<style>*{display:none}</style>');
  assert.equal(await card.locator('.fact-when dd').textContent(), '<a href=javascript:alert(9)>Mon–Fri</a>');
  assert.equal(await card.locator('.fact-cost dd').textContent(), "<a href=javascript:alert('cost')>kostenlos</a>");
  assert.match(await card.locator('img.qr').getAttribute('alt'), /<img src=x onerror=alert\(8\)>$/);
  await check(page, 'results');
  assert.equal((await page.locator('#talk').textContent()).trim(),
    await page.locator('#talk-label').textContent());
  await page.locator('#talk').click();   // the results' fixed area
  const person = await h.waitStep(page, 'contact');
  assert.equal(await person.locator('.text').textContent(), '<details open ontoggle=alert(7)>');
  assert.equal(await person.locator('.contact-name').textContent(), '<img src=x onerror=alert(12)>');
  assert.equal(await person.locator('.fact-when dd').textContent(), "<svg onload=alert('hours')>");
  await check(page, 'person');

  h.step('a reload re-renders the kept history: still text');
  await page.reload();
  await h.waitStep(page, 'contact');
  assert.equal(await page.locator('#log > li.bot .text').first().textContent(), PAYLOAD);
  await check(page, 'reload');
});
