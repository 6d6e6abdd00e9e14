// offers.js - a tenant's offers: the list, the create/edit form with the
// server's validation messages shown at their fields, and retiring an
// offer. Writes carry the offers file's revision and hash, so two people
// editing at once get a conflict instead of overwriting each other.
'use strict';

import * as api from './api.js';
import { $, el, clear, say, sayList, confirmAction, fillSelect, pageNotice, flash } from './dom.js';
import { tenants } from './flows.js';
import { renderHistory } from './history.js';

// [key, label, kind, hint]; kind: text, area, tel, email, url, list, facts, bool
const FIELDS = [
  ['id', 'Kennung', 'text', 'Nur a–z, 0–9, _ und -; kann später nicht geändert werden.'],
  ['title', 'Titel', 'text', ''],
  ['description', 'Beschreibung', 'area', ''],
  ['district', 'Stadtteil', 'text', ''],
  ['address', 'Adresse', 'text', ''],
  ['hours', 'Öffnungszeiten', 'text', 'z. B. Mo–Fr 9–12 Uhr'],
  ['cost', 'Kosten', 'text', 'z. B. kostenlos'],
  ['phone', 'Telefon', 'tel', 'Ziffern, Leerzeichen und + - / ( ). Mindestens eines von Telefon, E-Mail und Web.'],
  ['email', 'E-Mail', 'email', ''],
  ['web', 'Webadresse', 'url', 'mit http:// oder https://'],
  ['languages', 'Gesprochene Sprachen', 'list', 'Sprachkürzel durch Kommas getrennt, z. B. de, tr, ar'],
  ['facts', 'Merkmale', 'facts', 'Eine Zeile je Merkmal: Name: Wert, Wert – z. B. „age: 1-6“ oder „topic: daycare, language“'],
  ['sample', 'Beispieldaten (erfundene Angaben)', 'bool', ''],
];
const TEXT_KEYS = ['title', 'description', 'hours', 'cost'];
const REQUIRED = ['id', 'title', 'description', 'facts', 'district', 'address', 'hours', 'cost'];

const st = { t: null, data: null, offer: null, creating: false };

function offersPath(t) { return '/api/offers/' + api.seg(t); }
function textOf(v) { return v && typeof v === 'object' ? v.text || '' : v || ''; }

async function loadOffers(t) {
  st.t = t;
  st.data = await api.get(offersPath(t));
  return st.data;
}

async function pickTenant(parts, route) {
  const list = await tenants(false);
  const t = parts[0] && list.some((x) => x.id === parts[0]) ? parts[0] : (list[0] && list[0].id);
  fillSelect($('offers-tenant'), list.map((x) => ({ value: x.id, label: x.name })), t);
  $('offers-tenant').onchange = () => { location.hash = route + api.seg($('offers-tenant').value); };
  return t;
}

// ---------------------------------------------------------------- list

export async function showList(parts) {
  const t = await pickTenant(parts, '#/offers/');
  document.title = 'Angebote – Lotse Redaktion';
  const rows = $('offer-rows');
  clear(rows);
  if (!t) return;
  const newLink = $('offer-new');
  newLink.href = '#/offer/' + api.seg(t) + '/new';
  newLink.hidden = !api.canWrite();
  const data = await loadOffers(t);
  $('offers-meta').textContent = data.path + ' · ' + (data.offers.length === 1 ? '1 Angebot' : data.offers.length + ' Angebote') +
    (data.revision !== null && data.revision !== undefined ? ' · Fassung ' + data.revision : '') +
    (data.changed_on_disk ? ' · außerhalb der Redaktion geändert' : '');
  for (const o of data.offers) {
    const tr = el('tr');
    const td = el('td');
    const a = el('a', textOf(o.title));
    a.href = '#/offer/' + api.seg(t) + '/' + api.seg(o.id);
    td.appendChild(a);
    if (o.sample) td.appendChild(el('span', ' (Beispiel)', 'hint'));
    tr.appendChild(td);
    tr.appendChild(el('td', o.id));
    tr.appendChild(el('td', o.district || ''));
    tr.appendChild(el('td', [o.phone, o.email, o.web].filter(Boolean).join(' · ')));
    tr.appendChild(el('td', (o.languages || []).join(', ')));
    rows.appendChild(tr);
  }
  const box = $('offers-history-box');
  box.ontoggle = () => { if (box.open) showHistory(); };
  if (box.open) await showHistory();
  if (!data.offers.length) {
    const tr = el('tr');
    const td = el('td', 'Dieses Amt hat noch keine Angebote.', 'hint');
    td.colSpan = 5;
    tr.appendChild(td);
    rows.appendChild(tr);
  }
}

