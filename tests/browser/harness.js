// harness.js - shared helpers for the kiosk page's browser tests (tests/browser/*.test.js).
//
// Starts the real `lotse serve` (port 0, temporary config and database, the repository's
// flows/ and the catalogues compiled into <build>/po, the page from kiosk-ui/), reads the URLs it
// prints, and drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) through
// playwright-core. Also: axe-core on the current page, screenshots into
// <build>/test-artifacts/screens/, and waiting for the chat to show a given step.
// Nothing here waits for a fixed time to pass: everything waits for a condition, with a generous
// upper bound (WAIT_MS) that only turns a hang into a failure.
'use strict';

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const WAIT_MS = 30000;
const RUN_LIMIT_MS = 280000;   // a whole test file (ctest's TIMEOUT is 300 s)

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

const VIEWPORTS = [
  { name: 'portrait-1080x1920', width: 1080, height: 1920 },
  { name: 'landscape-1920x1080', width: 1920, height: 1080 },
  { name: 'phone-390x844', width: 390, height: 844 },
];

/* --lotse PATH --build DIR --source DIR, as run.sh passes them. */
function parseArgs() {
  const out = {};
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['lotse', 'build', 'source'])
    if (!out[k]) throw new Error('missing --' + k + ' (run through tests/browser/run.sh)');
  for (const k of ['lotse', 'build', 'source']) out[k] = path.resolve(out[k]);
  out.artifacts = path.join(out.build, 'test-artifacts');
  out.screens = path.join(out.artifacts, 'screens');
  fs.mkdirSync(out.screens, { recursive: true });
  return out;
}

function tempDir(prefix) {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix + '-'));
}

/* msgfmt --check every <poDir>/*.po into <outDir>/<lang>.mo. */
function compileCatalogues(poDir, outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(poDir).sort()) {
    if (!name.endsWith('.po')) continue;
    execFileSync('msgfmt', ['--check', '-o', path.join(outDir, name.replace(/\.po$/, '.mo')),
      path.join(poDir, name)], { stdio: 'inherit' });
  }
}

// servers still running when the process exits (a failure, the watchdog) are killed
const running = new Set();
process.on('exit', () => { for (const p of running) p.kill('SIGKILL'); });

/* One `lotse serve` process. restart() keeps the ports and the database (a server restart). */
class Server {
  constructor(args, opts = {}) {
    this.args = args;
    this.tmp = tempDir('lotse-browser');
    this.flows = opts.flows || path.join(args.source, 'flows');
    this.mo = opts.mo || path.join(args.build, 'po');
    this.extra = opts.config || {};
    this.listen = { kiosk: '127.0.0.1:0', socket: '127.0.0.1:0', staff: '127.0.0.1:0' };
    this.proc = null;
    this.urls = {};
    this.log = [];
  }

  writeConfig() {
    const cfg = Object.assign({
      flows: this.flows,
      catalogues: this.mo,
      ui: path.join(this.args.source, 'kiosk-ui'),
      database: path.join(this.tmp, 'lotse.db'),
      listen: this.listen,
      log_level: 'info',
    }, this.extra);
    const file = path.join(this.tmp, 'lotse.yaml');
    fs.writeFileSync(file, JSON.stringify(cfg, null, 1));   // JSON is YAML
    return file;
  }

