// print.test.js - the results screen that ends well (issue 11, item 7): "Print all" in Arabic
// builds ONE sheet (title, date, the questions with the answers given, every offer with its
// facts, the office's contact) right to left in Arabic, calls window.print(), and Chromium's
// PDF of it with the print media is exactly one page (the PDF is kept in
// <build>/test-artifacts/print-all-ar.pdf); nothing else of the page is printed. "Finish" first
// shows the reminder; "Back" keeps everything; only "Finish now" sends forget and wipes the page.
// axe-core finds nothing with the reminder open.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');

const TENANT = 'salzgitter';

/* Pages of a PDF: its /Type /Page objects (not /Pages). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

h.run('browser.kiosk.print', async (args, defer) => {
  const server = await new h.Server(args).start();
  defer(() => { server.cleanup(); });
  defer(() => server.stop());
  const browser = await h.launch();
  defer(() => browser.close());
  const page = await h.newPage(browser, server, { reducedMotion: 'reduce' });

  h.step('Arabic to the results');
  await h.startConversation(page, server, TENANT, 'العربية');
  const asked = [];
  for (const [node, id] of [['who', 'child'], ['child_age', 'age-0-2'], ['child_need_small', 'daycare']]) {
    const step = await h.waitStep(page, node);
    const q = await step.locator('.bubble .text').textContent();
    // the answer's label (its pictogram aside: the sheet lists the words chosen)
    const a = await page.locator('#choices button.choice[data-choice="' + id + '"] .choice-label').textContent();
    asked.push([q, a]);
    await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
  }
  const results = await h.waitStep(page, 'results');
  const titles = await results.locator('article.offer h2').allTextContents();
  assert.ok(titles.length >= 2, titles.length + ' offers');
  // the fixed area: talk to a person (the flow's own words), print all, finish; no "done" answer
  assert.equal(await page.locator('#results-actions').isVisible(), true);
  assert.equal((await page.locator('#talk').textContent()).trim(), 'التحدث مع شخص');
  assert.equal((await page.locator('#print-all').textContent()).trim(), 'طباعة الكل');
  assert.equal((await page.locator('#results-finish').textContent()).trim(), 'إنهاء');
  assert.equal(await page.locator('#choices button.choice').count(), 0);

  h.step('"Print all": one sheet, Arabic, right to left, window.print()');
  await page.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
  await page.locator('#print-all').click();
  await page.waitForFunction(() => window.printed === 1);
  const sheet = await page.evaluate(() => {
    const s = document.getElementById('print-sheet');
    return {
      printAll: document.body.classList.contains('print-all'),
      lang: s.lang, dir: s.dir,
      title: s.querySelector('h1').textContent,
      office: s.querySelector('.sheet-office').textContent,
      date: s.querySelector('.sheet-date').textContent,
      answers: [...s.querySelectorAll('.sheet-answer')].map((r) =>
        [r.querySelector('dt').textContent, r.querySelector('dd').textContent]),
      offers: [...s.querySelectorAll('.sheet-offer h3')].map((x) => x.textContent),
      facts: s.querySelectorAll('.sheet-offer .fact').length,
      qr: s.querySelectorAll('.sheet-offer img.qr').length,
      contact: !!s.querySelector('.sheet-contact .fact-phone'),
    };
  });
  assert.equal(sheet.printAll, true);
  assert.equal(sheet.lang, 'ar');
  assert.equal(sheet.dir, 'rtl');
  assert.equal(sheet.title, 'نتائجكم');
  assert.match(sheet.office, /Salzgitter/);
  // today in Arabic with Western digits, like the catalogues' times and numbers (the browser's
  // own ICU, not Node's: their month names and default digits differ between versions)
  const today = await page.evaluate(() =>
    new Intl.DateTimeFormat('ar', { dateStyle: 'long', numberingSystem: 'latn' }).format(new Date()));
  assert.equal(sheet.date, today);
  assert.match(sheet.date, new RegExp('^[0-9]{1,2} \\S+ ' + new Date().getFullYear() + '$'));
  assert.deepEqual(sheet.answers, asked);
  assert.deepEqual(sheet.offers, titles);
  assert.ok(sheet.facts >= titles.length * 2, sheet.facts + ' facts');
  assert.equal(sheet.qr, titles.length);
  assert.equal(sheet.contact, true);

  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    visible: [...document.body.children].filter((e) => getComputedStyle(e).display !== 'none')
      .map((e) => e.id),
    buttons: [...document.querySelectorAll('button')].filter((b) => b.getClientRects().length).length,
    dir: getComputedStyle(document.getElementById('print-sheet')).direction,
  }));
  assert.deepEqual(printed, { visible: ['print-sheet'], buttons: 0, dir: 'rtl' });
  const pdf = await page.pdf({ format: 'A4', printBackground: false });
  fs.writeFileSync(path.join(args.artifacts, 'print-all-ar.pdf'), pdf);
  assert.equal(pdfPages(pdf), 1, 'print all is one page');
  await page.emulateMedia({ media: 'screen' });
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.equal(await page.evaluate(() => document.body.classList.contains('print-all')), false);

  h.step('"Finish": the reminder first; "Back" keeps everything');
  const sentBefore = page.socketFrames.filter((f) => f.dir === 'sent').length;
  await page.locator('#results-finish').click();
  await page.locator('#finish[open]').waitFor();
  assert.equal(await page.locator('#finish-title').textContent(), 'سيُحذف كل شيء');
  assert.match(await page.locator('#finish-text').textContent(), /QR/);
  await h.axe(page, 'the finish reminder');
  await h.screenshot(page, args, 'print-finish-reminder-ar');
  await page.locator('#finish-back').click();
  assert.equal(await page.locator('#finish').evaluate((d) => d.open), false);
  assert.equal(await page.locator('#chat').isVisible(), true);
  assert.equal(await page.locator('#log > li').count(), 7);
  assert.deepEqual(page.socketFrames.filter((f) => f.dir === 'sent').slice(sentBefore), [],
    'nothing sent before "Finish now"');
  assert.notEqual(await page.evaluate(() => sessionStorage.getItem('lotse')), null);

  h.step('"Finish now" wipes: forget, nothing left, the welcome');
  await page.locator('#results-finish').click();
  await page.locator('#finish[open]').waitFor();
  const n = page.socketFrames.length;
  await page.locator('#finish-now').click();
  await h.waitFrame(page, 'sent', 'forget', n);
  await h.waitFrame(page, 'received', 'forgotten', n);
  await page.locator('#welcome:not([hidden])').waitFor();
  assert.equal(await page.locator('#log > li').count(), 0);
  assert.equal(await page.evaluate(() => document.getElementById('print-sheet').children.length), 0);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0);
  assert.equal(await page.locator('#finish').evaluate((d) => d.open), false);
  h.checkNoProblems(page);
});