async function showHistory() {
  const list = await api.get('/api/revisions?path=' + encodeURIComponent(st.data.path));
  renderHistory($('offers-history'), 'offers-history', list, st.data, async () => {
    await showList([st.t]);
  });
}

// ---------------------------------------------------------------- form

function input(key, kind) {
  let e;
  if (kind === 'area' || kind === 'facts') {
    e = el('textarea');
    e.rows = kind === 'facts' ? 4 : 3;
    e.className = 'field';
  } else {
    e = el('input');
    e.type = kind === 'bool' ? 'checkbox' : kind === 'list' ? 'text' : kind;
  }
  e.id = 'of-' + key;
  e.name = key;
  if (kind !== 'bool') e.size = 50;
  if (REQUIRED.includes(key) && kind !== 'bool') e.setAttribute('aria-required', 'true');
  return e;
}

function buildForm(form, offer) {
  clear(form);
  const write = api.canWrite();
  const fs = el('fieldset');
  fs.disabled = !write;
  fs.appendChild(el('legend', write ? 'Angaben' : 'Angaben (nur lesen)'));
  fs.className = 'stack';
  for (const [key, label, kind, hint] of FIELDS) {
    const row = el('div', null, 'field-row');
    row.id = 'of-row-' + key;
    const inp = input(key, kind);
    const lab = el('label', label + (REQUIRED.includes(key) ? ' *' : ''));
    lab.htmlFor = inp.id;
    const err = el('p', '', 'field-error');
    err.id = 'of-err-' + key;
    err.hidden = true;
    const described = [err.id];
    if (hint) {
      const h = el('p', hint, 'hint');
      h.id = 'of-hint-' + key;
      described.push(h.id);
      if (kind === 'bool') { row.appendChild(inp); row.appendChild(lab); } else { row.appendChild(lab); row.appendChild(inp); }
      row.appendChild(h);
    } else if (kind === 'bool') { lab.prepend(inp); row.appendChild(lab); }
    else { row.appendChild(lab); row.appendChild(inp); }
    row.appendChild(err);
    inp.setAttribute('aria-describedby', described.join(' '));
    fs.appendChild(row);
    setValue(inp, key, kind, offer);
  }
  form.appendChild(fs);
  if (!st.creating) $('of-id').readOnly = true;
  form.appendChild(el('p', '* Pflichtfeld', 'hint'));
  if (!write) return;
  const msgRow = el('div', null, 'field-row');
  const msg = el('input');
  msg.id = 'offer-message';
  msg.type = 'text';
  msg.size = 50;
  const ml = el('label', 'Was wurde geändert? (für den Verlauf)');
  ml.htmlFor = msg.id;
  msgRow.appendChild(ml);
  msgRow.appendChild(msg);
  form.appendChild(msgRow);
  const bar = el('div', null, 'toolbar');
  const save = el('button', st.creating ? 'Angebot anlegen' : 'Änderungen speichern', 'primary');
  save.type = 'submit';
  save.id = 'offer-save';
  bar.appendChild(save);
  if (!st.creating) {
    const retire = el('button', 'Angebot zurückziehen …', 'danger');
    retire.type = 'button';
    retire.id = 'offer-retire';
    retire.addEventListener('click', onRetire);
    bar.appendChild(retire);
  }
  form.appendChild(bar);
}

function setValue(inp, key, kind, o) {
  const v = o ? o[key] : undefined;
  if (kind === 'bool') inp.checked = !!v;
  else if (kind === 'list') inp.value = (v || []).join(', ');
  else if (kind === 'facts') {
    inp.value = Object.entries(v || {}).map(([k, vals]) =>
      k + ': ' + (Array.isArray(vals) ? vals.join(', ') : String(vals))).join('\n');
  } else inp.value = textOf(v);
}

export async function showOffer(parts) {
  const [t, id] = parts;
  await pickTenant([t], '#/offers/');
  await loadOffers(t);
  st.creating = id === 'new';
  st.offer = st.creating ? null : st.data.offers.find((o) => o.id === id) || null;
  $('offer-back').href = '#/offers/' + api.seg(t);
  say($('offer-error'), '');
  const form = $('offer-form');
  if (!st.creating && !st.offer) {
    clear(form);
    $('offer-title').textContent = 'Angebot nicht gefunden';
    say($('offer-error'), 'Das Angebot „' + id + '“ gibt es (nicht mehr) in ' + st.data.path + '.');
    return;
  }
  const tname = (await tenants(false)).find((x) => x.id === t);
  $('offer-title').textContent = (st.creating ? 'Neues Angebot' : textOf(st.offer.title)) +
    (tname ? ' – ' + tname.name : '');
  document.title = $('offer-title').textContent + ' – Lotse Redaktion';
  buildForm(form, st.offer);
  form.onsubmit = onSave;
}

