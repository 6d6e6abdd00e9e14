// nginx.test.js - one https:// origin through Debian's nginx (docs/nginx.md): the real
// `lotse serve` with `public_socket: /socket`, nginx run from the shipped
// docs/examples/nginx-lotse.conf (addresses, ports and certificate filled in) with a throwaway
// self-signed certificate, Chromium on https://127.0.0.1:<port>/: the page, its files (config,
// fonts, QR codes, read-aloud audio) and a conversation over wss://127.0.0.1:<port>/socket.
// The staff area answers on its own server block only (/ redirects to /staff/), never on the
// public one. Needs the Debian packages nginx (or nginx-light) and openssl: it fails without them.
'use strict';

const assert = require('node:assert/strict');
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const net = require('node:net');
const path = require('node:path');
const h = require('./harness.js');

const NGINX = '/usr/sbin/nginx';
const TENANT = 'salzgitter';

/* A free loopback port (bound and released; nothing else on this machine picks ports this way
 * in the moment between). */
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

/* GET url without following redirects (certificate not checked: it is the test's own). */
function get(url) {
  const mod = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { rejectUnauthorized: false, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
        body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
  });
}

/* The shipped template with this test's values: every replaced text must be found exactly as
 * often as expected, so the template and this test cannot drift apart unnoticed. */
function fillTemplate(source, v) {
  let text = fs.readFileSync(path.join(source, 'docs/examples/nginx-lotse.conf'), 'utf8');
  const swaps = [
    ['server 127.0.0.1:8080;', 'server ' + v.kiosk + ';', 1],
    ['server 127.0.0.1:8081;', 'server ' + v.socket + ';', 1],
    ['server 127.0.0.1:8082;', 'server ' + v.staff + ';', 1],
    ['    listen 80;\n', '    listen 127.0.0.1:' + v.httpPort + ';\n', 1],
    ['    listen [::]:80;\n', '', 1],
    ['listen 443 ssl http2;', 'listen 127.0.0.1:' + v.port + ' ssl http2;', 1],
    ['    listen [::]:443 ssl http2;\n', '', 1],
    ['listen 10.0.0.5:8443 ssl http2;', 'listen 127.0.0.1:' + v.staffPort + ' ssl http2;', 1],
    ['allow 10.0.0.0/8;', 'allow 127.0.0.1;', 1],
    ['/etc/letsencrypt/live/lotse.example.org/fullchain.pem', v.cert, 2],
    ['/etc/letsencrypt/live/lotse.example.org/privkey.pem', v.key, 2],
  ];
  for (const [from, to, n] of swaps) {
    const found = text.split(from).length - 1;
    assert.equal(found, n, 'docs/examples/nginx-lotse.conf: "' + from.trim() + '" found ' +
      found + ' times, expected ' + n);
    text = text.split(from).join(to);
  }
  return text;
}

/* nginx in the foreground, one process, everything it writes inside dir. */
async function startNginx(dir, site) {
  const siteFile = path.join(dir, 'lotse-site.conf');
  fs.writeFileSync(siteFile, site);
  for (const t of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    fs.mkdirSync(path.join(dir, t), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    'pid ' + path.join(dir, 'nginx.pid') + ';',
    'error_log ' + path.join(dir, 'error.log') + ' info;',
    'events { worker_connections 256; }',
    'http {',
    '    access_log off;',
    '    client_body_temp_path ' + path.join(dir, 'client_body') + ';',
    '    proxy_temp_path ' + path.join(dir, 'proxy') + ';',
    '    fastcgi_temp_path ' + path.join(dir, 'fastcgi') + ';',
    '    uwsgi_temp_path ' + path.join(dir, 'uwsgi') + ';',
    '    scgi_temp_path ' + path.join(dir, 'scgi') + ';',
    '    include ' + siteFile + ';',
    '}',
    ''].join('\n'));
  const errorLog = path.join(dir, 'error.log');
  const log = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '');
  const test = spawnSyncText(NGINX, ['-t', '-p', dir + '/', '-c', conf, '-e', errorLog]);
  if (test.code !== 0) throw new Error('nginx -t refused the configuration:\n' + test.out);
  const proc = spawn(NGINX, ['-p', dir + '/', '-c', conf, '-e', errorLog],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve({ code, sig })));
  let gone = false;
  exited.then(() => { gone = true; });
  return { proc, exited, log, output: () => out, isGone: () => gone };
}

function spawnSyncText(cmd, argv) {
  try {
    const out = execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return { code: 0, out };
  } catch (e) {
    return { code: e.status, out: String(e.stdout || '') + String(e.stderr || '') };
  }
}

