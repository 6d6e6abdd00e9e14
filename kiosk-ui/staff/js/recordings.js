// recordings.js - the "Aufnahmen" view (docs/staff.md, "Recordings"): the texts of one office
// in one language with the state of their recording, and per text: record in the browser
// (MediaRecorder), listen to the take, upload it, listen to the stored recording, confirm an
// outdated one, delete. A take is converted in the browser into a 16 kHz mono WAV (Web Audio)
// before the upload, because MediaRecorder in Chromium only makes WebM, which the server does not
// read; the server encodes it as Ogg Opus.
'use strict';

import * as api from './api.js';
import { $, el, clear, say, fillSelect, confirmAction } from './dom.js';

const STATES = {
  recorded: 'aufgenommen', outdated: 'veraltet (Text geändert)', synthesised: 'Computerstimme',
  silent: 'stumm (keine Stimme)',
};
const WAV_RATE = 16000;   // 60 s fit into the 2 MiB upload limit
let recorder = null;      // the MediaRecorder running now (one at a time)
let player = null;        // what plays now: an Audio element or an AudioBufferSourceNode

function stopPlaying() {
  if (player) { try { player.stop ? player.stop() : player.pause(); } catch (e) { /* ended */ } }
  player = null;
}

/** A 16-bit PCM mono WAV of an AudioBuffer's first channel. */
function wavOf(buf) {
  const data = buf.getChannelData(0);
  const v = new DataView(new ArrayBuffer(44 + data.length * 2));
  const str = (o, s) => { for (let i = 0; i < s.length; i++) v.setUint8(o + i, s.charCodeAt(i)); };
  str(0, 'RIFF'); v.setUint32(4, 36 + data.length * 2, true); str(8, 'WAVEfmt ');
  v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, buf.sampleRate, true); v.setUint32(28, buf.sampleRate * 2, true);
  v.setUint16(32, 2, true); v.setUint16(34, 16, true); str(36, 'data');
  v.setUint32(40, data.length * 2, true);
  for (let i = 0; i < data.length; i++) {
    const s = Math.max(-1, Math.min(1, data[i]));
    v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return new Blob([v.buffer], { type: 'audio/wav' });
}

/** Decodes a MediaRecorder blob and mixes it down to mono at WAV_RATE. */
async function toMono(blob) {
  const ctx = new AudioContext();
  try {
    const decoded = await ctx.decodeAudioData(await blob.arrayBuffer());
    const off = new OfflineAudioContext(1, Math.max(1, Math.ceil(decoded.duration * WAV_RATE)), WAV_RATE);
    const src = off.createBufferSource();
    src.buffer = decoded;
    src.connect(off.destination);
    src.start();
    return await off.startRendering();
  } finally {
    ctx.close();
  }
}

function playBuffer(buf) {
  stopPlaying();
  const ctx = new AudioContext();
  const src = ctx.createBufferSource();
  src.buffer = buf;
  src.connect(ctx.destination);
  src.onended = () => ctx.close();
  src.start();
  player = src;
}

