// linediff.js - a small line diff in the browser, for comparing the staff
// member's unpublished draft with the version now on the server (after a
// conflict, or when the file changed on disk): the API diffs only stored
// revisions. Produces unified diff text (3 lines of context) that diff.js
// renders like the API's diffs. Longest common subsequence on the lines
// after trimming the common start and end; beyond a size cap it falls back
// to "all old lines removed, all new lines added".
'use strict';

const CAP = 4000000; // DP cells (lines x lines) at most

function splitLines(text) {
  const lines = (text || '').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// Edit script between a and b as [[op, line]] with op ' ', '-', '+'.
function script(a, b) {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre &&
         a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const x = a.slice(pre, a.length - suf);
  const y = b.slice(pre, b.length - suf);
  const out = a.slice(0, pre).map((l) => [' ', l]);
  const n = x.length;
  const m = y.length;
  if ((n + 1) * (m + 1) > CAP) {
    for (const l of x) out.push(['-', l]);
    for (const l of y) out.push(['+', l]);
  } else {
    const w = m + 1;
    const L = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--)
        L[i * w + j] = x[i] === y[j] ? L[(i + 1) * w + j + 1] + 1
          : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (x[i] === y[j]) { out.push([' ', x[i]]); i++; j++; }
      else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) out.push(['-', x[i++]]);
      else out.push(['+', y[j++]]);
    }
    while (i < n) out.push(['-', x[i++]]);
    while (j < m) out.push(['+', y[j++]]);
  }
  for (const l of a.slice(a.length - suf)) out.push([' ', l]);
  return out;
}

/** Unified diff text from `oldText` to `newText` ("" when they are equal). */
export function unifiedDiff(oldText, newText, oldName, newName) {
  const ops = script(splitLines(oldText), splitLines(newText));
  const ctx = 3;
  const lines = ['--- ' + (oldName || 'alt'), '+++ ' + (newName || 'neu')];
  let k = 0;
  let oldNo = 1;
  let newNo = 1;
  let any = false;
  while (k < ops.length) {
    if (ops[k][0] === ' ') { k++; oldNo++; newNo++; continue; }
    // a hunk: back up `ctx` lines, run until `2*ctx` unchanged lines in a row
    const start = Math.max(0, k - ctx);
    let end = k;
    let same = 0;
    while (end < ops.length && (ops[end][0] !== ' ' || same < 2 * ctx)) {
      same = ops[end][0] === ' ' ? same + 1 : 0;
      end++;
    }
    if (same > ctx) end -= same - ctx;
    const back = k - start;
    const o0 = oldNo - back;
    const n0 = newNo - back;
    let oc = 0;
    let nc = 0;
    const body = [];
    for (let q = start; q < end; q++) {
      const [op, text] = ops[q];
      body.push(op + text);
      if (op !== '+') oc++;
      if (op !== '-') nc++;
    }
    lines.push('@@ -' + (oc ? o0 : o0 - 1) + ',' + oc + ' +' + (nc ? n0 : n0 - 1) + ',' + nc + ' @@');
    for (const b of body) lines.push(b);
    for (let q = k; q < end; q++) {
      if (ops[q][0] !== '+') oldNo++;
      if (ops[q][0] !== '-') newNo++;
    }
    k = end;
    any = true;
  }
  return any ? lines.join('\n') + '\n' : '';
}
