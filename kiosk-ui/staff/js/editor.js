// editor.js - a plain <textarea> with a line-number gutter, for editing a
// flow's YAML. No editor library: the gutter is a list of numbers whose
// scroll position follows the textarea's, lines never wrap (wrap="off") so
// number n always sits beside line n. Lines with errors are marked in the
// gutter; goTo() moves the cursor to a line:column and scrolls it into view.
'use strict';

/** Builds the editor into `host` (an element holding a textarea with the
 *  class "code"). Returns { value, setValue, goTo, markErrors, onChange }. */
export function createEditor(host) {
  const area = host.querySelector('textarea');
  const gutter = document.createElement('ol');
  gutter.className = 'gutter';
  gutter.setAttribute('aria-hidden', 'true');
  host.insertBefore(gutter, area);
  area.wrap = 'off';
  area.spellcheck = false;
  area.setAttribute('autocapitalize', 'off');
  area.setAttribute('autocomplete', 'off');

  let shown = 0;
  let marked = new Map();
  const listeners = [];

  function lineCount() {
    let n = 1;
    const v = area.value;
    for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) === 10) n++;
    return n;
  }

  // Adds or removes numbers only when the count of lines changed.
  function renumber() {
    const n = lineCount();
    while (shown < n) {
      shown++;
      const li = document.createElement('li');
      li.textContent = String(shown);
      const m = marked.get(shown);
      if (m) { li.className = 'has-error'; li.title = m; }
      gutter.appendChild(li);
    }
    while (shown > n) {
      gutter.removeChild(gutter.lastChild);
      shown--;
    }
    syncScroll();
  }

  function syncScroll() {
    gutter.scrollTop = area.scrollTop;
  }

  // Tab inserts two spaces (YAML forbids tabs); Escape then Tab leaves the
  // field, so keyboard users are never trapped in it.
  let escaped = false;
  area.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { escaped = true; return; }
    if (ev.key === 'Tab' && !ev.shiftKey && !escaped && !ev.ctrlKey && !ev.altKey) {
      ev.preventDefault();
      area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
      area.dispatchEvent(new Event('input'));
    }
    if (ev.key !== 'Escape') escaped = false;
  });
  area.addEventListener('input', () => {
    renumber();
    for (const f of listeners) f();
  });
  area.addEventListener('scroll', syncScroll);
  // A resize of the textarea changes its scroll range.
  if (window.ResizeObserver) new ResizeObserver(syncScroll).observe(area);

  function lineHeight() {
    const lh = parseFloat(getComputedStyle(area).lineHeight);
    return Number.isFinite(lh) ? lh : 18;
  }

  /** Puts the cursor at line:column (1-based; column counts characters)
   *  and scrolls so the line is in view. */
  function goTo(line, column) {
    const v = area.value;
    let pos = 0;
    for (let l = 1; l < line && pos >= 0; l++) {
      pos = v.indexOf('\n', pos);
      if (pos >= 0) pos++;
    }
    if (pos < 0) pos = v.length;
    let end = v.indexOf('\n', pos);
    if (end < 0) end = v.length;
    const at = Math.min(pos + Math.max(0, (column || 1) - 1), end);
    area.focus();
    area.setSelectionRange(at, at);
    const top = (line - 1) * lineHeight();
    if (top < area.scrollTop || top > area.scrollTop + area.clientHeight - 2 * lineHeight())
      area.scrollTop = Math.max(0, top - area.clientHeight / 3);
    syncScroll();
  }

  /** Marks the lines of `errors` ([{line, message}]) in the gutter. */
  function markErrors(errors) {
    marked = new Map();
    for (const e of errors || [])
      if (e.line && !marked.has(e.line)) marked.set(e.line, e.message || '');
    let i = 1;
    for (const li of gutter.children) {
      const m = marked.get(i++);
      li.className = m !== undefined ? 'has-error' : '';
      if (m !== undefined) li.title = m; else li.removeAttribute('title');
    }
  }

  return {
    area,
    get value() { return area.value; },
    setValue(text) {
      area.value = text;
      area.scrollTop = 0;
      markErrors([]);
      renumber();
    },
    goTo,
    markErrors,
    onChange(f) { listeners.push(f); },
  };
}
