// legend.js - the legend of the flow picture: one small drawing per kind of
// step and per mark, in the shapes and colours the server's diagram uses
// (docs/staff.md, "Diagram"), each with its German name. Drawn with DOM
// calls (no markup strings), so the strict CSP needs nothing special.
'use strict';

const NS = 'http://www.w3.org/2000/svg';

function shape(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function icon(parts) {
  const svg = shape('svg', { width: 44, height: 26, viewBox: '0 0 44 26', 'aria-hidden': 'true', focusable: 'false' });
  for (const p of parts) svg.appendChild(p);
  return svg;
}

const ENTRIES = [
  ['Beginn des Ablaufs', () => [shape('circle', { cx: 22, cy: 13, r: 5, fill: '#000' })]],
  ['Frage', () => [shape('rect', { x: 3, y: 4, width: 38, height: 18, rx: 5, fill: '#dbeafe', stroke: '#1d4ed8', 'stroke-width': 1.5 })]],
  ['Information', () => [shape('path', { d: 'M3 4h31l7 7v11H3z', fill: '#f3f4f6', stroke: '#4b5563', 'stroke-width': 1.5 })]],
  ['Verzweigung', () => [shape('path', { d: 'M22 2l19 11-19 11L3 13z', fill: '#fef3c7', stroke: '#b45309', 'stroke-width': 1.5 })]],
  ['Ergebnisse (Angebote)', () => [shape('path', { d: 'M3 7h3l2-3h10l2 3h21v15H3z', fill: '#dcfce7', stroke: '#15803d', 'stroke-width': 1.5 })]],
  ['Mit jemandem sprechen', () => [shape('path', { d: 'M3 10l19-8 19 8v12H3z', fill: '#f3e8ff', stroke: '#7e22ce', 'stroke-width': 1.5 })]],
  ['Ende', () => [
    shape('path', { d: 'M13 2h18l10 7v8l-10 7H13L3 17V9z', fill: '#374151', stroke: '#111827', 'stroke-width': 1.5 }),
    shape('path', { d: 'M15 5h14l7 5v6l-7 5H15l-7-5v-6z', fill: 'none', stroke: '#111827', 'stroke-width': 1 }),
  ]],
  ['Sprung in einen anderen Ablauf („→ Ziel“)', () => [shape('rect', { x: 3, y: 4, width: 38, height: 18, rx: 5, fill: '#e0f2fe', stroke: '#0369a1', 'stroke-width': 1.5, 'stroke-dasharray': '4 3' })]],
  ['Antwort (Pfeil mit Beschriftung)', () => [
    shape('path', { d: 'M3 13h31', stroke: '#374151', 'stroke-width': 1.5, fill: 'none' }),
    shape('path', { d: 'M33 8l8 5-8 5z', fill: '#374151' }),
  ]],
  ['Zweig einer Verzweigung (gestrichelt, mit Bedingung; „sonst“ für den letzten)', () => [
    shape('path', { d: 'M3 13h31', stroke: '#374151', 'stroke-width': 1.5, 'stroke-dasharray': '4 3', fill: 'none' }),
    shape('path', { d: 'M33 8l8 5-8 5z', fill: '#374151' }),
  ]],
  ['unerreichbar (rot, gestrichelt)', () => [shape('rect', { x: 3, y: 4, width: 38, height: 18, rx: 5, fill: '#fee2e2', stroke: '#dc2626', 'stroke-width': 3, 'stroke-dasharray': '5 3' })]],
  ['nicht übersetzt (oranger Rand; die Sprachen stehen im Kasten)', () => [shape('rect', { x: 3, y: 4, width: 38, height: 18, rx: 5, fill: '#dbeafe', stroke: '#ea580c', 'stroke-width': 3 })]],
];

/** Fills the <ul> `list` with the legend's entries. */
export function buildLegend(list) {
  for (const [label, draw] of ENTRIES) {
    const li = document.createElement('li');
    li.appendChild(icon(draw()));
    const span = document.createElement('span');
    span.textContent = label;
    li.appendChild(span);
    list.appendChild(li);
  }
}
