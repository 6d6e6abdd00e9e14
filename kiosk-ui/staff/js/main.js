// main.js - the staff area's entry point: login and logout, who is logged
// in (name, role), the views shown by the URL's #fragment, and the common
// page messages. Views live in flows.js, offers.js and translations.js; each
// exports show(parts) and gets the fragment's parts after its name.
'use strict';

import * as api from './api.js';
import { $, say, pageError, pageNotice, takeFlash, confirmAction } from './dom.js';
import * as flows from './flows.js';
import * as offers from './offers.js';
import * as translations from './translations.js';
import * as recordings from './recordings.js';
import * as stats from './stats.js';

const VIEWS = ['view-login', 'view-flows', 'view-flow', 'view-offers', 'view-offer', 'view-translations',
  'view-recordings', 'view-stats'];
const ROUTES = {
  flows: { view: 'view-flows', area: 'flows', show: flows.showList },
  flow: { view: 'view-flow', area: 'flows', show: flows.showFlow },
  offers: { view: 'view-offers', area: 'offers', show: offers.showList },
  offer: { view: 'view-offer', area: 'offers', show: offers.showOffer },
  translations: { view: 'view-translations', area: 'translations', show: translations.show },
  recordings: { view: 'view-recordings', area: 'recordings', show: recordings.show },
  stats: { view: 'view-stats', area: 'stats', show: stats.show },
};
let loggedIn = false;

function showView(id) {
  for (const v of VIEWS) $(v).hidden = v !== id;
}

function showWho(s) {
  $('who-name').textContent = s.name;
  const role = $('who-role');
  role.textContent = s.role === 'editor' ? 'Bearbeiten' : 'Nur lesen';
  role.className = 'badge ' + s.role;
  role.title = s.role === 'editor' ? 'Rolle: editor – darf ändern und veröffentlichen'
    : 'Rolle: viewer – darf alles ansehen, prüfen und in der Vorschau sehen, aber nichts ändern';
  document.body.classList.toggle('read-only', s.role !== 'editor');
  $('who').hidden = false;
  $('nav').hidden = false;
}

function showLogin(message) {
  loggedIn = false;
  api.setSession(null);
  $('who').hidden = true;
  $('nav').hidden = true;
  document.body.classList.remove('read-only');
  pageNotice('');
  pageError('');
  showView('view-login');
  say($('login-error'), message || '');
  document.title = 'Anmelden – Lotse Redaktion';
  $('login-name').focus();
}

async function route() {
  if (!loggedIn) return;
  pageError('');
  takeFlash();
  const parts = location.hash.replace(/^#\/?/, '').split('/').map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  const r = ROUTES[parts[0]] || ROUTES.flows;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.dataset.area === r.area) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  showView(r.view);
  $('loading').hidden = false;
  try {
    await r.show(parts.slice(1));
  } catch (e) {
    if (e.status !== 401) pageError(e.message);
  } finally {
    $('loading').hidden = true;
  }
}

function startSession(s) {
  api.setSession(s);
  loggedIn = true;
  showWho(s);
  route();
}

async function onLogin(ev) {
  ev.preventDefault();
  const name = $('login-name').value.trim();
  const password = $('login-password').value;
  if (!name || !password) {
    say($('login-error'), 'Bitte Name und Passwort eingeben.');
    return;
  }
  $('login-submit').disabled = true;
  try {
    const s = await api.post('/api/login', { name, password });
    $('login-password').value = '';
    say($('login-error'), '');
    startSession(s);
  } catch (e) {
    let text = e.message;
    if (e.code === 'rate_limited' && e.data.retry_after)
      text += ' (wieder möglich in etwa ' + Math.ceil(e.data.retry_after / 60) + ' Minuten)';
    say($('login-error'), text);
    $('login-password').select();
  } finally {
    $('login-submit').disabled = false;
  }
}

async function onLogout() {
  if (flows.hasUnsavedChanges() &&
      !(await confirmAction('Es gibt unveröffentlichte Änderungen an einem Ablauf. Sie gehen beim Abmelden ' +
        'verloren. Trotzdem abmelden?', 'Abmelden'))) return;
  try { await api.post('/api/logout'); } catch (e) { /* the session is gone either way */ }
  flows.forget();
  showLogin('Sie sind abgemeldet.');
  $('login-error').className = 'msg ok';
}

async function init() {
  api.onUnauthorized((e) => {
    if (loggedIn) showLogin(e.message + ' (Ihre Sitzung ist abgelaufen.)');
  });
  $('login-form').addEventListener('submit', (ev) => {
    $('login-error').className = 'msg error';
    onLogin(ev);
  });
  $('logout').addEventListener('click', onLogout);
  window.addEventListener('hashchange', route);
  window.addEventListener('beforeunload', (ev) => {
    if (flows.hasUnsavedChanges()) { ev.preventDefault(); ev.returnValue = ''; }
  });
  try {
    startSession(await api.get('/api/session'));
  } catch (e) {
    showLogin(e.status === 401 ? '' : e.message);
  }
}

init();