// ---- collecting and sending ----

function showFieldErrors(errors) {
  for (const [key] of FIELDS) {
    const err = $('of-err-' + key);
    err.hidden = true;
    err.textContent = '';
    $('of-row-' + key).classList.remove('invalid');
    $('of-' + key).removeAttribute('aria-invalid');
  }
  const rest = [];
  for (const e of errors) {
    const key = e.field || fieldOf(e.message || '');
    const err = key ? $('of-err-' + key) : null;
    if (!err) { rest.push(api.describeError(e, '')); continue; }
    err.textContent = (err.textContent ? err.textContent + ' · ' : '') + germanMessage(e.message || '');
    if (e.line) err.title = 'offers.yaml, Zeile ' + e.line + ': ' + e.message;
    err.hidden = false;
    $('of-row-' + key).classList.add('invalid');
    $('of-' + key).setAttribute('aria-invalid', 'true');
  }
  const first = errors.length ? document.querySelector('.field-row.invalid input, .field-row.invalid textarea') : null;
  if (first) first.focus();
  return rest;
}

// The offers validator speaks English (as `lotse check`); the form shows its
// messages in German where it knows them, otherwise as they are.
const GERMAN = [
  [/^invalid phone number "(.*)"/, (m) => 'Ungültige Telefonnummer „' + m[1] + '“: erlaubt sind Ziffern, Leerzeichen und + - / ( ), mindestens 5 Ziffern.'],
  [/^invalid e-?mail address "(.*)"/, (m) => 'Ungültige E-Mail-Adresse „' + m[1] + '“.'],
  [/^invalid web address "(.*)"/, (m) => 'Ungültige Webadresse „' + m[1] + '“: sie beginnt mit http:// oder https:// und nennt einen Rechner.'],
  [/^an offer needs "phone", "email" or "web"/, () => 'Bitte geben Sie mindestens Telefon, E-Mail oder Webadresse an.'],
  [/^"[a-z_]+" must not be empty/, () => 'Dieses Feld darf nicht leer sein.'],
  [/^missing key "[a-z_]+"/, () => 'Dieses Feld fehlt; es ist ein Pflichtfeld.'],
  [/^unknown language "(.*)"/, (m) => 'Unbekanntes Sprachkürzel „' + m[1] + '“.'],
  [/^duplicate language "(.*)"/, (m) => 'Die Sprache „' + m[1] + '“ steht doppelt in der Liste.'],
  [/^invalid id "(.*)"/, (m) => 'Ungültige Kennung „' + m[1] + '“: nur a–z, 0–9, _ und -, höchstens 64 Zeichen.'],
  [/^duplicate offer id "(.*)"/, (m) => 'Die Kennung „' + m[1] + '“ gibt es bei diesem Amt schon.'],
  [/^fact "(.*)" has no value/, (m) => 'Das Merkmal „' + m[1] + '“ hat keinen Wert.'],
  [/^fact "(.*)" must be/, (m) => 'Das Merkmal „' + m[1] + '“ braucht einen Wert oder eine Liste von Werten.'],
  [/^empty fact name/, () => 'Ein Merkmal hat keinen Namen (vor dem Doppelpunkt).'],
];

export function germanMessage(msg) {
  for (const [re, f] of GERMAN) {
    const m = re.exec(msg);
    if (m) return f(m);
  }
  return msg;
}

// Which field a validator message is about (the validator names the key).
export function fieldOf(msg) {
  if (/phone number|"phone"/.test(msg)) return 'phone';
  if (/e-?mail address/.test(msg)) return 'email';
  if (/web address/.test(msg)) return 'web';
  if (/language/.test(msg)) return 'languages';
  if (/^(empty )?fact/.test(msg)) return 'facts';
  if (/offer id|invalid id/.test(msg)) return 'id';
  const m = /"([a-z_]+)"/.exec(msg);
  return m && FIELDS.some((f) => f[0] === m[1]) ? m[1] : null;
}