/* Waits until something accepts connections on port (or nginx died). */
async function waitListening(nginx, port) {
  const deadline = Date.now() + h.WAIT_MS;
  for (;;) {
    if (nginx.isGone())
      throw new Error('nginx exited:\n' + nginx.output() + nginx.log());
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error('nginx is not listening on ' + port + ':\n' + nginx.log());
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function choose(page, id) {
  await page.locator('#choices button.choice[data-choice="' + id + '"]').click();
}

h.run('browser.nginx', async (args, defer) => {
  for (const [file, pkg] of [[NGINX, 'nginx-light'], ['/usr/bin/openssl', 'openssl']])
    if (!fs.existsSync(file))
      throw new Error(file + ' is missing: apt-get install -y --no-install-recommends ' + pkg +
        ' (scripts/quickstart test installs it)');
  h.step('a throwaway certificate, free ports, lotse serve with public_socket: /socket');
  const dir = h.tempDir('lotse-nginx');
  defer(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { stdio: ['ignore', 'ignore', 'pipe'] });
  const port = await freePort();
  const httpPort = await freePort();
  const staffPort = await freePort();
  const origin = 'https://127.0.0.1:' + port;
  const server = await new h.Server(args, {
    config: { public_socket: '/socket', origins: [origin] },
  }).start();
  defer(() => server.cleanup());
  defer(() => server.stop());
  const hostPort = (u) => new URL(u).host;

  h.step('nginx from docs/examples/nginx-lotse.conf');
  const nginx = await startNginx(dir, fillTemplate(args.source, {
    kiosk: hostPort(server.urls.kiosk), socket: hostPort(server.urls.socket),
    staff: hostPort(server.urls.staff), port, httpPort, staffPort, cert, key,
  }));
  defer(async () => {
    if (nginx.isGone()) return;
    nginx.proc.kill('SIGTERM');
    const r = await h.withTimeout(nginx.exited, 'nginx stopping');
    assert.equal(r.code, 0, 'nginx exit status:\n' + nginx.log());
  });
  for (const p of [port, httpPort, staffPort]) await waitListening(nginx, p);

  h.step('the public origin: the page and its config; the staff area and /metrics are not there');
  const cfg = await get(origin + '/config.json');
  assert.equal(cfg.status, 200);
  assert.deepEqual(JSON.parse(cfg.body).socket, { host: null, port: null, path: '/socket' });
  for (const p of ['/staff/', '/staff', '/api/session', '/api/login', '/metrics'])
    assert.equal((await get(origin + p)).status, 404, p + ' on the public origin');
  assert.deepEqual([(await get(origin + '/healthz')).status, (await get(origin + '/healthz')).body],
    [200, 'ok\n']);
  const plain = await get('http://127.0.0.1:' + httpPort + '/k/' + TENANT);
  assert.deepEqual([plain.status, plain.headers.location], [301, 'https://127.0.0.1/k/' + TENANT]);

  h.step('the staff server block: / redirects to /staff/, the staff pages are there');
  const staffOrigin = 'https://127.0.0.1:' + staffPort;
  const root = await get(staffOrigin + '/');
  assert.deepEqual([root.status, root.headers.location], [302, '/staff/']);
  const pages = await get(staffOrigin + '/staff/');
  assert.equal(pages.status, 200);
  assert.equal(pages.headers['content-type'], 'text/html; charset=utf-8');

  h.step('Chromium on ' + origin + '/k/' + TENANT + ': a conversation over wss://');
  const browser = await h.launch();
  defer(() => browser.close());
  const page = await h.newPage(browser, server, { ignoreHTTPSErrors: true });
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  const responses = [];
  page.on('response', (r) => responses.push({ url: r.url(), status: r.status() }));
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url() + ': ' + (r.failure() || {}).errorText));
  await page.goto(origin + '/k/' + TENANT);
  await h.welcomeTile(page, 'Deutsch').click();
  const first = await h.waitStep(page, 'who', 'main');
  assert.equal(await first.locator('.text').textContent(), 'Für wen suchen Sie ein Angebot?');
  await choose(page, 'child');
  const second = await h.waitStep(page, 'child_age');
  assert.equal(await second.getAttribute('data-node'), 'child_age');
  assert.deepEqual(sockets, [origin.replace('https:', 'wss:') + '/socket'],
    'the socket URL the page used');
  const sent = page.socketFrames.filter((f) => f.dir === 'sent').map((f) => f.msg.type);
  assert.deepEqual(sent.slice(0, 2), ['start', 'choose']);

  h.step('to the offers: QR codes and read-aloud audio through nginx');
  await choose(page, 'age-0-2');
  await h.waitStep(page, 'child_need_small');
  await choose(page, 'daycare');
  const results = await h.waitStep(page, 'results');
  assert.ok(await results.locator('article.offer').count() >= 1, 'offer cards');
  await page.waitForFunction(() => [...document.querySelectorAll('img.qr')]
    .every((i) => i.complete && i.naturalWidth > 0));
  // on the portrait kiosk screen the heading's speaker is the reach zone's (the bubble's own is
  // out of reach, hidden): the same audio
  const speak = page.locator('#step-speak button.speak-step');
  const cards = await results.locator('article.offer').count();
  const wav = '/speak/' + TENANT + '/de/results/main/results/' + cards + '.opus';   // heading + count
  const heard = page.waitForResponse((r) => r.url() === origin + wav);
  await speak.click();
  assert.equal((await heard).status(), 200, wav);
  await page.evaluate(() => document.fonts.ready);

  h.step('everything the page fetched came from the one origin, without an error');
  const seen = (re) => responses.some((r) => re.test(r.url.slice(origin.length)) && r.status === 200);
  for (const re of [/^\/k\/salzgitter$/, /^\/app\.js$/, /^\/config\.json$/, /^\/fonts\//,
    /^\/qr\/salzgitter\/.+\.svg\?lang=de$/, /^\/speak\/salzgitter\/de\/results\/main\/results\/\d+\.opus$/])
    assert.ok(seen(re), 'fetched through nginx with 200: ' + re + '\n' +
      responses.map((r) => r.status + ' ' + r.url).join('\n'));
  for (const r of responses) {
    assert.ok(r.url.startsWith(origin + '/') || r.url.startsWith('data:'), 'other origin: ' + r.url);
    assert.ok(r.status < 400, r.status + ' ' + r.url);
  }
  assert.deepEqual(failed.filter((f) => !f.includes('.opus')), [], 'failed requests');
  h.checkNoProblems(page);
});
