// flows.js - tenants and their flows: the overview, and for one flow the
// editor (check, preview in the kiosk page, publish with conflict handling,
// "changed on disk" notice), the history (diff between any two revisions,
// rollback) and the flow's picture. API: docs/staff.md.
'use strict';

import * as api from './api.js';
import { $, el, clear, say, sayList, when, confirmAction, fillSelect, pageError, pageNotice } from './dom.js';
import { createEditor } from './editor.js';
import { renderDiff } from './diff.js';
import { renderHistory } from './history.js';
import { unifiedDiff } from './linediff.js';
import { buildLegend } from './legend.js';

const langNames = new Intl.DisplayNames(['de'], { type: 'language' });
const POLL_MS = 60000;

const st = {
  tenants: null,   // GET /api/tenants
  t: null,         // tenant id of the open flow
  f: null,         // flow file name without .yaml
  loaded: null,    // GET /api/flows/<t>/<f>: what the editor's text is based on
  preview: null,   // { token, url, expires, yaml }
  editor: null,
  checkedYaml: null,
  timer: null,
  wired: false,
};

export function languageName(code) {
  try { return langNames.of(code) || code; } catch (e) { return code; }
}

const flowPath = () => '/api/flows/' + api.seg(st.t) + '/' + api.seg(st.f);
const dirty = () => !!(st.loaded && st.editor && st.editor.value !== st.loaded.yaml);

export function hasUnsavedChanges() { return dirty(); }
export function forget() {
  st.loaded = null;
  st.preview = null;
  st.t = st.f = null;
  st.tenants = null;
}

export async function tenants(force) {
  if (!st.tenants || force) st.tenants = (await api.get('/api/tenants')).tenants;
  return st.tenants;
}

// ---------------------------------------------------------------- overview

export async function showList() {
  const list = await tenants(true);
  document.title = 'Abläufe – Lotse Redaktion';
  const ul = $('tenant-list');
  clear(ul);
  for (const t of list) {
    const li = el('li', null, 'card');
    li.appendChild(el('h2', t.name));
    li.appendChild(el('p', 'Kennung: ' + t.id, 'meta'));
    li.appendChild(el('p', 'Sprachen: ' + t.languages.map(languageName).join(', '), 'meta'));
    const flows = el('ul');
    for (const f of t.flows) {
      const item = el('li');
      const name = f.file.replace(/\.yaml$/, '');
      const a = el('a', f.title || f.id);
      a.href = '#/flow/' + api.seg(t.id) + '/' + api.seg(name) + '/edit';
      item.appendChild(a);
      item.appendChild(document.createTextNode(' '));
      item.appendChild(el('span', '(' + f.file + (f.id === t.start ? ', Startablauf' : '') + ')', 'hint'));
      flows.appendChild(item);
    }
    li.appendChild(flows);
    ul.appendChild(li);
  }
  if (!list.length) ul.appendChild(el('li', 'Es sind keine Ämter eingerichtet.', 'hint'));
}

// ---------------------------------------------------------------- one flow

function tenantInfo() {
  return (st.tenants || []).find((t) => t.id === st.t) || null;
}

function flowInfo() {
  const t = tenantInfo();
  return t ? t.flows.find((f) => f.file === st.f + '.yaml') || null : null;
}

function wire() {
  if (st.wired) return;
  st.wired = true;
  st.editor = createEditor($('flow-editor'));
  st.editor.onChange(updateEditState);
  $('btn-check').addEventListener('click', () => runCheck());
  $('btn-preview').addEventListener('click', () => runPreview());
  $('btn-publish').addEventListener('click', openPublish);
  $('publish-cancel').addEventListener('click', () => $('publish-dialog').close('cancel'));
  $('publish-form').addEventListener('submit', onPublishSubmit);
  $('preview-lang').addEventListener('change', showPreviewFrame);
  $('conflict-compare').addEventListener('click', () => compareWithServer());
  $('disk-compare').addEventListener('click', () => compareWithServer());
  $('conflict-reload').addEventListener('click', () => reloadFromServer());
  $('disk-reload').addEventListener('click', () => reloadFromServer());
  $('picture-fit').addEventListener('click', () => {
    const fit = $('picture-fit').getAttribute('aria-pressed') !== 'true';
    $('picture-fit').setAttribute('aria-pressed', String(fit));
    $('picture-box').classList.toggle('fit', fit);
  });
  window.addEventListener('focus', () => checkDisk());
  document.addEventListener('visibilitychange', () => checkDisk());
}