// Reads the form into an offer; client-side only what the API cannot
// express (the facts lines' shape). Returns { offer, errors }.
function collect() {
  const o = {};
  const errors = [];
  for (const [key, , kind] of FIELDS) {
    const inp = $('of-' + key);
    if (kind === 'bool') { o[key] = inp.checked; continue; }
    const v = inp.value.trim();
    if (kind === 'list') o[key] = v ? v.split(/[,\s]+/).filter(Boolean) : [];
    else if (kind === 'facts') o[key] = parseFacts(v, errors);
    else if (TEXT_KEYS.includes(key) && st.offer && typeof st.offer[key] === 'object' && st.offer[key])
      o[key] = { ...st.offer[key], text: v };
    else if (['phone', 'email', 'web'].includes(key)) o[key] = v || null;
    else o[key] = v;
  }
  if (!o.languages.length) delete o.languages;
  return { offer: o, errors };
}

function parseFacts(text, errors) {
  const facts = {};
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      errors.push({ field: 'facts', message: 'Zeile ' + (i + 1) + ': „Name: Wert, Wert“ erwartet.' });
      return;
    }
    facts[line.slice(0, colon).trim()] = line.slice(colon + 1).split(',').map((s) => s.trim()).filter(Boolean);
  });
  return facts;
}

async function onSave(ev) {
  ev.preventDefault();
  say($('offer-error'), '');
  pageNotice('');
  const { offer, errors } = collect();
  if (errors.length) {
    showFieldErrors(errors);
    say($('offer-error'), 'Bitte korrigieren Sie die markierten Felder.');
    return;
  }
  const message = $('offer-message').value.trim() || (st.creating ? 'Angebot ' + offer.id + ' angelegt'
    : 'Angebot ' + offer.id + ' geändert');
  const body = { offer, message, base_revision: st.data.revision, base_hash: st.data.hash };
  $('offer-save').disabled = true;
  try {
    const r = st.creating
      ? await api.post(offersPath(st.t), body)
      : await api.put(offersPath(st.t) + '/' + api.seg(offer.id), body);
    flash((st.creating ? 'Angebot angelegt' : 'Angebot gespeichert') + ' (Fassung ' + r.revision +
      '). Es gilt ab sofort für neue Gespräche.');
    location.hash = '#/offers/' + api.seg(st.t);
  } catch (e) {
    onWriteError(e);
  } finally {
    const b = $('offer-save');
    if (b) b.disabled = false;
  }
}

function onWriteError(e) {
  const box = $('offer-error');
  if (e.code === 'invalid') {
    const rest = showFieldErrors(e.data.errors || []);
    if (rest.length) sayList(box, 'Nicht gespeichert. Bitte korrigieren Sie:', rest);
    else say(box, 'Nicht gespeichert. Bitte korrigieren Sie die markierten Felder.');
  } else if (e.code === 'reload_failed') {
    say(box, 'Gespeichert als Fassung ' + e.data.revision + ', aber noch nicht in Betrieb: ' + e.message);
  } else if (e.code === 'conflict') {
    say(box, 'Nicht gespeichert: Die Angebote dieses Amts wurden inzwischen von jemand anderem geändert. ' +
      'Ihre Eingaben sind noch da; laden Sie den aktuellen Stand, um die Änderungen zu sehen.');
    const b = el('button', 'Aktuellen Stand laden (Ihre Eingaben verwerfen)');
    b.type = 'button';
    b.addEventListener('click', () => showOffer([st.t, st.creating ? 'new' : st.offer.id]));
    const bar = el('div', null, 'actions');
    bar.appendChild(b);
    box.appendChild(bar);
  } else {
    say(box, 'Nicht gespeichert: ' + e.message);
  }
  box.scrollIntoView({ block: 'nearest' });
}

async function onRetire() {
  const o = st.offer;
  const ok = await confirmAction('„' + textOf(o.title) + '“ zurückziehen? Das Angebot wird nicht mehr angezeigt. ' +
    'Es bleibt im Verlauf gespeichert.', 'Zurückziehen');
  if (!ok) return;
  const message = ($('offer-message').value.trim()) || 'Angebot ' + o.id + ' zurückgezogen';
  try {
    const r = await api.post(offersPath(st.t) + '/' + api.seg(o.id) + '/retire',
      { message, base_revision: st.data.revision, base_hash: st.data.hash });
    flash('„' + textOf(o.title) + '“ wurde zurückgezogen (Fassung ' + r.revision + ').');
    location.hash = '#/offers/' + api.seg(st.t);
  } catch (e) {
    onWriteError(e);
  }
}
