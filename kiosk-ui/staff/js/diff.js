// diff.js - renders a unified diff (as the staff API returns it) as a table:
// old and new line numbers, the +/-/space sign kept visible (colour is only
// a second cue), the line as text. Hunk headers become separator rows.
'use strict';

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

function cell(tag, text, cls) {
  const c = document.createElement(tag);
  c.textContent = text;
  if (cls) c.className = cls;
  return c;
}

/** Returns a <table> (or a <p> when the diff is empty) for `text`. */
export function renderDiff(text) {
  const lines = (text || '').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const body = lines.filter((l) => !l.startsWith('--- ') && !l.startsWith('+++ '));
  if (!body.length) return cell('p', 'Keine Unterschiede.', 'diff-empty');

  const table = document.createElement('table');
  table.className = 'diff';
  const head = table.createTHead().insertRow();
  head.appendChild(cell('th', 'alt'));
  head.appendChild(cell('th', 'neu'));
  head.appendChild(cell('th', '±'));
  head.appendChild(cell('th', 'Zeile'));
  for (const th of head.children) th.scope = 'col';
  const tbody = table.createTBody();
  let oldNo = 0;
  let newNo = 0;
  for (const line of body) {
    const row = tbody.insertRow();
    const m = HUNK.exec(line);
    if (m) {
      oldNo = Number(m[1]);
      newNo = Number(m[2]);
      row.className = 'hunk';
      const c = cell('td', line);
      c.colSpan = 4;
      row.appendChild(c);
      continue;
    }
    const sign = line.charAt(0);
    const rest = line.slice(1);
    if (sign === '\\') { // "\ No newline at end of file"
      row.className = 'note';
      const c = cell('td', line);
      c.colSpan = 4;
      row.appendChild(c);
      continue;
    }
    let kind = 'same';
    let o = '';
    let n = '';
    if (sign === '+') { kind = 'add'; n = String(newNo++); }
    else if (sign === '-') { kind = 'del'; o = String(oldNo++); }
    else { o = String(oldNo++); n = String(newNo++); }
    row.className = kind;
    row.appendChild(cell('td', o, 'no'));
    row.appendChild(cell('td', n, 'no'));
    row.appendChild(cell('td', sign === ' ' || sign === '' ? ' ' : sign, 'sign'));
    row.appendChild(cell('td', rest, 'text'));
  }
  return table;
}
