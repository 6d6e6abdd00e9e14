// api.js - the staff JSON API client (docs/staff.md): one fetch wrapper that
// sends the session's CSRF token on every write, turns error answers into
// ApiError (with the server's German message and any extra fields), and
// reports a lost session (401) to whoever registered onUnauthorized.
'use strict';

const session = { csrf: null, name: null, role: null };
let unauthorizedHandler = null;

/** An error answer: `status`, `code` (e.g. "conflict"), `message` (for
 *  people) and `data` (the whole JSON body, e.g. `errors` of a 422). */
export class ApiError extends Error {
  constructor(status, data) {
    const d = data && typeof data === 'object' ? data : {};
    super(d.message || fallbackMessage(status));
    this.status = status;
    this.code = d.error || 'http_' + status;
    this.data = d;
  }
}

function fallbackMessage(status) {
  if (status === 0) return 'Der Server ist nicht erreichbar. Bitte prüfen Sie die Verbindung.';
  if (status === 401) return 'Bitte melden Sie sich an.';
  if (status === 403) return 'Dazu fehlt Ihnen die Berechtigung.';
  if (status === 404) return 'Nicht gefunden.';
  if (status === 413) return 'Die Daten sind zu groß.';
  if (status >= 500) return 'Der Server hat einen Fehler gemeldet (' + status + ').';
  return 'Die Anfrage wurde abgelehnt (' + status + ').';
}

export function onUnauthorized(f) { unauthorizedHandler = f; }
export function currentSession() { return { ...session }; }
export function canWrite() { return session.role === 'editor'; }

export function setSession(s) {
  session.csrf = s ? s.csrf : null;
  session.name = s ? s.name : null;
  session.role = s ? s.role : null;
}

/** Sends a request; resolves to { status, data, headers } for 2xx answers,
 *  rejects with ApiError otherwise. `body` is sent as JSON unless `raw` is
 *  given ({ body, type }). `text: true` reads the answer as text. */
export async function request(method, path, body, opts) {
  const o = opts || {};
  const headers = { Accept: o.text ? '*/*' : 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  if (o.raw) {
    headers['Content-Type'] = o.raw.type;
    init.body = o.raw.body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, null);
  }
  const type = res.headers.get('Content-Type') || '';
  let data = null;
  if (o.text && res.ok) data = await res.text();
  else if (type.startsWith('application/json')) {
    try { data = await res.json(); } catch (e) { data = null; }
  } else {
    data = await res.text();
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && path !== '/api/login' && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return { status: res.status, data, headers: res.headers };
}

export const get = (path, opts) => request('GET', path, undefined, opts).then((r) => r.data);
export const post = (path, body) => request('POST', path, body === undefined ? {} : body).then((r) => r.data);
export const put = (path, body) => request('PUT', path, body).then((r) => r.data);

/** Path segment, percent-encoded. */
export const seg = (s) => encodeURIComponent(s);

/** "Zeile 12, Spalte 7: message" (with the file when it is another one). */
export function describeError(e, ownFile) {
  let where = '';
  if (e.file && e.file !== ownFile) where = e.file + (e.line ? ':' + e.line + (e.col ? ':' + e.col : '') : '') + ': ';
  else if (e.line) where = 'Zeile ' + e.line + (e.col ? ', Spalte ' + e.col : '') + ': ';
  return where + (e.message || '');
}
