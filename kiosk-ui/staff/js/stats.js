// stats.js - the "Statistik" view (docs/staff.md, "Statistics"): an office and a range of days,
// the overview figures, charts of conversations per day or week by language, by channel and
// finished vs left (Chart.js from the system's copy, /staff/js/chart.js, loaded when the view is
// first opened), the flow picture with traffic, and every table of GET /api/stats/<office> with a
// CSV download link. A hidden small number comes as the string "<3" and is shown as "< 3".
'use strict';

import * as api from './api.js';
import { $, el, clear, say, fillSelect } from './dom.js';

// The tables shown, in order: [name, heading, explanation, {column: German heading}].
const TABLES = [
  ['steps', 'Abbrüche je Schritt', 'Wie viele einen Schritt erreicht und wie viele das Gespräch dort ' +
    'verlassen haben (ohne Eingabe abgelaufen oder geschlossen).',
  { flow: 'Ablauf', node: 'Schritt', reached: 'erreicht', left: 'verlassen', share: 'Anteil verlassen',
    left_idle: 'davon ohne Eingabe', left_closed: 'davon geschlossen' }],
  ['choices', 'Auswahl je Schritt', 'Wie oft jede Antwort eines Schritts gewählt wurde.',
    { flow: 'Ablauf', node: 'Schritt', choice: 'Auswahl', taken: 'gewählt' }],
  ['offers', 'Angebote', 'Wie oft ein Angebot in den Ergebnissen gezeigt wurde; 0: nie gezeigt.',
    { id: 'Angebot', shown: 'gezeigt' }],
  ['unmet', 'Ungedeckter Bedarf', '„Nichts davon passt“ und „hat nicht geholfen“ nach den Angaben, die ' +
    'dorthin geführt haben.',
  { kind: 'Rückmeldung', flow: 'Ablauf', node: 'Schritt', facts: 'Angaben', count: 'Anzahl' }],
  ['feedback', 'Rückmeldungen je Ergebnisschritt', '',
    { flow: 'Ablauf', node: 'Schritt', helped: 'hat geholfen', not_helpful: 'nicht geholfen',
      nothing_fits: 'nichts passt', none_fitted: 'kein Angebot gefunden' }],
  ['help', 'Wunsch nach Beratung nach Sprache und Uhrzeit', 'Für die Planung von Dolmetschung und ' +
    'Sprechzeiten: Stunde des Tages (Ortszeit des Servers).',
  { lang: 'Sprache', hour: 'Stunde', requests: 'Anfragen' }],
  ['searches_without_hits', 'Suchen ohne Treffer', 'Nur Suchtexte, die im Zeitraum mindestens 5-mal ' +
    'gestellt wurden; alle anderen zählen unten zusammen.', { text: 'Suchtext', count: 'Anzahl' }],
  ['by_language', 'Nach Sprache', '', { lang: 'Sprache', conversations: 'Gespräche', finished: 'beendet',
    left: 'verlassen' }],
  ['by_channel', 'Nach Kanal', 'Kiosk, Website und Vorschau der Redaktion.',
    { channel: 'Kanal', conversations: 'Gespräche', finished: 'beendet', left: 'verlassen' }],
  ['by_kiosk', 'Nach Kiosk', '', { kiosk: 'Kiosk', conversations: 'Gespräche' }],
  ['step_languages', 'Schritte nach Sprache', '', { flow: 'Ablauf', node: 'Schritt', lang: 'Sprache',
    reached: 'erreicht', left: 'verlassen' }],
  ['days', 'Je Tag', '', { day: 'Tag', conversations: 'Gespräche', finished: 'beendet',
    left: 'verlassen', restarted: 'neu begonnen' }],
  ['weeks', 'Je Woche', '', { week: 'Woche', conversations: 'Gespräche', finished: 'beendet',
    left: 'verlassen', restarted: 'neu begonnen' }],
  ['day_languages', 'Je Tag nach Sprache', '', { day: 'Tag', lang: 'Sprache', conversations: 'Gespräche' }],
  ['day_channels', 'Je Tag nach Kanal', '', { day: 'Tag', channel: 'Kanal', conversations: 'Gespräche' }],
  ['week_languages', 'Je Woche nach Sprache', '', { week: 'Woche', lang: 'Sprache',
    conversations: 'Gespräche' }],
  ['week_channels', 'Je Woche nach Kanal', '', { week: 'Woche', channel: 'Kanal',
    conversations: 'Gespräche' }],
];

