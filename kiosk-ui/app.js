// app.js - the plain kiosk page's logic: connects to the conversation socket
// (address from /config.json), shows the offices and their languages, then
// renders every step the server sends and sends the person's choices back.
// All texts come translated from the server; this file has none of its own
// except symbols. Resumes the conversation after a dropped connection with
// the step's token (kept in sessionStorage only). Protocol: docs/protocol.md.
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const state = { ws: null, tenants: [], token: null, step: null, retry: 0, url: null };

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function send(msg) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
  }

  function setLang(lang, dir) {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir || 'ltr';
  }

  function showError(message) {
    const e = $('error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function tenant(id) {
    return state.tenants.find((t) => t.id === id) || null;
  }

  // ---- welcome: offices and languages ----

  function languageButtons(t, current, onPick) {
    const nav = $('languages');
    clear(nav);
    if (!t) return;
    for (const l of t.languages) {
      const b = el('button', l.autonym);
      b.type = 'button';
      b.lang = l.code;
      b.dir = l.dir;
      b.setAttribute('aria-pressed', String(l.code === current));
      b.addEventListener('click', () => onPick(l.code));
      nav.appendChild(b);
    }
  }

  function showWelcome() {
    state.step = null;
    $('step').hidden = true;
    $('welcome').hidden = false;
    const box = $('tenants');
    clear(box);
    const only = state.tenants.length === 1 ? state.tenants[0] : null;
    if (only) {
      $('office').textContent = only.name;
      setLang(only.default_lang, 'ltr');
      languageButtons(only, null, (lang) => send({ type: 'start', tenant: only.id, lang }));
      for (const l of only.languages) {
        const b = el('button', l.autonym);
        b.type = 'button';
        b.lang = l.code;
        b.dir = l.dir;
        b.addEventListener('click', () => send({ type: 'start', tenant: only.id, lang: l.code }));
        box.appendChild(b);
      }
      return;
    }
    clear($('languages'));
    for (const t of state.tenants) {
      const b = el('button', t.name);
      b.type = 'button';
      b.addEventListener('click', () => send({ type: 'start', tenant: t.id }));
      box.appendChild(b);
    }
  }

  // ---- a step ----

  function offerItem(o) {
    const li = el('li', null, 'offer');
    li.appendChild(el('h3', o.title));
    li.appendChild(el('p', o.description));
    const lines = [o.district, o.address, o.hours, o.cost, o.phone, o.email, o.web];
    for (const line of lines) if (line) li.appendChild(el('p', line));
    if (o.languages && o.languages.length)
      li.appendChild(el('p', o.languages.map((l) => l.autonym).join(' · ')));
    if (o.sample) li.appendChild(el('p', '*', 'sample'));
    return li;
  }

  function showContact(c) {
    const box = $('contact');
    clear(box);
    box.hidden = !c;
    if (!c) return;
    for (const line of [c.name, c.person, c.address, c.hours, c.phone, c.email, c.web])
      if (line) box.appendChild(el('p', line));
  }

  function showStep(s) {
    state.step = s;
    state.token = s.token;
    try { sessionStorage.setItem('lotse-token', s.token); } catch (e) { /* private mode */ }
    const t = tenant(s.tenant);
    if (t) $('office').textContent = t.name;
    setLang(s.lang, s.dir);
    languageButtons(t, s.lang, (lang) => send({ type: 'language', lang }));
    $('welcome').hidden = true;
    $('step').hidden = false;
    $('answer').hidden = true;
    $('text').textContent = s.text;
    $('offers-text').textContent = s.offers_text || '';
    const offers = $('offers');
    clear(offers);
    for (const o of s.offers) offers.appendChild(offerItem(o));
    showContact(s.contact);
    const choices = $('choices');
    clear(choices);
    for (const c of s.choices) {
      const b = el('button', c.label);
      b.type = 'button';
      b.addEventListener('click', () => send({ type: 'choose', choice: c.id }));
      choices.appendChild(b);
    }
    $('back').disabled = !s.can_back;
    showError(null);
  }

  function showAnswer(a) {
    $('answer').hidden = false;
    $('answer-text').textContent = a.text;
    const list = $('answer-offers');
    clear(list);
    for (const o of a.offers) list.appendChild(offerItem(o));
  }

  // ---- the socket ----

  function onMessage(ev) {
    let m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m.type === 'tenants') {
      state.tenants = m.tenants;
      if (!state.step && !state.token) showWelcome();
    } else if (m.type === 'step') {
      showStep(m);
    } else if (m.type === 'answer') {
      showAnswer(m);
    } else if (m.type === 'error') {
      if (m.code === 'bad_token') {
        state.token = null;
        try { sessionStorage.removeItem('lotse-token'); } catch (e) { /* ignore */ }
        showWelcome();
      }
      showError(m.message);
    }
  }

  function connect() {
    const ws = new WebSocket(state.url);
    state.ws = ws;
    $('status').textContent = '…';
    ws.addEventListener('open', () => {
      state.retry = 0;
      $('status').textContent = '';
      if (state.token) send({ type: 'resume', token: state.token });
    });
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', () => {
      $('status').textContent = '⚠';
      const delay = Math.min(10000, 500 * Math.pow(2, state.retry++));
      setTimeout(connect, delay);
    });
  }

  function socketUrl(cfg) {
    const s = cfg.socket || {};
    let host = s.host || location.hostname;
    if (host.indexOf(':') >= 0 && host[0] !== '[') host = '[' + host + ']';
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    return scheme + host + ':' + s.port + (s.path || '/');
  }

  function init() {
    try { state.token = sessionStorage.getItem('lotse-token'); } catch (e) { state.token = null; }
    $('back').addEventListener('click', () => send({ type: 'back' }));
    $('restart').addEventListener('click', () => send({ type: 'restart' }));
    $('ask').addEventListener('submit', (ev) => {
      ev.preventDefault();
      const text = $('ask-text').value.trim();
      if (text) send({ type: 'ask', text });
    });
    fetch('/config.json', { cache: 'no-store' })
      .then((r) => r.json())
      .then((cfg) => { state.url = socketUrl(cfg); connect(); })
      .catch(() => { $('status').textContent = '⚠ config.json'; });
  }

  document.addEventListener('DOMContentLoaded', init);
})();