function setTab(tab) {
  const base = '#/flow/' + api.seg(st.t) + '/' + api.seg(st.f) + '/';
  for (const name of ['edit', 'history', 'picture']) {
    const a = $('tab-' + name);
    a.href = base + name;
    if (name === tab) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    $('panel-' + name).hidden = name !== tab;
  }
}

export async function showFlow(parts) {
  wire();
  const [t, f] = parts;
  const tab = ['edit', 'history', 'picture'].includes(parts[2]) ? parts[2] : 'edit';
  if (!t || !f) { location.hash = '#/flows'; return; }
  await tenants(false);
  if (t !== st.t || f !== st.f) {
    if (dirty() && !(await confirmAction('Ihre Änderungen an „' + st.f + '“ sind noch nicht veröffentlicht. ' +
      'Verwerfen und den anderen Ablauf öffnen?', 'Verwerfen'))) {
      location.hash = '#/flow/' + api.seg(st.t) + '/' + api.seg(st.f) + '/edit';
      return;
    }
    st.t = t;
    st.f = f;
    st.preview = null;
    await loadFlow();
    resetPanels();
  }
  const fi = flowInfo();
  const ti = tenantInfo();
  $('flow-title').textContent = (fi && fi.title ? fi.title : f) + ' – ' + (ti ? ti.name : t);
  document.title = (fi && fi.title ? fi.title : f) + ' – Lotse Redaktion';
  setTab(tab);
  applyRole();
  if (tab === 'edit') {
    await checkDisk();
    const line = Number(parts[3]);
    if (line > 0) st.editor.goTo(line, 1);
  }
  if (tab === 'history') await showHistory();
  if (tab === 'picture') await showPicture();
  if (st.timer) clearInterval(st.timer);
  st.timer = setInterval(() => {
    if (location.hash.startsWith('#/flow/') && document.visibilityState === 'visible' && document.hasFocus())
      checkDisk();
  }, POLL_MS);
}

function applyRole() {
  const write = api.canWrite();
  $('btn-publish').disabled = !write;
  $('btn-publish').title = write ? '' : 'Mit der Rolle „Nur lesen“ kann nicht veröffentlicht werden.';
  $('conflict-reload').hidden = false;
}

function resetPanels() {
  $('conflict').hidden = true;
  $('compare-box').hidden = true;
  $('preview-frame').hidden = true;
  $('preview-frame').removeAttribute('src');
  say($('preview-error'), '');
  clear($('flow-history'));
  showCheckResult(null);
  const ti = tenantInfo();
  const langs = ti ? ti.languages : ['de'];
  fillSelect($('preview-lang'), langs.map((l) => ({ value: l, label: languageName(l) + ' (' + l + ')' })),
    ti ? ti.default_lang : 'de');
}

async function loadFlow() {
  const data = await api.get(flowPath());
  st.loaded = data;
  st.editor.setValue(data.yaml);
  st.checkedYaml = null;
  showMeta();
  showDiskNotice(null);
  updateEditState();
}

