// stats.test.js - the staff area's "Statistik" view in real headless Chromium against the real
// `lotse serve` (the repository's flows, a temporary database with known counters written with
// Python's sqlite3 before the start): a viewer opens the view, finds the overview figures, the drop-off
// table with its share, "< 3" for a small figure, a CSV link that downloads the table, the
// Chart.js charts drawn (Chart.js served from Debian's libjs-chart.js) and the flow picture
// with traffic marks; axe-core finds no violation. Run by tests/browser/run.sh:
//   run.sh LOTSE BUILD staff/stats
'use strict';

const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const h = require('../harness.js');

const TENANT = 'salzgitter';
const VIEWER = { name: 'statistik', password: 'nur-zahlen-bitte-42' };

function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
}

/* The counters: 12 conversations (10 German on the website, 2 Turkish on the kiosk "foyer"). */
function seed(db, day) {
  const rows = [
    ['web', '', 'de', '', '', 'start', '', 10], ['kiosk', 'foyer', 'tr', '', '', 'start', '', 2],
    ['web', '', 'de', 'main', 'who', 'reach', '', 10], ['kiosk', 'foyer', 'tr', 'main', 'who', 'reach', '', 2],
    ['web', '', 'de', 'main', 'who', 'end_left', 'idle', 2],
    ['web', '', 'de', 'main', 'who', 'choose', 'child', 8],
    ['kiosk', 'foyer', 'tr', 'main', 'who', 'choose', 'person', 2],
    ['web', '', 'de', 'main', 'child_age', 'reach', '', 8],
    ['web', '', 'de', 'main', 'child_age', 'end_left', 'closed', 1],
    ['web', '', 'de', 'main', 'child_age', 'choose', 'age-0-2', 7],
    ['web', '', 'de', 'main', 'child_need_small', 'reach', '', 7],
    ['web', '', 'de', 'main', 'child_need_small', 'choose', 'daycare', 7],
    ['web', '', 'de', 'main', 'results', 'reach', '', 7],
    ['web', '', 'de', 'main', 'results', 'offer_shown', 'kita-platz-beratung', 7],
    ['web', '', 'de', 'main', 'results', 'nothing_fits', 'age=0-2;audience=child;topic=daycare', 3],
    ['web', '', 'de', 'main', 'results', 'end_finished', '', 7],
    ['kiosk', 'foyer', 'tr', 'main', 'contact', 'reach', '', 2],
    ['kiosk', 'foyer', 'tr', 'main', 'contact', 'person', '10', 2],
    ['kiosk', 'foyer', 'tr', 'main', 'contact', 'end_finished', '', 2],
  ];
  const q = (s) => "'" + String(s).replace(/'/g, "''") + "'";
  const sql = rows.map((r) => 'INSERT INTO stats_counts VALUES (' + [day, TENANT, ...r.slice(0, 7)].map(q)
    .join(', ') + ', ' + r[7] + ');').join('\n');
  execFileSync('/usr/bin/python3', ['-c', 'import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\n' +
    'c.executescript(sys.stdin.read())\nc.commit()', db], { input: sql });
}

h.run('staff area: the statistics of an office', async (args, cleanup) => {
  const server = new h.Server(args);
  cleanup(() => server.cleanup());
  const db = path.join(server.tmp, 'lotse.db');
  // `lotse staff add` creates the database with the current schema (statistics tables included)
  execFileSync(args.lotse, ['staff', 'add', VIEWER.name, '--role', 'viewer', '--office', TENANT,
    '--database', db], { input: VIEWER.password + '\n', stdio: ['pipe', 'inherit', 'inherit'] });
  const day = today();
  seed(db, day);
  await server.start();
  cleanup(() => server.stop());
  const browser = await h.launch();
  cleanup(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: 'de-DE' });
  const page = await context.newPage();
  page.setDefaultTimeout(h.WAIT_MS);
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/.test(m.text())) problems.push('console: ' + m.text());
  });
  page.on('response', (r) => { if (r.status() === 404 || r.status() >= 500) problems.push(r.status() + ': ' + r.url()); });

  h.step('log in as a viewer and open "Statistik"');
  await page.goto(server.urls.staff.replace(/\/?$/, '/staff/'));
  await page.fill('#login-name', VIEWER.name);
  await page.fill('#login-password', VIEWER.password);
  await page.click('#login-submit');
  await page.locator('#who:not([hidden])').waitFor();
  await page.click('#nav a[data-area="stats"]');
  await page.locator('#stats-body:not([hidden])').waitFor();
  assert.equal(await page.inputValue('#stats-tenant'), TENANT);
  assert.equal(await page.inputValue('#stats-to'), day);

  h.step('the figures');
  const figure = async (key) => page.textContent('#stats-figures [data-key="' + key + '"] dd');
  assert.equal(await figure('conversations'), '12');
  assert.equal(await figure('finished'), '9');
  assert.equal(await figure('left'), '3');
  assert.equal(await figure('nothing_fits'), '3');
  assert.equal(await figure('help_requests'), '2');
  const cells = async (table, row) => page.locator('#stats-table-' + table + ' tbody tr').nth(row)
    .locator('td').allTextContents();
  assert.deepEqual(await cells('steps', 0), ['main', 'who', '12', '2', '17 %', '2', '0']);
  assert.deepEqual(await cells('steps', 1), ['main', 'child_age', '8', '1', '13 %', '0', '1']);
  assert.deepEqual(await cells('help', 0), ['tr', '10', '< 3']);
  assert.deepEqual(await cells('unmet', 0), ['nichts davon passt', 'main', 'results',
    'age=0-2;audience=child;topic=daycare', '3']);
  assert.deepEqual(await cells('offers', 0), ['kita-platz-beratung', '7']);
  assert.deepEqual(await cells('offers', 1), ['sprach-kita-lebenstedt', '0']);   // never shown
  assert.deepEqual(await cells('by_kiosk', 0), ['foyer', '2']);

  h.step('a CSV link per table');
  const links = await page.locator('#stats-tables a.csv').count();
  assert.equal(links, await page.locator('#stats-tables section').count());
  const href = await page.getAttribute('#stats-table-steps a.csv', 'href');
  assert.equal(href, '/api/stats/' + TENANT + '.csv?table=steps&from=' + await page.inputValue('#stats-from') +
    '&to=' + day);
  const csv = await page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.ok(csv.startsWith('flow,node,reached,left,left_idle,left_closed\r\nmain,who,12,2,2,0\r\n'), csv);

  h.step('the charts (Chart.js from the system) are drawn');
  await page.waitForFunction(() => window.Chart && window.Chart.getChart('stats-chart-lang'));
  const drawn = await page.evaluate(() => ['stats-chart-lang', 'stats-chart-channel', 'stats-chart-ends'].map((id) => {
    const c = window.Chart.getChart(id);
    const sum = (ds) => ds.data.reduce((a, b) => a + (b || 0), 0);
    return [id, c.data.datasets.map((ds) => ds.label + '=' + sum(ds)).join(' '), c.canvas.width > 0];
  }));
  assert.deepEqual(drawn, [['stats-chart-lang', 'de=10 tr (< 3)=0', true],
    ['stats-chart-channel', 'kiosk (< 3)=0 web=10', true],
    ['stats-chart-ends', 'beendet=9 verlassen=3', true]]);   // tr and kiosk: 2, below 3
  await page.selectOption('#stats-period', 'week');
  await page.waitForFunction(() => window.Chart.getChart('stats-chart-ends').data.labels[0].includes('-W'));

  h.step('the flow picture with traffic');
  await page.waitForFunction(() => {
    const img = document.getElementById('stats-picture');
    return img.complete && img.naturalWidth > 0;
  });
  const src = await page.getAttribute('#stats-picture', 'src');
  const svg = await page.evaluate(async (u) => (await fetch(u)).text(), src);
  for (const mark of ['erreicht: 12', 'verlassen: 2 (17 %)', '8× (67 %)', 'drop&#45;mid'])
    assert.ok(svg.includes(mark), mark);

  await h.axe(page, 'the statistics view');
  await page.evaluate(() => window.scrollTo(0, 0));
  await h.screenshot(page, args, 'staff-stats-top');
  await h.screenshot(page, args, 'staff-stats', true);
  assert.deepEqual(problems, []);
});
