// haproxy.test.js - the kiosk page behind Debian's HAProxy with three `lotse serve` instances
// (docs/scaling.md): HAProxy runs docs/examples/haproxy-lotse.cfg with the addresses filled in,
// the instances share one resume key file and `public_socket: /socket`. Chromium holds a
// conversation through HAProxy; the instance that holds it is killed with SIGKILL; the page shows
// its calm "reconnecting" message, reconnects through HAProxy by itself, resumes on another
// instance at the same step with the same bubbles, and goes on. Needs Debian's haproxy.
'use strict';

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const h = require('./harness.js');

const HAPROXY = '/usr/sbin/haproxy';
const TENANT = 'salzgitter';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/* The Prometheus figures of an instance's staff/ops address. */
function metrics(server) {
  return new Promise((resolve, reject) => {
    http.get(new URL('/metrics', server.urls.staff), (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => {
        const out = {};
        for (const line of body.split('\n'))
          if (line && line[0] !== '#') out[line.slice(0, line.lastIndexOf(' '))] = Number(line.slice(line.lastIndexOf(' ') + 1));
        resolve(out);
      });
    }).on('error', reject);
  });
}

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

async function bubbles(page) {
  return page.$$eval('#log > li', (lis) => lis.map((li) =>
    (li.classList.contains('me') ? 'me:' : 'bot:' + li.dataset.node + ':') +
    li.querySelector(li.classList.contains('me') ? '.bubble' : '.text').textContent.trim()));
}

h.run('browser.haproxy', async (args, defer) => {
  if (!fs.existsSync(HAPROXY))
    throw new Error(HAPROXY + ' is missing: apt-get install -y haproxy (scripts/quickstart test installs it)');
  h.step('three instances with one resume key, HAProxy from docs/examples/haproxy-lotse.cfg');
  const dir = h.tempDir('lotse-haproxy');
  defer(() => fs.rmSync(dir, { recursive: true, force: true }));
  const keyFile = path.join(dir, 'resume.key');
  fs.writeFileSync(keyFile, crypto.randomBytes(32));
  const port = await freePort();
  const origin = 'http://127.0.0.1:' + port;
  const servers = [];
  for (let i = 0; i < 3; i++) {
    const s = await new h.Server(args, {
      config: { resume_key_file: keyFile, public_socket: '/socket', origins: [origin] },
    }).start();
    defer(() => s.cleanup());
    defer(() => s.stop());
    servers.push(s);
  }
  const portOf = (u) => new URL(u).port;
  const sock = servers.map((s, i) => '    server i' + i + ' 127.0.0.1:' + portOf(s.urls.socket) +
    ' check port ' + portOf(s.urls.staff) + ' inter 300 fall 1 rise 1').join('\n');
  const pages = servers.map((s, i) => '    server i' + i + ' 127.0.0.1:' + portOf(s.urls.kiosk) +
    ' check inter 300 fall 1 rise 1').join('\n');
  let cfg = fs.readFileSync(path.join(args.source, 'docs/examples/haproxy-lotse.cfg'), 'utf8');
  for (const [from, to] of [['@BIND@', '127.0.0.1:' + port], ['@SOCKET_SERVERS@', sock],
    ['@PAGE_SERVERS@', pages]]) {
    assert.equal(cfg.split(from).length - 1, 1, 'haproxy-lotse.cfg: ' + from + ' once');
    cfg = cfg.split(from).join(to);
  }
  const cfgFile = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(cfgFile, cfg);
  execFileSync(HAPROXY, ['-c', '-f', cfgFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const proxy = spawn(HAPROXY, ['-db', '-f', cfgFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let proxyOut = '';
  proxy.stdout.on('data', (d) => { proxyOut += d; });
  proxy.stderr.on('data', (d) => { proxyOut += d; });
  const proxyExit = new Promise((resolve) => proxy.on('exit', resolve));
  defer(async () => { proxy.kill('SIGTERM'); await h.withTimeout(proxyExit, 'haproxy stopping'); });
  const deadline = Date.now() + h.WAIT_MS;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('HAProxy is not listening:\n' + proxyOut);
    await new Promise((r) => setTimeout(r, 50));
  }

  h.step('Chromium on ' + origin + ': a conversation in Ukrainian through HAProxy');
  const browser = await h.launch();
  defer(() => browser.close());
  const page = await h.newPage(browser, servers[0]);
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(origin + '/k/' + TENANT);
  await h.welcomeTile(page, 'Українська').click();
  await h.waitStep(page, 'who', 'main');
  await choose(page, 'child');
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-3-5');
  await h.waitStep(page, 'child_need_kita');
  assert.deepEqual(sockets, [origin.replace('http:', 'ws:') + '/socket'], 'the socket URL the page used');
  const before = await bubbles(page);
  const open = [];
  for (const s of servers) open.push((await metrics(s)).lotse_connections_open);
  assert.deepEqual(open.slice().sort(), [0, 0, 1], 'one instance holds the page: ' + open);
  const victim = open.indexOf(1);

  h.step('kill -9 the instance that holds it: the page reconnects through HAProxy and resumes');
  const mark = page.socketFrames.length;
  await servers[victim].kill();
  await page.locator('#lost').waitFor({ state: 'visible' });
  assert.equal(await page.locator('#choices button.choice').first().isDisabled(), true);
  await page.locator('#lost').waitFor({ state: 'hidden' });
  const resume = await h.waitFrame(page, 'sent', 'resume', mark);
  assert.match(resume.token, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{40,8192}$/, 'a sealed token');
  const step = await h.waitFrame(page, 'received', 'step', mark);
  assert.deepEqual([step.node, step.lang], ['child_need_kita', 'uk'], 'the same step, the same language');
  await h.waitStep(page, 'child_need_kita');
  assert.deepEqual(await bubbles(page), before, 'nothing of the conversation is lost');
  let unsealed = 0;
  for (const [i, s] of servers.entries())
    if (i !== victim) unsealed += (await metrics(s)).lotse_sessions_unsealed_total;
  assert.equal(unsealed, 1, 'another instance continued it from the sealed token');

  h.step('the conversation goes on, and back still works');
  await page.locator('#back').click();
  await h.waitStep(page, 'child_age');
  await choose(page, 'age-3-5');
  await h.waitStep(page, 'child_need_kita');
  h.checkNoProblems(page);
});
