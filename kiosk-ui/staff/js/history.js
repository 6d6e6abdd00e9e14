// history.js - the revisions of one file (a flow or a tenant's offers.yaml):
// a table of revisions, the diff between any two (the API's unified diff,
// rendered by diff.js) and a rollback per revision after a confirmation.
// Used by the flow view and the offers list.
'use strict';

import * as api from './api.js';
import { el, clear, sayList, when, confirmAction, pageError, pageNotice } from './dom.js';
import { renderDiff } from './diff.js';

function build(box, prefix) {
  clear(box);
  const form = el('form');
  form.id = prefix + '-form';
  const table = el('table', null, 'list');
  const caption = el('caption', '', 'hint');
  caption.id = prefix + '-caption';
  table.appendChild(caption);
  const head = table.createTHead().insertRow();
  for (const h of ['alt', 'neu', 'Fassung', 'Zeit', 'von', 'Nachricht', 'Aktion']) {
    const th = el('th', h);
    th.scope = 'col';
    head.appendChild(th);
  }
  const body = table.createTBody();
  body.id = prefix + '-rows';
  form.appendChild(table);
  const bar = el('div', null, 'toolbar');
  const show = el('button', 'Unterschiede zeigen');
  show.type = 'submit';
  show.id = prefix + '-show';
  bar.appendChild(show);
  form.appendChild(bar);
  const out = el('div');
  out.id = prefix + '-diff';
  box.appendChild(form);
  box.appendChild(out);
  return { form, caption, body, show, out };
}

/** Shows the revisions of `list` ({path, revisions}, newest first) in `box`.
 *  `current` is the file as it is now ({revision, hash, changed_on_disk});
 *  after a rollback `onRolledBack(answer, revision)` is awaited. */
export function renderHistory(box, prefix, list, current, onRolledBack) {
  const ui = build(box, prefix);
  const revs = list.revisions || [];
  ui.caption.textContent = revs.length
    ? (revs.length === 1 ? '1 gespeicherte Fassung' : revs.length + ' gespeicherte Fassungen') + ' von ' + list.path
    : 'Von ' + list.path + ' gibt es noch keine gespeicherte Fassung. Die erste entsteht bei der ersten Änderung hier.';
  revs.forEach((r, i) => ui.body.appendChild(row(r, i, current, onRolledBack)));
  ui.show.disabled = revs.length < 2;
  ui.form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    showDiff(ui);
  });
}

function row(r, i, current, onRolledBack) {
  const tr = el('tr');
  for (const [name, checked] of [['old', i === 1], ['new', i === 0]]) {
    const td = el('td');
    const radio = el('input');
    radio.type = 'radio';
    radio.name = name;
    radio.value = String(r.id);
    radio.checked = checked;
    radio.setAttribute('aria-label', (name === 'old' ? 'alt: ' : 'neu: ') + 'Fassung ' + r.id);
    td.appendChild(radio);
    tr.appendChild(td);
  }
  const isCurrent = i === 0 && !current.changed_on_disk;
  tr.appendChild(el('td', 'Fassung ' + r.id + (isCurrent ? ' (aktuell)' : '')));
  tr.appendChild(el('td', when(r.at)));
  tr.appendChild(el('td', r.author === 'disk' ? 'Datei auf dem Server' : r.author));
  tr.appendChild(el('td', r.message));
  const act = el('td');
  if (!isCurrent && api.canWrite()) {
    const b = el('button', 'Wiederherstellen', 'danger');
    b.type = 'button';
    b.setAttribute('aria-label', 'Fassung ' + r.id + ' wiederherstellen');
    b.addEventListener('click', () => rollback(r, current, onRolledBack));
    act.appendChild(b);
  }
  tr.appendChild(act);
  return tr;
}

async function showDiff(ui) {
  const a = ui.form.elements.old ? ui.form.elements.old.value : '';
  const b = ui.form.elements.new ? ui.form.elements.new.value : '';
  clear(ui.out);
  if (!a || !b || a === b) {
    ui.out.appendChild(el('p', 'Bitte wählen Sie zwei verschiedene Fassungen (alt und neu).', 'msg warn'));
    return;
  }
  try {
    const d = await api.get('/api/revisions/' + api.seg(a) + '/diff/' + api.seg(b));
    ui.out.appendChild(el('h3', 'Unterschiede von Fassung ' + d.from + ' zu Fassung ' + d.to));
    ui.out.appendChild(renderDiff(d.diff));
  } catch (e) {
    ui.out.appendChild(el('p', e.message, 'msg error'));
  }
}

async function rollback(r, current, onRolledBack) {
  const ok = await confirmAction('Fassung ' + r.id + ' vom ' + when(r.at) + ' wiederherstellen? ' +
    'Sie wird als neue Fassung veröffentlicht und gilt sofort für neue Gespräche. ' +
    'Die heutige Fassung bleibt im Verlauf erhalten.', 'Wiederherstellen');
  if (!ok) return;
  try {
    const res = await api.post('/api/revisions/' + api.seg(r.id) + '/rollback', {
      base_revision: current.revision, base_hash: current.hash, message: 'Zurück auf Fassung ' + r.id,
    });
    await onRolledBack(res, r);
    pageNotice('Fassung ' + r.id + ' wurde als neue Fassung ' + res.revision + ' veröffentlicht.');
  } catch (e) {
    if (e.code === 'reload_failed') {
      await onRolledBack(e.data, r);
      pageError('Wiederhergestellt als Fassung ' + e.data.revision + ', aber noch nicht in Betrieb: ' + e.message);
    } else if (e.code === 'conflict') {
      await onRolledBack(null, r);
      pageError('Nicht wiederhergestellt: Die Datei wurde inzwischen geändert. Der Verlauf ist jetzt aktuell; ' +
        'bitte prüfen Sie ihn und versuchen Sie es erneut.');
    } else if (e.code === 'invalid') {
      sayList(document.getElementById('page-error'), 'Nicht wiederhergestellt: Diese Fassung passt nicht mehr ' +
        'zum Rest des Amts:', (e.data.errors || []).map((x) => api.describeError(x, '')));
    } else pageError('Nicht wiederhergestellt: ' + e.message);
  }
}