function button(label, onClick, cls) {
  const b = el('button', label, cls);
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function recPath(tenant, lang, t, suffix) {
  const q = new URLSearchParams({ msgid: t.msgid });
  if (t.context) q.set('context', t.context);
  return '/api/recordings/' + api.seg(tenant) + '/' + api.seg(lang) + (suffix || '') + '?' + q;
}

/** One row: the text, its state and the buttons. */
function row(tenant, lang, t, reload) {
  const tr = el('tr');
  const text = el('td');
  text.appendChild(el('p', t.text === null ? '(noch nicht übersetzt)' : t.text));
  text.lastChild.lang = lang;
  if (t.msgid !== t.text) text.appendChild(el('p', t.msgid + (t.context ? ' [' + t.context + ']' : ''), 'hint'));
  tr.appendChild(text);
  tr.appendChild(el('td', STATES[t.state] || t.state, 'state ' + t.state));
  const tools = el('td');
  tools.className = 'rec-tools';
  const status = el('span', '', 'hint');
  let take = null;   // the AudioBuffer of the last take
  if (t.recording) {
    tools.appendChild(button('Gespeicherte anhören', () => {
      stopPlaying();
      player = new Audio('/api/recordings/' + api.seg(tenant) + '/' + api.seg(lang) + '/' +
        t.recording.id + '.opus');
      player.play().catch((e) => say($('rec-result'), 'Abspielen geht nicht: ' + e.message));
    }));
  }
  if (api.canWrite() && t.text !== null) {
    const rec = button('Aufnehmen', async () => {
      if (recorder && recorder.state === 'recording') {
        recorder.stop();
        return;
      }
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (e) {
        say($('rec-result'), 'Kein Mikrofon: ' + e.message);
        return;
      }
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.ondataavailable = (ev) => chunks.push(ev.data);
      recorder.onstop = async () => {
        stream.getTracks().forEach((x) => x.stop());
        rec.textContent = 'Neu aufnehmen';
        try {
          take = await toMono(new Blob(chunks, { type: recorder.mimeType }));
          status.textContent = 'Aufnahme: ' + take.duration.toFixed(1) + ' s';
          play.disabled = upload.disabled = false;
        } catch (e) {
          status.textContent = 'Die Aufnahme ist nicht lesbar: ' + e.message;
        }
      };
      recorder.start();
      rec.textContent = 'Stopp';
      status.textContent = 'Nimmt auf …';
    }, 'primary');
    const play = button('Anhören', () => take && playBuffer(take));
    const upload = button('Hochladen', async () => {
      upload.disabled = true;
      try {
        await api.request('POST', recPath(tenant, lang, t), undefined,
          { raw: { body: wavOf(take), type: 'audio/wav' } });
        say($('rec-result'), 'Gespeichert: ' + (t.text || t.msgid));
        reload();
      } catch (e) {
        say($('rec-result'), e.message);
        upload.disabled = false;
      }
    });
    play.disabled = upload.disabled = true;
    tools.append(rec, play, upload);
    if (t.state === 'outdated') {
      tools.appendChild(button('Passt noch (bestätigen)', async () => {
        try { await api.post(recPath(tenant, lang, t, '/confirm')); reload(); } catch (e) { say($('rec-result'), e.message); }
      }));
    }
    if (t.recording) {
      tools.appendChild(button('Löschen', async () => {
        if (!(await confirmAction('Diese Aufnahme löschen? Sie bleibt in den Versionen erhalten.', 'Löschen'))) return;
        try { await api.request('DELETE', recPath(tenant, lang, t)); reload(); } catch (e) { say($('rec-result'), e.message); }
      }));
    }
  }
  tools.appendChild(status);
  tr.appendChild(tools);
  return tr;
}

async function load(tenant, lang) {
  stopPlaying();
  const cov = await api.get('/api/recordings/' + api.seg(tenant));
  const langs = cov.languages.map((l) => l.lang);
  if (!langs.includes(lang)) lang = langs[0];
  fillSelect($('rec-lang'), langs.map((l) => ({ value: l, label: l, lang: l })), lang);
  const c = cov.languages.find((l) => l.lang === lang);
  $('rec-coverage').textContent = c ? c.recorded + ' aufgenommen, ' + c.outdated + ' veraltet, ' +
    c.synthesised + ' mit Computerstimme, ' + c.silent + ' stumm (von ' + c.total + ' Texten)' +
    (c.voice ? '' : ' – für diese Sprache gibt es keine Computerstimme') : '';
  const list = await api.get('/api/recordings/' + api.seg(tenant) + '/' + api.seg(lang));
  const body = $('rec-rows');
  clear(body);
  for (const t of list.texts) body.appendChild(row(tenant, lang, t, () => load(tenant, lang)));
}

/** Shows the view; parts: [tenant, lang]. */
export async function show(parts) {
  say($('rec-result'), '');
  const tenants = (await api.get('/api/tenants')).tenants.map((t) => t.id);
  const tenant = tenants.includes(parts[0]) ? parts[0] : tenants[0];
  fillSelect($('rec-tenant'), tenants.map((t) => ({ value: t, label: t })), tenant);
  $('rec-tenant').onchange = () => { location.hash = '#/recordings/' + api.seg($('rec-tenant').value); };
  $('rec-lang').onchange = () => {
    location.hash = '#/recordings/' + api.seg($('rec-tenant').value) + '/' + api.seg($('rec-lang').value);
  };
  if (tenant) await load(tenant, parts[1] || 'de');
}