  async start() {
    const file = this.writeConfig();
    const proc = spawn(this.args.lotse, ['serve', '--config', file],
      { cwd: this.tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    running.add(proc);
    this.exited = new Promise((resolve) => proc.on('exit', (code, sig) => {
      running.delete(proc);
      resolve({ code, sig });
    }));
    readline.createInterface({ input: proc.stderr }).on('line', (l) => {
      this.log.push(l);
      if (process.env.LOTSE_BROWSER_VERBOSE) process.stderr.write('[server] ' + l + '\n');
    });
    const wanted = { 'kiosk page': 'kiosk', 'conversation socket': 'socket', 'staff/ops': 'staff' };
    const urls = {};
    await withTimeout(new Promise((resolve, reject) => {
      const rl = readline.createInterface({ input: proc.stdout });
      rl.on('line', (line) => {
        const i = line.indexOf(': ');
        const key = wanted[line.slice(0, i)];
        if (key) urls[key] = line.slice(i + 2);
        if (Object.keys(urls).length === 3) resolve();
      });
      proc.on('exit', () => reject(new Error('lotse serve exited:\n' + this.log.join('\n'))));
    }), 'lotse serve printing its URLs');
    this.urls = urls;
    // a restart must come back on the same ports: the page keeps its address
    const hostPort = (u) => new URL(u).host;
    this.listen = { kiosk: hostPort(urls.kiosk), socket: hostPort(urls.socket),
      staff: hostPort(urls.staff) };
    return this;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
    this.proc.kill('SIGTERM');
    const r = await withTimeout(this.exited, 'lotse serve stopping');
    this.proc = null;
    // a clean stop exits 0: anything else (a sanitizer report, a crash) fails the test
    if (r.code !== 0)
      throw new Error('lotse serve exited with ' + (r.code === null ? r.sig : r.code) + ':\n' +
        this.log.slice(-40).join('\n'));
    return r;
  }

  async restart() {
    await this.stop();
    return this.start();
  }

  /* A crash: SIGKILL, nothing saved at shutdown. Resolves once the process is gone. */
  async kill() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return;
    this.proc.kill('SIGKILL');
    await withTimeout(this.exited, 'lotse serve dying');
    this.proc = null;
  }

  url(p) {
    return new URL(p, this.urls.kiosk).href;
  }

  cleanup() {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

function withTimeout(promise, what, ms = WAIT_MS) {
  let timer;
  const t = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out: ' + what)), ms);
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

async function launch(extraArgs = []) {
  const { chromium } = require('playwright-core');
  // playwright gives every launch a fresh temporary profile (--user-data-dir)
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: CHROMIUM_ARGS.concat(extraArgs), timeout: WAIT_MS });
}

/* A page that fails the test on any uncaught script error, and records console errors,
 * dialogs and requests that leave the server. */
async function newPage(browser, server, opts = {}) {
  const context = await browser.newContext(Object.assign({
    viewport: { width: 1080, height: 1920 }, locale: 'de-DE', serviceWorkers: 'block',
  }, opts));
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.problems = [];
  page.dialogs = [];
  page.on('pageerror', (e) => page.problems.push('page error: ' + e.message));
  page.on('dialog', (d) => { page.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.hostname !== '127.0.0.1')
      page.problems.push('request left the server: ' + r.url());
  });
  // every conversation frame, both ways: [{dir: 'sent'|'received', msg}]
  page.socketFrames = [];
  page.on('websocket', (ws) => {
    const keep = (dir) => (f) => {
      try { page.socketFrames.push({ dir, msg: JSON.parse(f.payload) }); } catch (e) { /* binary */ }
    };
    ws.on('framesent', keep('sent'));
    ws.on('framereceived', keep('received'));
  });
  page.on('console', (m) => {
    // a server that is down (tests stop it on purpose) shows as one of these network errors,
    // whichever moment of the stop a request met; the page handles all of them alike
    if (m.type() === 'error' &&
        !/WebSocket|ERR_CONNECTION_(REFUSED|RESET|CLOSED)|ERR_EMPTY_RESPONSE|404/.test(m.text()))
      page.problems.push('console: ' + m.text());
  });
  return page;
}

function checkNoProblems(page) {
  assert.deepEqual(page.problems, [], 'page problems: ' + JSON.stringify(page.problems));
}

/* Waits until the page sent (dir 'sent') or received a frame of this type; returns it. */
async function waitFrame(page, dir, type, after = 0) {
  const find = () => page.socketFrames.slice(after).find((f) => f.dir === dir && f.msg.type === type);
  const deadline = Date.now() + WAIT_MS;
  while (!find()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a ' + dir + ' ' + type + ' frame');
    await new Promise((r) => setTimeout(r, 50));
  }
  return find().msg;
}

/* The chat shows (as its newest bot bubble) the step flow/node; returns its locator. */
async function waitStep(page, node, flow) {
  const sel = '#log > li.msg.bot:last-of-type' + (node ? '[data-node="' + node + '"]' : '') +
    (flow ? '[data-flow="' + flow + '"]' : '');
  await page.waitForFunction((s) => {
    const last = [...document.querySelectorAll('#log > li')].pop();
    return last && last.matches(s) && !document.getElementById('chat').hidden;
  }, sel);
  // the answers are ready to be pressed
  await page.waitForFunction(() => {
    const b = document.querySelector('#choices button, #end:not([hidden]) button, ' +
      '#results-actions:not([hidden]) button');
    return !b || !b.disabled;
  });
  return page.locator('#log > li.msg.bot').last();
}

/* From the welcome screen to the first question of office `tenant` in language `autonym`: the
 * welcome's own button of that language (language first, issue 11). */
async function startConversation(page, server, tenant, autonym) {
  await page.goto(server.url('/k/' + tenant));
  await welcomeTile(page, autonym).click();
  return waitStep(page);
}

/* The welcome screen's button of a language, by its own name ("العربية") or, given a code
 * ("ar"), by its lang attribute; once it can be touched. */
function welcomeTile(page, name) {
  return /^[a-z]{2,3}(-x-[a-z0-9]+)?$/.test(name)
    ? page.locator('#welcome-langs button.tile[lang="' + name + '"]:not([disabled])')
    : page.locator('#welcome-langs button.tile:not([disabled])', { hasText: name });
}

/* The labels of the current choices (without an answer's pictogram). */
async function choiceLabels(page) {
  return page.locator('#choices button.choice').evaluateAll((bs) =>
    bs.map((b) => (b.querySelector('.choice-label') || b).textContent));
}

/* Every touch target a finger could hit now: enabled buttons and links, and the speakers,
 * that are rendered, inside the viewport and on top at their centre (not covered by the fixed
 * reach zone or a dialog's backdrop, not scrolled out of their box). For each: a name, its
 * centre and its size in CSS px. */
async function touchTargets(page) {
  return page.evaluate(() => {
    const out = [];
    const dialog = [...document.querySelectorAll('dialog')].find((d) => d.open);
    const scope = dialog || document;
    for (const e of scope.querySelectorAll('button, a[href], [role="button"]')) {
      if (e.disabled || !e.getClientRects().length) continue;
      const r = e.getBoundingClientRect();
      const x = r.left + r.width / 2;
      const y = r.top + r.height / 2;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === e || e.contains(hit))) continue;
      out.push({ name: (e.id ? '#' + e.id + ' ' : '') + (e.textContent || e.getAttribute('aria-label') ||
        e.className).trim().replace(/\s+/g, ' ').slice(0, 50), x, y, w: r.width, h: r.height });
    }
    return out;
  });
}

