// translations.js - translation coverage per tenant and language, the texts
// still untranslated or fuzzy with where they appear (linked to the flow
// editor at that line), downloads of the template and the catalogues, and
// the upload of a .po file (checked by the server; errors listed, nothing
// changed then).
'use strict';

import * as api from './api.js';
import { $, el, clear, say, sayList, fillSelect } from './dom.js';
import { tenants, languageName } from './flows.js';

const st = { wired: false, coverage: null, t: null, lang: null };

function wire() {
  if (st.wired) return;
  st.wired = true;
  $('upload-form').addEventListener('submit', onUpload);
  $('missing-tenant').addEventListener('change', () => go($('missing-tenant').value, $('missing-lang').value));
  $('missing-lang').addEventListener('change', () => go($('missing-tenant').value, $('missing-lang').value));
  $('pot-download').href = '/api/po/lotse.pot';
}

function go(t, lang) {
  location.hash = '#/translations/' + api.seg(t) + '/' + api.seg(lang);
}

const langLabel = (l) => languageName(l) + ' (' + l + ')';

export async function show(parts, keepResult) {
  wire();
  if (!keepResult) { say($('upload-result'), ''); $('upload-result').className = ''; }
  document.title = 'Übersetzungen – Lotse Redaktion';
  const [list, cov] = await Promise.all([tenants(false), api.get('/api/translations')]);
  st.coverage = cov.tenants || [];
  const t = st.coverage.find((x) => x.id === parts[0]) || st.coverage[0];
  if (!t) { renderCoverage(list); return; }
  const langs = t.languages.map((l) => l.lang);
  const lang = langs.includes(parts[1]) ? parts[1] : (langs.find((l) => l !== 'de') || langs[0]);
  st.t = t.id;
  st.lang = lang;
  renderCoverage(list);
  fillSelect($('missing-tenant'), st.coverage.map((x) => ({ value: x.id, label: tenantName(list, x.id) })), t.id);
  fillSelect($('missing-lang'), langs.map((l) => ({ value: l, label: langLabel(l) })), lang);

  const all = [...new Set(st.coverage.flatMap((x) => x.languages.map((l) => l.lang)))].sort();
  fillSelect($('upload-lang'), all.map((l) => ({ value: l, label: langLabel(l) })), lang);
  const write = api.canWrite();
  for (const e of $('upload-form').elements) e.disabled = !write;
  if (!write) {
    $('upload-result').className = 'msg warn';
    say($('upload-result'), 'Mit der Rolle „Nur lesen“ können keine Kataloge hochgeladen werden.');
  }
  await renderMissing(t.id, lang, list);
}

function tenantName(list, id) {
  const t = list.find((x) => x.id === id);
  return t ? t.name : id;
}

// The languages of all tenants, in the order they first appear.
function allLanguages() {
  const seen = [];
  for (const t of st.coverage) for (const l of t.languages) if (!seen.includes(l.lang)) seen.push(l.lang);
  return seen;
}

// One row per tenant, one column per language: the share translated, and a
// link to the open texts where there are any; the catalogues in the footer.
function renderCoverage(list) {
  const langs = allLanguages();
  const head = $('coverage-head');
  clear(head);
  const corner = el('th', 'Amt');
  corner.scope = 'col';
  head.appendChild(corner);
  for (const l of langs) {
    const th = el('th');
    th.scope = 'col';
    const abbr = el('abbr', l);
    abbr.title = languageName(l);
    th.appendChild(abbr);
    head.appendChild(th);
  }
  const rows = $('coverage-rows');
  clear(rows);
  for (const t of st.coverage) {
    const tr = el('tr');
    const th = el('th', tenantName(list, t.id));
    th.scope = 'row';
    tr.appendChild(th);
    for (const code of langs) tr.appendChild(coverageCell(t, t.languages.find((x) => x.lang === code)));
    rows.appendChild(tr);
  }
  const foot = $('coverage-foot');
  clear(foot);
  foot.appendChild(el('th', 'Katalog herunterladen'));
  foot.firstChild.scope = 'row';
  for (const l of langs) {
    const td = el('td');
    const a = el('a', l + '.po');
    a.href = '/api/po/' + api.seg(l) + '.po';
    a.setAttribute('download', l + '.po');
    a.title = 'Katalog ' + langLabel(l) + ' herunterladen';
    td.appendChild(a);
    foot.appendChild(td);
  }
}