const FIGURES = [
  ['conversations', 'Gespräche'], ['finished', 'beendet'], ['left', 'verlassen'],
  ['restarted', 'neu begonnen'], ['nothing_fits', '„Nichts davon passt“'],
  ['not_helpful', '„Hat nicht geholfen“'], ['helped', '„Hat geholfen“'],
  ['help_requests', 'Wunsch nach Beratung'], ['searches_total', 'Suchen ohne Treffer'],
  ['language_switches', 'Sprachwechsel'], ['prints', 'gedruckt'], ['qr', 'QR-Code gezeigt'],
  ['read_aloud', 'vorgelesen'], ['preview_conversations', 'Vorschau (nicht mitgezählt)'],
];

const KINDS = { nothing_fits: 'nichts davon passt', not_helpful: 'hat nicht geholfen' };

const COLOURS = ['#1d4ed8', '#b45309', '#15803d', '#7e22ce', '#be123c', '#0e7490', '#4d7c0f', '#a16207',
  '#6d28d9', '#9f1239', '#0369a1', '#374151'];

let chartLib = null;     // the promise of window.Chart
const charts = {};       // canvas id -> Chart
let last = null;         // the report shown

/** A figure as shown: "<3" as "< 3". */
const shown = (v) => (v === '<3' ? '< 3' : String(v));

function loadChartJs() {
  if (!chartLib) {
    chartLib = new Promise((resolve, reject) => {
      if (window.Chart) { resolve(window.Chart); return; }
      const s = document.createElement('script');
      s.src = 'js/chart.js';
      s.onload = () => (window.Chart ? resolve(window.Chart) : reject(new Error('Chart.js fehlt.')));
      s.onerror = () => {
        chartLib = null;
        reject(new Error('Die Diagramme können nicht gezeigt werden: Chart.js fehlt auf dem Server ' +
          '(Paket libjs-chart.js). Die Tabellen unten enthalten alle Zahlen.'));
      };
      document.head.appendChild(s);
    });
  }
  return chartLib;
}

function isoDay(d) {
  const p = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
}

function csvLink(tenant, table, from, to) {
  return '/api/stats/' + api.seg(tenant) + '.csv?table=' + encodeURIComponent(table) + '&from=' + from +
    '&to=' + to;
}

function figures(r) {
  const dl = $('stats-figures');
  clear(dl);
  for (const [key, label] of FIGURES) {
    const div = el('div', null, 'figure');
    div.dataset.key = key;
    div.appendChild(el('dt', label));
    div.appendChild(el('dd', shown(r[key])));
    dl.appendChild(div);
  }
}

/** Rows with the share of those who left (steps). */
function withShare(name, rows) {
  if (name !== 'steps') return rows;
  return rows.map((x) => ({ ...x, share: x.reached > 0 ? Math.round((100 * x.left) / x.reached) + ' %' : '–' }));
}

function tables(r, tenant) {
  const box = $('stats-tables');
  clear(box);
  for (const [name, heading, hint, cols] of TABLES) {
    const rows = withShare(name, r[name] || []);
    const sec = el('section');
    sec.id = 'stats-table-' + name;
    const h = el('h2', heading);
    h.id = 'stats-h-' + name;
    sec.setAttribute('aria-labelledby', h.id);
    sec.appendChild(h);
    if (hint) sec.appendChild(el('p', hint, 'hint'));
    const tools = el('p');
    const a = el('a', 'CSV herunterladen: ' + heading);
    a.href = csvLink(tenant, name, r.from, r.to);
    a.setAttribute('download', '');
    a.className = 'csv';
    tools.appendChild(a);
    sec.appendChild(tools);
    if (!rows.length) {
      sec.appendChild(el('p', 'Keine Einträge im Zeitraum.', 'hint'));
    } else {
      const wrap = el('div', null, 'scroll-x');
      const t = el('table', null, 'list stats');
      const thead = el('thead');
      const tr = el('tr');
      for (const c of Object.keys(cols)) {
        const th = el('th', cols[c]);
        th.scope = 'col';
        tr.appendChild(th);
      }
      thead.appendChild(tr);
      t.appendChild(thead);
      const tbody = el('tbody');
      for (const row of rows) {
        const line = el('tr');
        for (const c of Object.keys(cols)) {
          const v = c === 'kind' ? KINDS[row[c]] || row[c] : row[c];
          const td = el('td', typeof v === 'number' || v === '<3' ? shown(v) : v);
          if (typeof v === 'number' || v === '<3') td.className = 'num';
          if (v === '<3') td.classList.add('small');
          line.appendChild(td);
        }
        tbody.appendChild(line);
      }
      t.appendChild(tbody);
      wrap.appendChild(t);
      sec.appendChild(wrap);
    }
    if (name === 'searches_without_hits')
      sec.appendChild(el('p', 'Weitere Suchen ohne Treffer (Text nicht gezeigt): ' + r.searches_other));
    box.appendChild(sec);
  }
}

