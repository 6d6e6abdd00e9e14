// dom.js - small DOM helpers for the staff pages: element creation with
// text (never HTML), clearing, messages, the confirmation dialog and date
// formatting in German.
'use strict';

export const $ = (id) => document.getElementById(id);

/** Creates <tag> with `text` as its text content and an optional class. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Shows `text` in the message box `box` (hidden when text is empty). */
export function say(box, text) {
  clear(box);
  if (text) box.appendChild(el('p', text));
  box.hidden = !text;
}

/** Shows a list of lines in `box` under a heading line. */
export function sayList(box, heading, lines) {
  clear(box);
  box.appendChild(el('p', heading));
  const ul = el('ul');
  for (const l of lines) ul.appendChild(el('li', l));
  box.appendChild(ul);
  box.hidden = false;
}

// Shows a page-wide message and scrolls it into view (it sits above the view).
function pageMessage(box, text) {
  say(box, text);
  if (text) box.scrollIntoView({ block: 'nearest' });
}

/** Page-wide error (cleared by the next navigation). */
export function pageError(text) { pageMessage($('page-error'), text); }
/** Page-wide success or information message (cleared by the next navigation). */
export function pageNotice(text) { pageMessage($('page-notice'), text); }

let pending = null;
/** A notice to show after the navigation that is about to happen. */
export function flash(text) { pending = text; }
/** Called at every navigation: shows a flashed notice or clears the old one. */
export function takeFlash() {
  pageNotice(pending || '');
  pending = null;
}

const dateFormat = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short' });

/** A time from the API (unix seconds or an ISO string) in German. */
export function when(t) {
  if (t === null || t === undefined || t === '') return '';
  const d = typeof t === 'number' ? new Date(t * 1000) : new Date(t);
  return Number.isNaN(d.getTime()) ? String(t) : dateFormat.format(d);
}

/** Asks a yes/no question in the confirmation dialog; resolves to a boolean. */
export function confirmAction(text, okLabel) {
  const dlg = $('confirm-dialog');
  $('confirm-text').textContent = text;
  $('confirm-ok').textContent = okLabel || 'Ja';
  return new Promise((resolve) => {
    dlg.addEventListener('close', () => resolve(dlg.returnValue === 'ok'), { once: true });
    dlg.returnValue = 'cancel';
    dlg.showModal();
    $('confirm-cancel').focus();
  });
}

/** A <select> filled with [{value, label}] keeping `keep` selected if present. */
export function fillSelect(select, options, keep) {
  clear(select);
  for (const o of options) {
    const opt = el('option', o.label);
    opt.value = o.value;
    if (o.lang) opt.lang = o.lang;
    select.appendChild(opt);
  }
  if (keep !== undefined && options.some((o) => o.value === keep)) select.value = keep;
}