/* The y (CSS px from the top of the viewport) where the reach zone starts: reach_zone (% of the
 * screen's height, from /config.json) at the bottom. */
async function reachTop(page) {
  const cfg = await page.evaluate(async () => (await fetch('/config.json')).json());
  const { height } = page.viewportSize();
  return { zone: cfg.reach_zone, top: height * (1 - cfg.reach_zone / 100) };
}

/* How many CSS px the page is wider than the viewport (0: no horizontal overflow), and the
 * elements sticking out on the inline axis. */
async function overflowX(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')].filter((e) => {
      if (!e.getClientRects().length) return false;
      const r = e.getBoundingClientRect();
      return r.right > w + 0.5 || r.left < -0.5;
    }).filter((e) => !e.closest('.visually-hidden') && getComputedStyle(e).position !== 'absolute')
      // the innermost first: what sticks out, not everything around it
      .sort((a, b) => b.querySelectorAll('*').length < a.querySelectorAll('*').length ? 1 : -1)
      .slice(0, 5).map((e) => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 30));
    return { by: document.documentElement.scrollWidth - w, wide };
  });
}

let axeSource = null;

/* axe-core on the page as it is; returns the violations (none expected). The source is
 * evaluated through the DevTools protocol, so the page's CSP stays as strict as it is. */
async function axe(page, what) {
  if (!axeSource) axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  const v = result.violations.map((x) => x.id + ' (' + x.impact + '): ' + x.help + '\n    ' +
    x.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' ' + n.failureSummary.replace(/\n/g, ' '))
      .join('\n    '));
  assert.deepEqual(v, [], 'axe-core violations on ' + what);
}

async function screenshot(page, args, name, fullPage = false) {
  await page.evaluate(() => document.fonts.ready);
  const file = path.join(args.screens, name + '.png');
  await page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  return file;
}

/* Runs the named async steps in order; prints TAP-like lines; exits 1 on the first failure. */
async function run(name, fn) {
  const args = parseArgs();
  const cleanup = [];
  let failed = false;
  // a hang (a promise that never settles) fails the test instead of waiting for ctest
  const watchdog = setTimeout(() => {
    console.log('not ok - ' + name + ': did not finish within ' + RUN_LIMIT_MS / 1000 + ' s');
    process.exit(1);
  }, RUN_LIMIT_MS);
  watchdog.unref();
  try {
    await fn(args, (f) => cleanup.push(f));
    console.log('ok - ' + name);
  } catch (e) {
    failed = true;
    console.log('not ok - ' + name);
    console.log(e && e.stack ? e.stack : String(e));
  } finally {
    for (const f of cleanup.reverse()) {
      try { await f(); } catch (e) { console.log('# cleanup: ' + e.message); }
    }
  }
  process.exit(failed ? 1 : 0);
}

function step(label) {
  console.log('# ' + label);
}

module.exports = {
  WAIT_MS, VIEWPORTS, Server, launch, newPage, checkNoProblems, waitStep, waitFrame,
  startConversation, welcomeTile, choiceLabels, axe, screenshot, run, step, compileCatalogues, tempDir,
  withTimeout, touchTargets, reachTop, overflowX,
};