function showMeta() {
  const d = st.loaded;
  const parts = [d.path];
  parts.push(d.revision === null || d.revision === undefined ? 'noch keine gespeicherte Fassung'
    : 'Fassung ' + d.revision);
  $('flow-meta').textContent = parts.join(' · ');
  const box = $('disk-notice');
  if (d.changed_on_disk) {
    $('disk-text').textContent = 'Diese Datei wurde außerhalb der Redaktion geändert (zum Beispiel mit git) ' +
      'und unterscheidet sich von der letzten gespeicherten Fassung. Der Editor zeigt die Fassung auf dem ' +
      'Server; beim nächsten Veröffentlichen wird sie zuerst als eigene Fassung gesichert.';
    $('disk-reload').hidden = true;
    $('disk-compare').hidden = true;
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

// The draft's state in one line, and whether the preview is still current.
function updateEditState() {
  const rev = st.loaded && st.loaded.revision !== null && st.loaded.revision !== undefined
    ? ' (Fassung ' + st.loaded.revision + ')' : '';
  const text = dirty() ? 'Ungespeicherte Änderungen' : 'Entspricht der Fassung auf dem Server' + rev;
  $('edit-state').textContent = text;
  $('check-stale').hidden = st.checkedYaml === null || st.checkedYaml === st.editor.value;
  if (st.preview && st.preview.yaml !== st.editor.value)
    $('preview-hint').textContent = 'Die Vorschau zeigt einen älteren Stand. Drücken Sie erneut „Vorschau“.';
}

// ---- check ----

function showCheckResult(result) {
  const box = $('check-result');
  const list = $('problem-list');
  clear(box);
  clear(list);
  if (!result) {
    box.appendChild(el('p', 'Noch nicht geprüft.', 'hint'));
    st.editor && st.editor.markErrors([]);
    return;
  }
  const own = st.loaded ? st.loaded.path : '';
  const errors = result.errors || [];
  if (!errors.length) {
    box.appendChild(el('p', 'Keine Fehler gefunden.', 'msg ok'));
    st.editor.markErrors([]);
    return;
  }
  box.appendChild(el('p', errors.length === 1 ? '1 Fehler gefunden:' : errors.length + ' Fehler gefunden:', 'msg error'));
  for (const e of errors) {
    const li = el('li');
    const text = api.describeError(e, own);
    if ((!e.file || e.file === own) && e.line > 0) {
      const b = el('button', text);
      b.type = 'button';
      b.dataset.line = String(e.line);
      b.addEventListener('click', () => st.editor.goTo(e.line, e.col));
      li.appendChild(b);
    } else {
      li.appendChild(el('span', (e.line ? '' : (e.file && e.file !== own ? '' : 'ganze Datei: ')) + text, 'msg error'));
    }
    list.appendChild(li);
  }
  st.editor.markErrors(errors.filter((e) => !e.file || e.file === own));
}

async function runCheck() {
  const yaml = st.editor.value;
  $('btn-check').disabled = true;
  try {
    const r = await api.post(flowPath() + '/check', { yaml });
    st.checkedYaml = yaml;
    showCheckResult(r);
    return true;
  } catch (e) {
    if (e.code === 'invalid') { st.checkedYaml = yaml; showCheckResult(e.data); return false; }
    pageError(e.message);
    return false;
  } finally {
    $('btn-check').disabled = false;
    updateEditState();
  }
}

// ---- preview ----

async function runPreview() {
  const yaml = st.editor.value;
  say($('preview-error'), '');
  $('btn-preview').disabled = true;
  try {
    const r = await api.post(flowPath() + '/preview', { yaml });
    st.preview = { token: r.preview, url: r.url, expires: r.expires, yaml };
    st.checkedYaml = yaml;
    showCheckResult({ errors: [] });
    updateEditState();
    const t = tenantInfo();
    const langs = r.languages && r.languages.length ? r.languages : (t ? t.languages : ['de']);
    fillSelect($('preview-lang'), langs.map((l) => ({ value: l, label: languageName(l) + ' (' + l + ')' })),
      $('preview-lang').value);
    $('preview-hint').textContent = 'Vorschau Ihres Entwurfs (Stand ' +
      new Date().toLocaleTimeString('de-DE', { hour: '2-digit', minute: '2-digit' }) +
      '), gültig bis ' + when(r.expires) + '. Nur Sie sehen diese Fassung.';
    showPreviewFrame();
  } catch (e) {
    if (e.code === 'invalid') {
      showCheckResult(e.data);
      say($('preview-error'), 'Die Vorschau ist erst möglich, wenn die Prüfung keine Fehler mehr meldet.');
    } else {
      say($('preview-error'), e.message);
    }
  } finally {
    $('btn-preview').disabled = false;
  }
}

function showPreviewFrame() {
  const p = st.preview;
  const frame = $('preview-frame');
  if (!p) return;
  if (p.expires && p.expires * 1000 < Date.now()) {
    say($('preview-error'), 'Die Vorschau ist abgelaufen. Drücken Sie erneut „Vorschau“.');
    return;
  }
  const lang = $('preview-lang').value;
  frame.src = p.url + (p.url.includes('?') ? '&' : '?') + 'lang=' + encodeURIComponent(lang);
  frame.title = 'Vorschau im Kiosk (' + languageName(lang) + ')';
  frame.hidden = false;
}

// ---- publish ----

function openPublish() {
  if (!api.canWrite()) return;
  pageNotice('');
  if (!dirty() && !(st.loaded && st.loaded.changed_on_disk)) {
    pageNotice('Es gibt keine Änderungen zum Veröffentlichen.');
    return;
  }
  $('publish-message').value = '';
  $('publish-dialog').showModal();
  $('publish-message').focus();
}

async function onPublishSubmit(ev) {
  ev.preventDefault();
  const message = $('publish-message').value.trim();
  if (!message) {
    $('publish-message').setCustomValidity('Bitte beschreiben Sie kurz, was geändert wurde.');
    $('publish-message').reportValidity();
    $('publish-message').setCustomValidity('');
    return;
  }
  $('publish-dialog').close('ok');
  await publish(message);
}

async function publish(message) {
  const yaml = st.editor.value;
  const d = st.loaded;
  $('btn-publish').disabled = true;
  $('edit-state').textContent = 'Wird veröffentlicht …';
  try {
    const r = await api.put(flowPath(), { yaml, message, base_revision: d.revision, base_hash: d.hash });
    d.yaml = yaml;
    d.revision = r.revision;
    d.hash = r.hash;
    d.changed_on_disk = false;
    $('conflict').hidden = true;
    $('compare-box').hidden = true;
    showMeta();
    showDiskNotice(null);
    showCheckResult({ errors: [] });
    pageNotice('Veröffentlicht als Fassung ' + r.revision + '. Neue Gespräche verwenden sie ab sofort; ' +
      'laufende Gespräche enden auf ihrer bisherigen Fassung.');
  } catch (e) {
    if (e.code === 'conflict') showConflict(e);
    else if (e.code === 'reload_failed') {
      await loadFlow();   // the file was written: it is the new base
      pageError('Gespeichert als Fassung ' + e.data.revision + ', aber noch nicht in Betrieb: ' + e.message);
    } else if (e.code === 'invalid') {
      showCheckResult(e.data);
      pageError('Nicht veröffentlicht: Die Prüfung hat Fehler gefunden (siehe rechts).');
    } else pageError('Nicht veröffentlicht: ' + e.message);
  } finally {
    applyRole();
    updateEditState();
  }
}

function showConflict(e) {
  const box = $('conflict');
  const latest = e.data.revision;
  const why = latest !== null && latest !== undefined && latest !== st.loaded.revision
    ? 'Inzwischen wurde Fassung ' + latest + ' veröffentlicht.'
    : 'Die Datei wurde außerhalb der Redaktion geändert (zum Beispiel mit git).';
  $('conflict-text').textContent = 'Nicht veröffentlicht: ' + why + ' Nichts wurde überschrieben. ' +
    'Sehen Sie sich die Unterschiede an und übernehmen Sie Ihre Änderungen in die aktuelle Fassung, ' +
    'oder laden Sie die aktuelle Fassung.';
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

// ---- the version on the server: changed on disk, compare, reload ----

function showDiskNotice(current) {
  if (!current) { if (!(st.loaded && st.loaded.changed_on_disk)) $('disk-notice').hidden = true; return; }
  $('disk-text').textContent = 'Die Datei wurde geändert, seit Sie sie geöffnet haben' +
    (current.revision !== st.loaded.revision && current.revision !== null ? ' (jetzt Fassung ' + current.revision + ')' : ' (auf dem Server)') +
    '. Ihre Änderungen sind noch nicht veröffentlicht.';
  $('disk-reload').hidden = false;
  $('disk-compare').hidden = false;
  $('disk-notice').hidden = false;
}

// Looks whether the file on the server changed since it was loaded. Without
// own changes the editor simply takes the new version.
async function checkDisk() {
  if (!st.loaded || $('view-flow').hidden || document.visibilityState !== 'visible') return;
  let current;
  try { current = await api.get(flowPath()); } catch (e) { return; }
  if (current.hash === st.loaded.hash) return;
  if (!dirty()) {
    st.loaded = current;
    st.editor.setValue(current.yaml);
    showMeta();
    updateEditState();
    pageNotice('Die Datei wurde inzwischen geändert; der Editor zeigt jetzt die aktuelle Fassung' +
      (current.revision !== null ? ' (Fassung ' + current.revision + ')' : '') + '.');
    return;
  }
  showDiskNotice(current);
}

async function compareWithServer() {
  let current;
  try { current = await api.get(flowPath()); } catch (e) { pageError(e.message); return; }
  const box = $('compare-box');
  const out = $('compare-diff');
  clear(out);
  const label = current.revision !== null ? 'Server (Fassung ' + current.revision + ')' : 'Server';
  const text = unifiedDiff(current.yaml, st.editor.value, label, 'Ihre Fassung');
  out.appendChild(renderDiff(text));
  const bar = el('div', null, 'toolbar');
  const keep = el('button', 'Mit meiner Fassung weiterarbeiten (überschreibt die andere Änderung beim Veröffentlichen)');
  keep.type = 'button';
  keep.hidden = !api.canWrite();
  keep.addEventListener('click', () => {
    st.loaded = { ...current, yaml: current.yaml };
    box.hidden = true;
    $('conflict').hidden = true;
    $('disk-notice').hidden = true;
    showMeta();
    updateEditState();
    pageNotice('Ihre Fassung beruht jetzt auf der aktuellen Fassung des Servers. Prüfen Sie sie und veröffentlichen Sie erneut.');
  });
  bar.appendChild(keep);
  out.appendChild(bar);
  box.hidden = false;
  box.scrollIntoView({ block: 'nearest' });
}

async function reloadFromServer() {
  if (dirty() && !(await confirmAction('Ihre unveröffentlichten Änderungen gehen verloren. Aktuelle Fassung laden?', 'Laden')))
    return;
  await loadFlow();
  $('conflict').hidden = true;
  $('compare-box').hidden = true;
  showCheckResult(null);
  pageNotice('Die aktuelle Fassung wurde geladen.');
}

// ---------------------------------------------------------------- history

async function showHistory() {
  const [list, current] = await Promise.all([api.get(flowPath() + '/revisions'), api.get(flowPath())]);
  renderHistory($('flow-history'), 'history', list, current, async (answer) => {
    await showHistory();
    if (!answer) return;
    if (!dirty()) await loadFlow();
    else showDiskNotice(await api.get(flowPath()));
  });
  if (current.changed_on_disk)
    pageNotice('Die Datei auf dem Server weicht von der neuesten Fassung ab (außerhalb der Redaktion geändert).');
}

// ---------------------------------------------------------------- picture

async function showPicture() {
  const legend = $('legend');
  if (!legend.firstChild) buildLegend(legend);
  const img = $('flow-picture');
  say($('picture-error'), '');
  $('picture-open').href = flowPath() + '/graph.svg';
  $('picture-box').classList.toggle('fit', $('picture-fit').getAttribute('aria-pressed') === 'true');
  const draft = dirty();
  $('picture-source').textContent = draft
    ? 'Das Bild zeigt Ihren unveröffentlichten Entwurf.'
    : 'Das Bild zeigt die Fassung auf dem Server.';
  try {
    const res = draft
      ? await api.request('POST', flowPath() + '/graph.svg', { yaml: st.editor.value }, { text: true })
      : await api.request('GET', flowPath() + '/graph.svg', undefined, { text: true });
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(res.data);
    const fi = flowInfo();
    img.alt = 'Diagramm des Ablaufs „' + (fi && fi.title ? fi.title : st.f) + '“';
    img.hidden = false;
  } catch (e) {
    img.hidden = true;
    img.removeAttribute('src');
    if (e.code === 'invalid' && e.data.errors) {
      sayList($('picture-error'), 'Der Entwurf enthält Fehler; das Bild kann erst danach gezeichnet werden:',
        e.data.errors.map((x) => api.describeError(x, st.loaded.path)));
    } else say($('picture-error'), 'Das Bild konnte nicht erzeugt werden: ' + e.message);
  }
}