function coverageCell(t, l) {
  const td = el('td');
  if (!l) {
    td.textContent = '–';
    td.title = 'Sprache nicht angeboten';
    return td;
  }
  const open = l.untranslated + l.fuzzy;
  const pct = Math.floor(l.percent) + ' %';
  td.className = open ? 'open' : 'done';
  td.title = languageName(l.lang) + ': ' + l.translated + ' von ' + l.total + ' Texten übersetzt';
  if (t.id === st.t && l.lang === st.lang) td.classList.add('selected');
  if (!open) {
    td.appendChild(el('span', pct, 'full'));
    return td;
  }
  const a = el('a', pct);
  a.href = '#/translations/' + api.seg(t.id) + '/' + api.seg(l.lang);
  a.setAttribute('aria-label', pct + ' übersetzt; offene Texte in ' + languageName(l.lang) + ' anzeigen');
  td.appendChild(a);
  const counts = [];
  if (l.untranslated) counts.push(l.untranslated + (l.untranslated === 1 ? ' fehlt' : ' fehlen'));
  if (l.fuzzy) counts.push(l.fuzzy + ' unscharf');
  td.appendChild(el('span', counts.join(', '), 'counts'));
  return td;
}

// A reference "flows/<t>/<file>.yaml:12" as a link into the flow editor.
function refItem(ref) {
  const li = el('li');
  const m = /^flows\/([a-z0-9_-]+)\/([a-z0-9_-]+)\.yaml:(\d+)$/.exec(ref);
  if (m && m[2] !== 'tenant' && m[2] !== 'offers') {
    const a = el('a', ref);
    a.href = '#/flow/' + m[1] + '/' + m[2] + '/edit/' + m[3];
    li.appendChild(a);
  } else li.textContent = ref;
  return li;
}

async function renderMissing(t, lang, list) {
  const rows = $('missing-rows');
  clear(rows);
  const data = await api.get('/api/translations/' + api.seg(t) + '/' + api.seg(lang));
  const texts = data.texts || [];
  $('missing-caption').textContent = texts.length
    ? (texts.length === 1 ? '1 offener Text' : texts.length + ' offene Texte') + ' für ' + tenantName(list, t) + ' in ' + langLabel(lang)
    : 'Alle Texte von ' + tenantName(list, t) + ' sind in ' + langLabel(lang) + ' übersetzt.';
  for (const x of texts) {
    const tr = el('tr');
    tr.appendChild(el('td', x.state === 'fuzzy' ? 'unscharf (prüfen)' : 'fehlt', x.state));
    const td = el('td');
    td.appendChild(el('span', x.msgid));
    if (x.context) td.appendChild(el('p', 'Kontext: ' + x.context, 'hint'));
    tr.appendChild(td);
    const refs = el('td');
    const ul = el('ul', null, 'refs');
    for (const r of x.refs || []) ul.appendChild(refItem(r));
    refs.appendChild(ul);
    tr.appendChild(refs);
    rows.appendChild(tr);
  }
}

async function onUpload(ev) {
  ev.preventDefault();
  const box = $('upload-result');
  const lang = $('upload-lang').value;
  const file = $('upload-file').files[0];
  box.className = '';
  if (!file) { say(box, 'Bitte wählen Sie eine .po-Datei aus.'); box.className = 'msg error'; return; }
  if (!/\.po$/i.test(file.name)) {
    say(box, '„' + file.name + '“ ist keine .po-Datei.');
    box.className = 'msg error';
    return;
  }
  const message = 'Katalog ' + lang + ' hochgeladen (' + file.name + ')';
  $('upload-submit').disabled = true;
  say(box, 'Wird geprüft …');
  try {
    const r = await api.request('PUT', '/api/po/' + api.seg(lang) + '.po?message=' + encodeURIComponent(message),
      undefined, { raw: { body: file, type: 'text/x-gettext-translation; charset=utf-8' } });
    box.className = 'msg ok';
    say(box, 'Der Katalog für ' + langLabel(lang) + ' ist fehlerfrei und wurde übernommen (Fassung ' +
      r.data.revision + '). Er gilt ab sofort für neue Gespräche.');
    $('upload-file').value = '';
    await show([st.t, st.lang], true);
  } catch (e) {
    box.className = 'msg error';
    if (e.code === 'invalid' && e.data.errors) {
      sayList(box, 'Der Katalog wurde nicht übernommen; es hat sich nichts geändert. Fehler in ' + file.name + ':',
        e.data.errors.map((x) => (x.line ? 'Zeile ' + x.line + (x.col ? ', Spalte ' + x.col : '') + ': ' : '') + x.message));
    } else if (e.code === 'reload_failed') {
      say(box, 'Der Katalog wurde gespeichert (Fassung ' + e.data.revision + '), ist aber noch nicht in Betrieb: ' + e.message);
    } else say(box, 'Der Katalog wurde nicht übernommen: ' + e.message);
  } finally {
    $('upload-submit').disabled = !api.canWrite();
  }
}