/** {name: [value per period]} of a table of (period, key, conversations); hidden values null. */
function pivot(periods, rows, periodKey, key) {
  const names = [...new Set(rows.map((x) => x[key]))].sort();
  const values = {};
  for (const n of names) values[n] = periods.map(() => null);
  for (const x of rows) {
    const i = periods.indexOf(x[periodKey]);
    if (i >= 0) values[x[key]][i] = typeof x.conversations === 'number' ? x.conversations : null;
  }
  // a series with only hidden values says so in the legend
  const series = {};
  for (const n of names) series[values[n].some((v) => v !== null) ? n : n + ' (< 3)'] = values[n];
  return series;
}

function draw(Chart, id, labels, series, stacked) {
  if (charts[id]) charts[id].destroy();
  const datasets = Object.keys(series).map((name, i) => ({
    label: name, data: series[name], backgroundColor: COLOURS[i % COLOURS.length],
    borderColor: COLOURS[i % COLOURS.length],
  }));
  charts[id] = new Chart($(id), {
    type: 'bar',
    data: { labels, datasets },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
}

async function drawCharts(r) {
  const week = $('stats-period').value === 'week';
  const pk = week ? 'week' : 'day';
  const base = week ? r.weeks : r.days;
  const labels = base.map((x) => x[pk]);
  let Chart;
  try {
    Chart = await loadChartJs();
  } catch (e) {
    $('stats-chart-note').textContent = e.message;
    return;
  }
  $('stats-chart-note').textContent = 'Werte unter 3 je Sprache oder Kanal fehlen in den Balken.';
  draw(Chart, 'stats-chart-lang', labels,
    pivot(labels, week ? r.week_languages : r.day_languages, pk, 'lang'), true);
  draw(Chart, 'stats-chart-channel', labels,
    pivot(labels, week ? r.week_channels : r.day_channels, pk, 'channel'), true);
  draw(Chart, 'stats-chart-ends', labels, {
    beendet: base.map((x) => x.finished), verlassen: base.map((x) => x.left),
  }, false);
}

function picture(tenant, flows, start, r) {
  const keep = $('stats-flow').value && flows.some((f) => f.id === $('stats-flow').value)
    ? $('stats-flow').value : start;
  fillSelect($('stats-flow'), flows.map((f) => ({ value: f.id, label: f.title ? f.title + ' (' + f.id + ')' : f.id })), keep);
  const set = () => {
    const flow = $('stats-flow').value;
    if (!flow) return;
    const url = '/api/stats/' + api.seg(tenant) + '/flow/' + api.seg(flow) + '.svg?from=' + r.from + '&to=' + r.to;
    const img = $('stats-picture');
    say($('stats-picture-error'), '');
    img.onerror = () => say($('stats-picture-error'), 'Das Bild konnte nicht erzeugt werden.');
    img.alt = 'Ablauf ' + flow + ' mit der Zahl der Gespräche je Schritt und Auswahl (' + r.from + ' bis ' +
      r.to + ')';
    img.src = url;
    $('stats-picture-open').href = url;
  };
  $('stats-flow').onchange = set;
  set();
}

async function load(tenant, from, to, office) {
  say($('stats-error'), '');
  let r;
  try {
    r = await api.get('/api/stats/' + api.seg(tenant) + '?from=' + encodeURIComponent(from) + '&to=' +
      encodeURIComponent(to));
  } catch (e) {
    $('stats-body').hidden = true;
    say($('stats-error'), e.message);
    return;
  }
  last = r;
  $('stats-from').value = r.from;
  $('stats-to').value = r.to;
  $('stats-body').hidden = false;
  figures(r);
  tables(r, tenant);
  picture(tenant, office.flows, office.start, r);
  await drawCharts(r);
}

/** Shows the view; parts: [tenant, from, to]. */
export async function show(parts) {
  const list = (await api.get('/api/tenants')).tenants;
  const ids = list.map((t) => t.id);
  const tenant = ids.includes(parts[0]) ? parts[0] : ids[0];
  fillSelect($('stats-tenant'), list.map((t) => ({ value: t.id, label: t.name ? t.name + ' (' + t.id + ')' : t.id })), tenant);
  const today = new Date();
  const start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  const from = parts[1] || isoDay(start), to = parts[2] || isoDay(today);
  $('stats-form').onsubmit = (ev) => {
    ev.preventDefault();
    location.hash = '#/stats/' + api.seg($('stats-tenant').value) + '/' + $('stats-from').value + '/' +
      $('stats-to').value;
  };
  $('stats-tenant').onchange = () => $('stats-form').requestSubmit();
  $('stats-period').onchange = () => { if (last) drawCharts(last); };
  if (!tenant) return;
  await load(tenant, from, to, list.find((t) => t.id === tenant));
}
