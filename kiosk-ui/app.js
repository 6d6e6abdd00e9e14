// app.js - the kiosk page's logic (see docs/kiosk.md; the protocol is docs/protocol.md).
//
// A family meets this page alone on a touchscreen, or on a phone: a greeting in the office's
// languages, a language picker, the conversation as a chat with big answer buttons, offer cards
// to take home (QR code, print, read aloud). It leaves nothing behind: after idle_timeout seconds
// without a touch an overlay asks whether anyone is still there, counts down, then the page wipes the
// conversation (DOM, sessionStorage, localStorage) and asks the server to forget it.
// A dropped connection is retried with backoff and the conversation resumed with its token.
//
// Every text from the server is inserted with textContent, never as HTML. The page's own words
// come from the server's catalogues too (words.json): the family picks its language first, on
// the welcome screen, and every screen after that is in it.
// On a portrait kiosk screen everything to touch sits in the reach zone at the bottom (its height
// from /config.json's reach_zone); the results end in a fixed area: talk to a person, print all
// (one sheet, built here) and finish (after a reminder).
'use strict';

(function () {
  // ---- the page's own words -----------------------------------------------------------------
  // They come from the catalogues (msgctxt "kiosk page: <key>", src/content/messages.c) through
  // /speak/<tenant>/<lang>/words.json, each with the language it is really in (a missing
  // translation falls back along the server's chain). Built in is only the line shown when the
  // server cannot be reached before any words arrived.
  const LOST_OFFLINE = { text: 'Verbindung unterbrochen. Neuer Versuch …', lang: 'de' };
  const RTL_LANGS = ['ar', 'fa', 'ps', 'prs', 'ckb', 'ur', 'he'];

  const STORE_KEY = 'lotse';
  const RETRY_BASE_MS = 500;      // first reconnect attempt
  const RETRY_CAP_MS = 8000;      // longest wait between attempts
  const GREETING_MS = 3000;       // one greeting on the welcome screen
  const DEFAULT_IDLE = 90;        // seconds, when /config.json has no idle_timeout
  const DEFAULT_COUNTDOWN = 30;
  const MIN_COUNTDOWN = 20;
  const TEXT_SCALES = [1, 1.5, 2];   // the large-text button cycles through these (style.css)

  // ---- state --------------------------------------------------------------------------------
  const state = {
    pinned: pinnedTenant(),     // tenant from /k/<tenant>, or null
    kiosk: kioskName(),         // ?kiosk=<name>, passed along with start
    preview: previewToken(),    // ?preview=<token>: a staff preview of a draft (docs/staff.md)
    previewLang: null,          // ?lang=<code> with a preview: start at once in that language
    tenants: [],
    tenantId: null,             // chosen or pinned office
    lang: null, dir: 'ltr',     // the conversation's language (null before a conversation)
    token: null,
    history: [],                // [{t:'bot', step}, {t:'me', id, text, lang, dir}]
    pending: null,              // what we wait for: start choose back restart language resume forget purge
    replay: null,               // choice ids still to send when rebuilding a lost conversation
    replayStep: null, replayToken: null,
    purge: null,                // a token to forget once the connection is back
    screen: 'welcome',
    ws: null, connected: false, everConnected: false, retry: 0, retryTimer: 0,
    idleTimeout: DEFAULT_IDLE, idleCountdown: DEFAULT_COUNTDOWN,
    idleTimer: 0, countTimer: 0, countLeft: 0,
    greetTimer: 0, greetIndex: 0,
    voices: new Set(), voicesKnown: false,
    recorded: {},               // "<tenant>/<lang>" -> Set of /speak/ paths with a recorded voice
    chosen: null,               // the language touched on the welcome screen, before a conversation
    words: {},                  // lang -> {key: {text, lang}} from words.json
    wordsAsked: {},             // lang -> true while (or once) words.json was asked for
    textSize: 0, contrast: false,   // textSize: index into TEXT_SCALES
    lastInput: 'pointer',
  };
  state.tenantId = state.pinned;
  if (state.preview) {
    const l = new URLSearchParams(location.search).get('lang');
    state.previewLang = l && /^[a-z]{2,3}(-x-[a-z0-9]{1,4})?$/.test(l) ? l : null;
  }

  const $ = (id) => document.getElementById(id);
  const audio = new Audio();
  let audioButton = null;     // the speaker whose audio plays (or loads), else null
  let audioGen = 0;           // bumped by every play and stop: an older load never plays

  // ---- small helpers ------------------------------------------------------------------------

  function pinnedTenant() {
    const m = /^\/k\/([a-z0-9_-]{1,64})\/?$/.exec(location.pathname);
    if (m) return m[1];
    const q = new URLSearchParams(location.search);   // a preview names its office
    const t = q.get('tenant');
    return q.get('preview') && t && /^[a-z0-9_-]{1,64}$/.test(t) ? t : null;
  }

  function previewToken() {
    const p = new URLSearchParams(location.search).get('preview');
    return p && /^[A-Za-z0-9_-]{43}$/.test(p) ? p : null;
  }

  function kioskName() {
    const k = new URLSearchParams(location.search).get('kiosk');
    return k && /^[A-Za-z0-9_-]{1,64}$/.test(k) ? k : null;
  }

  /* The page's word `key` in lang: {text, lang} (lang: the language it is really in), or null
   * while lang's words have not arrived. */
  function wordOf(key, lang) {
    const w = state.words[lang];
    if (w && w[key] && typeof w[key].text === 'string') return w[key];
    if (key === 'lost') return LOST_OFFLINE;
    return null;
  }

  function word(key, lang) {
    const w = wordOf(key, lang);
    return w ? w.text : '';
  }

  /* Puts the word into node, marking its language where it is not lang (a fallback). */
  function putWord(node, key, lang) {
    const w = wordOf(key, lang);
    node.textContent = w ? w.text : '';
    if (w && w.lang !== lang) setLangDir(node, w.lang, directionOf(w.lang));
    else { node.removeAttribute('lang'); node.removeAttribute('dir'); }
  }

  /* The office whose words.json serves lang: the current one if it offers lang, else the first
   * that does (the page's words are the same for every office; the route checks the language). */
  function officeFor(lang) {
    const t = tenant();
    if (t && t.languages.some((l) => l.code === lang)) return t.id;
    const o = state.tenants.find((x) => x.languages.some((l) => l.code === lang));
    return o ? o.id : (state.tenantId || null);
  }

  /* Asks for lang's words once (again after a failure, at the next call). */
  function loadWords(lang) {
    if (!lang || state.words[lang] || state.wordsAsked[lang]) return;
    const t = officeFor(lang);
    if (!t) return;
    state.wordsAsked[lang] = true;
    fetch('/speak/' + seg(t) + '/' + seg(lang) + '/words.json', { cache: 'no-store' })
      .then((r) => { if (!r.ok) throw new Error('words'); return r.json(); })
      .then((j) => {
        if (!j || !j.words || typeof j.words !== 'object') throw new Error('words');
        state.words[lang] = j.words;
        wordsArrived(lang);
      })
      .catch(() => { state.wordsAsked[lang] = false; });
  }

  /* Shows words that just arrived wherever they are due. */
  function wordsArrived(lang) {
    if (state.screen === 'welcome') greetOnTile(lang);
    if (lang !== uiLang()) return;
    applyWords();
    if (state.screen === 'offices') renderOffices();
    if (state.history.length) { renderLog(); renderCurrent(); }
    if (!$('lost').hidden) showLost(true);
    if ($('idle').open) applyWords();
    showNoVoice();
  }

  /* Creates an element; text (if any) is set as text, never parsed as HTML. */
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function icon(name) {
    const s = el('span', 'icon icon-' + name);
    s.setAttribute('aria-hidden', 'true');
    return s;
  }

  /* An answer's pictogram (issue 11): the emoji the step names for it, drawn large before the
   * label in the served Noto Color Emoji (pictograms.css). aria-hidden, so the label alone stays
   * the button's accessible name. Nothing for an answer without one. */
  function drawPictogram(b, c) {
    if (!c.emoji) return;
    // the label keeps what bidiText made of it (its isolated German runs), not just its text
    const label = el('span', 'choice-label');
    while (b.firstChild) label.appendChild(b.firstChild);
    const pict = el('span', 'pict', c.emoji);
    pict.setAttribute('aria-hidden', 'true');
    if (c.icon) pict.dataset.icon = c.icon;
    b.append(pict, label);
    b.classList.add('has-pict');
  }

  function button(cls, text, onClick) {
    const b = el('button', cls, text);
    b.type = 'button';
    if (onClick) b.addEventListener('click', onClick);
    return b;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setLangDir(node, lang, dir) {
    if (lang) node.lang = lang;
    if (dir) node.dir = dir;
  }

  function directionOf(code) {
    return RTL_LANGS.indexOf(code) >= 0 ? 'rtl' : 'ltr';
  }

  function tenant() {
    return state.tenants.find((t) => t.id === state.tenantId) || null;
  }

  function langInfo(code) {
    const t = tenant();
    const l = t && t.languages.find((x) => x.code === code);
    return l || { code, autonym: code, dir: directionOf(code) };
  }

  /* The language of the page's own words: the conversation's, else the one touched on the
   * welcome screen, else the office's default. */
  function uiLang() {
    if (state.lang) return state.lang;
    if (state.chosen) return state.chosen;
    const t = tenant();
    return t ? t.default_lang : 'de';
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  }

  function seg(s) {
    return encodeURIComponent(String(s));
  }

  // ---- storage (sessionStorage only; wiped on reset) ----------------------------------------

  function save() {
    const data = {
      token: state.token, tenant: state.tenantId, lang: state.lang, dir: state.dir,
      history: state.history, text: state.textSize, contrast: state.contrast,
    };
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(data)); } catch (e) { /* full or off */ }
  }

  function load() {
    let d = null;
    try { d = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null'); } catch (e) { return; }
    if (!d || typeof d !== 'object') return;
    state.textSize = d.text === 1 || d.text === 2 ? d.text : 0;
    state.contrast = d.contrast === true;
    if (typeof d.token !== 'string' || !/^[0-9a-f]{32}(\.[A-Za-z0-9_-]{1,8192})?$/.test(d.token)) return;
    if (!Array.isArray(d.history) || typeof d.lang !== 'string' || typeof d.tenant !== 'string')
      return;
    if (state.pinned && d.tenant !== state.pinned) return;
    state.token = d.token;
    state.tenantId = d.tenant;
    state.lang = d.lang;
    state.dir = d.dir === 'rtl' ? 'rtl' : 'ltr';
    state.history = d.history.filter((e) => e && (e.t === 'me' || (e.t === 'bot' && e.step)));
  }

  function wipeStorage() {
    try { sessionStorage.clear(); } catch (e) { /* ignore */ }
    try { localStorage.clear(); } catch (e) { /* ignore */ }
  }

  // ---- page language and words --------------------------------------------------------------

  function setPageLang(lang, dir) {
    document.documentElement.lang = lang;
    document.documentElement.dir = dir === 'rtl' ? 'rtl' : 'ltr';
  }

  /* Fills every [data-word] element with the page's word in the current language. */
  function applyWords() {
    const lang = uiLang();
    loadWords(lang);
    for (const node of document.querySelectorAll('[data-word]')) putWord(node, node.dataset.word, lang);
    const t = tenant();
    const name = t ? officeName(t, lang) : null;
    const title = $('chat-title');
    if (linkFromPath()) {
      // the phone link's page keeps the title showLinkOffers gave it (its words arrive later)
    } else if (name) {
      document.title = name.text + ' · Lotse';
      bidiText(title, name.text, directionOf(lang));
      title.lang = name.lang;
    } else {
      document.title = 'Lotse';
      title.textContent = '';
    }
    const sample = !!(t ? t.sample : state.tenants.some((x) => x.sample));
    for (const n of document.querySelectorAll('.sample-note')) n.hidden = !sample;
    privacyWords();
  }

  /* The office's name in lang where the catalogue translates it ({text, lang}), else in the
   * office's default language (the German source). */
  function officeName(t, lang) {
    const n = t.names && typeof t.names[lang] === 'string' ? t.names[lang] : null;
    return n ? { text: n, lang } : { text: t.name, lang: t.default_lang };
  }

  // ---- text in another direction ----------------------------------------------------------
  // A German name or gloss inside Arabic, Farsi or Pashto text ("(Zukunftswerkstatt: Bildung!)",
  // an address) is isolated in its own <bdi dir="ltr" lang="de">, so the bidi algorithm does not
  // reorder it; a hyphenated word in it never breaks at its hyphen.

  const LATIN = 'A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff';
  const LTR_RUN = new RegExp('[' + LATIN + '0-9][' + LATIN + '0-9 .,:;!?\'\u2019&/+@_\\-\u2013]*', 'g');
  const HAS_LATIN = new RegExp('[' + LATIN + ']');
  const HAS_LTR = new RegExp('[' + LATIN + '0-9]');

  /* Sets text into node as text (never HTML); in a right-to-left text every Latin run, and
   * every run of digits ("9:00–15:00", "05341 000-100"), is isolated. */
  function bidiText(node, text, dir) {
    text = text === null || text === undefined ? '' : String(text);
    if (dir !== 'rtl' || !HAS_LTR.test(text)) { node.textContent = text; return; }
    clear(node);
    let at = 0;
    for (const m of text.matchAll(LTR_RUN)) {
      if (m.index < at) continue;
      let run = m[0].replace(/[\s.,:;'\u2019&/+@_\-\u2013]+$/, '');
      // a closing ! or ? belongs to the name only when a bracket or quote closes right after
      if (/[!?]$/.test(run) && !/^[)\]»"”]/.test(text.slice(m.index + run.length)))
        run = run.replace(/[\s!?.,:;]+$/, '');
      if (m.index > at) node.appendChild(document.createTextNode(text.slice(at, m.index)));
      node.appendChild(latinRun(run));
      at = m.index + run.length;
    }
    if (at < text.length) node.appendChild(document.createTextNode(text.slice(at)));
  }

  /* <bdi dir="ltr" lang="de" class="latin"> (digits alone: <bdi dir="ltr" class="num">) with
   * each hyphenated word kept on one line. */
  function latinRun(run) {
    const latin = HAS_LATIN.test(run);
    const b = el('bdi', latin ? 'latin' : 'num');
    b.dir = 'ltr';
    if (latin) b.lang = 'de';
    let at = 0;
    for (const m of run.matchAll(/[^\s-]*-[^\s]*/g)) {
      if (!m[0].length) continue;
      if (m.index > at) b.appendChild(document.createTextNode(run.slice(at, m.index)));
      b.appendChild(el('span', 'nobr', m[0]));
      at = m.index + m[0].length;
    }
    if (at < run.length) b.appendChild(document.createTextNode(run.slice(at)));
    return b;
  }

  /* An e-mail or web address that breaks only after "/" and before "@" (<wbr>), never inside
   * a word or at a hyphen: each piece between them is one unbreakable span (style.css: .addr). */
  function breakable(text) {
    const span = el('span', 'addr');
    String(text).split(/(?<=\/)|(?=@)/).forEach((part, i) => {
      if (i) span.appendChild(document.createElement('wbr'));
      span.appendChild(el('span', 'nobr', part));
    });
    return span;
  }

  function applyToggles() {
    document.documentElement.classList.toggle('large-text', state.textSize > 0);
    document.documentElement.classList.toggle('text-2x', state.textSize === 2);
    document.documentElement.classList.toggle('high-contrast', state.contrast);
    $('large-text').setAttribute('aria-pressed', String(state.textSize > 0));
    $('large-text').dataset.size = String(TEXT_SCALES[state.textSize]);
    let step = $('text-step');
    if (!step) {
      step = el('span', 'text-step');
      step.id = 'text-step';
      $('large-text').appendChild(step);
    }
    step.textContent = state.textSize ? textPercent(TEXT_SCALES[state.textSize]) : '';
    $('contrast').setAttribute('aria-pressed', String(state.contrast));
  }

  /* "150 %" in the page's language (the state of the large-text button, shown and read). */
  function textPercent(scale) {
    try {
      return new Intl.NumberFormat(uiLang(), { style: 'percent', numberingSystem: 'latn' }).format(scale);
    } catch (e) {
      return Math.round(scale * 100) + ' %';
    }
  }

  /* The large-text button: 100 % -> 150 % -> 200 % -> 100 %; the new size is announced. */
  function cycleTextSize() {
    state.textSize = (state.textSize + 1) % TEXT_SCALES.length;
    applyToggles();
    save();
    const a = $('announce');
    a.textContent = '';
    const w = wordOf('large', uiLang());
    a.lang = w ? w.lang : uiLang();
    a.textContent = (w ? w.text : '') + ': ' + textPercent(TEXT_SCALES[state.textSize]);
  }

  // ---- screens ------------------------------------------------------------------------------

  function show(name) {
    if (name !== state.screen) { showNotice(null); stopAudio(); }
    state.screen = name;
    for (const id of ['welcome', 'offices', 'languages', 'chat']) $(id).hidden = id !== name;
    $('bar').hidden = name === 'welcome';
    if (name === 'welcome') startGreetings(); else stopGreetings();
    if (name === 'languages') renderLanguages();
    if (name === 'offices') renderOffices();
    if (name !== 'chat') window.scrollTo(0, 0);
    armIdle();
    updateEnabled();
  }

  /* Languages greeted on the welcome screen: the office's, or every office's. */
  function greetingLanguages() {
    const t = tenant();
    const list = t ? t.languages : [].concat(...state.tenants.map((x) => x.languages));
    const seen = new Set();
    const out = list.filter((l) => !seen.has(l.code) && seen.add(l.code));
    return out.length ? out : [{ code: 'de', dir: 'ltr' }];
  }

  /* The greeting of one language at a time (with the office's name and the sample notice in
   * it); every language's own button with its greeting is below, all at once. */
  function showGreeting() {
    const langs = greetingLanguages();
    const l = langs[state.greetIndex % langs.length];
    const h = $('greeting');
    const g = wordOf('greet', l.code);
    h.textContent = g ? g.text : (l.autonym || l.code);
    setLangDir(h, g ? g.lang : l.code, g ? directionOf(g.lang) : l.dir);
    if (!reducedMotion()) {
      h.classList.remove('fade');
      void h.offsetWidth;   // restart the animation
      h.classList.add('fade');
    }
    const t = tenant();
    const o = $('welcome-office');
    if (t) {
      const n = officeName(t, l.code);
      bidiText(o, n.text, directionOf(n.lang));
      setLangDir(o, n.lang, directionOf(n.lang));
    } else {
      o.textContent = '';
    }
    const sw = wordOf('sample', l.code);
    const sn = $('welcome-sample');
    sn.textContent = sw ? sw.text : '';
    setLangDir(sn, sw ? sw.lang : l.code, directionOf(sw ? sw.lang : l.code));
    welcomeSpeaker(l.code);
  }

  /* The welcome screen's speaker reads the greeting shown, in its language (an office that
   * offers it: the pinned one, else the first). */
  function welcomeSpeaker(code) {
    const box = $('welcome-speak');
    const t = tenant() || state.tenants.find((x) => x.languages.some((l) => l.code === code));
    const b = t ? speakButton(t.id, code, 'words/welcome') : null;
    if (audioButton && box.contains(audioButton)) return;   // keep the one playing
    clear(box);
    if (b) box.appendChild(b);
  }

  /* Puts lang's greeting on its welcome button (in place: a focused button keeps the focus). */
  function greetOnTile(lang) {
    const b = [...document.querySelectorAll('#welcome-langs button.tile')].find((x) => x.lang === lang);
    const g = wordOf('greet', lang);
    if (!b || !g) return;
    let gs = b.querySelector('.tile-greet');
    if (!gs) { gs = el('span', 'tile-greet'); b.appendChild(gs); }
    gs.textContent = g.text;
    if (g.lang !== lang) setLangDir(gs, g.lang, directionOf(g.lang));
  }

  /* The welcome screen's language buttons: every language at once, each in its own name and
   * script with its own greeting, and a speaker saying its name; one touch starts in it. */
  function showWelcomeLanguages() {
    const list = $('welcome-langs');
    if (audioButton && list.contains(audioButton)) return;   // keep the one playing
    clear(list);
    const t = tenant();
    for (const l of greetingLanguages()) {
      const li = el('li', 'tile-row');
      const b = button('tile lang-tile', null, () => chooseFirst(l.code));
      setLangDir(b, l.code, l.dir);
      b.appendChild(el('span', 'tile-name', l.autonym || l.code));
      li.appendChild(b);
      const office = t ? t.id : officeFor(l.code);
      const speak = office ? speakButton(office, l.code, 'language') : null;   // its own voice
      if (speak) li.appendChild(speak);
      list.appendChild(li);
      greetOnTile(l.code);
    }
    updateEnabled();
  }

  function startGreetings() {
    stopGreetings();
    showWelcomeLanguages();
    state.greetIndex = 0;
    showGreeting();
    state.greetTimer = setInterval(() => {
      if (audioButton) return;     // the greeting being heard stays on screen
      state.greetIndex++;
      showGreeting();
    }, GREETING_MS);
  }

  function stopGreetings() {
    clearInterval(state.greetTimer);
    state.greetTimer = 0;
  }

  /* The first touch, on a language: a page pinned to an office starts in it at once; the
   * website asks for the office next (the offices offering it), in that language. */
  function chooseFirst(code) {
    if (!state.tenants.length || !canAct()) return;
    stopAudio();
    const l = greetingLanguages().find((x) => x.code === code);
    state.chosen = code;
    setPageLang(code, l ? l.dir : directionOf(code));
    applyWords();
    if (!tenant()) {
      const offering = state.tenants.filter((x) => x.languages.some((y) => y.code === code));
      if (offering.length !== 1) { show('offices'); return; }
      state.tenantId = offering[0].id;
    }
    pickLanguage(code);
  }

  function afterOffice() {
    const t = tenant();
    if (state.chosen && t.languages.some((l) => l.code === state.chosen)) {
      pickLanguage(state.chosen);
      return;
    }
    setPageLang(t.default_lang, langInfo(t.default_lang).dir);
    applyWords();
    if (t.languages.length === 1) pickLanguage(t.languages[0].code);
    else show('languages');
  }

  function renderOffices() {
    const list = $('office-list');
    clear(list);
    const lang = uiLang();
    for (const t of state.tenants) {
      if (state.chosen && !t.languages.some((l) => l.code === state.chosen)) continue;
      const li = el('li');
      const b = button('tile', null, () => { state.tenantId = t.id; afterOffice(); });
      const n = officeName(t, lang);     // in the language chosen, where translated
      const span = el('span', 'tile-name');
      bidiText(span, n.text, directionOf(n.lang));
      b.appendChild(span);
      setLangDir(b, n.lang, directionOf(n.lang));
      li.appendChild(b);
      list.appendChild(li);
    }
  }

  function renderLanguages() {
    const list = $('language-list');
    clear(list);
    const t = tenant();
    if (!t) return;
    for (const l of t.languages) {
      const li = el('li', 'tile-row');
      const b = button('tile', l.autonym, () => pickLanguage(l.code));
      setLangDir(b, l.code, l.dir);
      b.setAttribute('aria-pressed', String(l.code === state.lang));
      li.appendChild(b);
      const speak = speakButton(t.id, l.code, 'language');   // its name, in its own voice
      if (speak) li.appendChild(speak);
      list.appendChild(li);
    }
  }

  function pickLanguage(code) {
    if (!canAct()) return;
    stopAudio();
    if (state.token) {
      if (code !== state.lang) {
        state.pending = 'language';
        send({ type: 'language', lang: code });
      }
      show('chat');
      return;
    }
    const msg = { type: 'start', tenant: state.tenantId, lang: code };
    if (state.kiosk) msg.kiosk = state.kiosk;
    if (state.preview) msg.preview = state.preview;
    state.pending = 'start';
    send(msg);
    updateEnabled();
  }

  // ---- the conversation ---------------------------------------------------------------------

  function canAct() {
    return state.connected && !state.pending && !state.replay;
  }

  function lastBot() {
    for (let i = state.history.length - 1; i >= 0; i--)
      if (state.history[i].t === 'bot') return state.history[i].step;
    return null;
  }

  /* Keeps what a step needs to be shown again (after a reload), not the token. */
  function keepStep(s) {
    return {
      tenant: s.tenant, lang: s.lang, dir: s.dir, flow: s.flow, node: s.node, kind: s.kind,
      text: s.text, choices: s.choices || [], offers: s.offers || [], offers_text: s.offers_text,
      contact: s.contact, can_back: !!s.can_back, terminal: !!s.terminal,
    };
  }

  function push(entry) {
    state.history.push(entry);
    const li = renderEntry(entry, state.history.length - 1);
    $('log').appendChild(li);
    return li;
  }

  function truncate(n) {
    state.history.length = n;
    const log = $('log');
    while (log.children.length > n) log.removeChild(log.lastChild);
  }

  /* Puts a step that may already be on screen (back, language, resume): the newest earlier
   * bubble of the same step is replaced and everything after it dropped; otherwise appended. */
  function placeStep(s) {
    for (let i = state.history.length - 1; i >= 0; i--) {
      const e = state.history[i];
      if (e.t === 'bot' && e.step.flow === s.flow && e.step.node === s.node) {
        truncate(i);
        return push({ t: 'bot', step: s });
      }
    }
    return push({ t: 'bot', step: s });
  }

  function renderLog() {
    const log = $('log');
    clear(log);
    state.history.forEach((e, i) => log.appendChild(renderEntry(e, i)));
  }

  function onStep(m) {
    const p = state.pending;
    if (p === 'purge') {            // an old conversation to forget: done with it
      state.pending = 'forget';
      send(forgetMessage());
      return;
    }
    if (p === 'forget') return;     // an answer that crossed our forget
    state.pending = null;
    if (m.lang !== state.lang || p === 'language' || p === 'restart') stopAudio();
    const s = keepStep(m);
    const rebuilt = !!state.replay;
    if (rebuilt) {
      state.replayStep = s;
      state.replayToken = m.token;
      if (state.replay.length) {
        state.pending = 'choose';
        send({ type: 'choose', choice: state.replay.shift() });
        return;
      }
      state.replay = null;
      state.replayStep = null;
    }
    state.token = m.token;
    state.tenantId = m.tenant;
    state.lang = m.lang;
    state.dir = m.dir === 'rtl' ? 'rtl' : 'ltr';
    let li;
    if (rebuilt) li = placeStep(s);
    else if (p === 'start' || p === 'restart') { truncate(0); li = push({ t: 'bot', step: s }); }
    else if (p === 'choose') li = push({ t: 'bot', step: s });
    else li = placeStep(s);
    setPageLang(state.lang, state.dir);
    applyWords();
    showNotice(null);
    save();
    renderCurrent();
    showNoVoice();
    if (state.screen !== 'chat') show('chat');
    announce(s);
    reveal(li);
  }

  function announce(s) {
    const a = $('announce');
    a.textContent = '';
    a.lang = s.lang;
    a.textContent = s.offers_text ? s.text + ' ' + s.offers_text : s.text;
  }

  /* Scrolls a new bubble into view; a keyboard user gets the focus on the first answer. */
  function reveal(li) {
    if (!li) return;
    li.scrollIntoView({ block: 'start', behavior: reducedMotion() ? 'auto' : 'smooth' });
    if (state.lastInput === 'key') {
      const first = $('choices').querySelector('button') || $('end').querySelector('button') ||
        $('results-actions').querySelector('button:not([hidden])');
      if (first && !first.closest('[hidden]')) first.focus({ preventScroll: true });
    }
  }

  function choose(c, s) {
    if (!canAct()) return;
    state.pending = 'choose';
    push({ t: 'me', id: c.id, text: c.label, lang: s.lang, dir: s.dir });
    send({ type: 'choose', choice: c.id });
    clear($('choices'));
    save();
    updateEnabled();
  }

  function goBack() {
    if (state.screen === 'languages') {
      if (state.token) show('chat');
      else if (!state.pinned && state.tenants.length > 1) show('offices');
      else resetLocal(false);
      return;
    }
    if (state.screen === 'offices') { resetLocal(false); return; }   // the language again
    const s = lastBot();
    if (!canAct() || !s || !s.can_back) return;
    state.pending = 'back';
    send({ type: 'back' });
    updateEnabled();
  }

  function restart() {
    if (!state.token) { resetLocal(false); return; }
    if (!canAct()) return;
    stopAudio();
    state.pending = 'restart';
    send({ type: 'restart' });
    show('chat');
  }

  /* Starts the conversation again on the server and sends the same answers, when the server
   * does not know our token any more (it expired, or the server lost it). */
  function rebuild() {
    const ids = state.history.filter((e) => e.t === 'me').map((e) => e.id);
    state.replay = ids;
    state.replayStep = null;
    state.pending = 'start';
    const msg = { type: 'start', tenant: state.tenantId, lang: state.lang };
    if (state.kiosk) msg.kiosk = state.kiosk;
    if (state.preview) msg.preview = state.preview;
    send(msg);
  }

  function onError(m) {
    if (m.code === 'no_take_home') { takeHomeStep(null); return; }   // not pending: no notice
    const p = state.pending;
    state.pending = null;
    if (p === 'purge' || p === 'forget') { state.purge = null; updateEnabled(); return; }
    if (state.replay) { replayFailed(m); return; }
    if ((m.code === 'bad_token' || m.code === 'no_session') && state.token) {
      rebuild();
      return;
    }
    if (p === 'choose') {
      const last = state.history[state.history.length - 1];
      if (last && last.t === 'me') truncate(state.history.length - 1);
      save();
    }
    if (p === 'start' && m.code === 'unknown_tenant') state.tenantId = state.pinned = null;
    showNotice(m.message);
    renderCurrent();
    updateEnabled();
  }

  /* A rebuild could not reach the same step: keep the step it reached. */
  function replayFailed(m) {
    const s = state.replayStep;
    state.replay = null;
    state.replayStep = null;
    if (!s) { resetLocal(false); return; }
    state.token = state.replayToken;
    truncate(0);
    push({ t: 'bot', step: s });
    save();
    renderCurrent();
    showNotice(m.message);
  }

  /* What the server said went wrong (its message is in the conversation's language). */
  function showNotice(text) {
    const n = $('notice');
    n.textContent = text || '';
    n.hidden = !text || !$('lost').hidden;
  }

  // ---- rendering a step ---------------------------------------------------------------------

  function renderEntry(e, index) {
    const li = el('li', 'msg ' + (e.t === 'bot' ? 'bot' : 'me'));
    // the bubble (not the <li>) carries the direction: bubbles left in another language
    // still line up with the page's direction
    if (e.t === 'me') {
      li.lang = e.lang;
      const p = el('p', 'bubble');
      p.dir = e.dir;
      p.appendChild(el('span', 'visually-hidden', word('you', e.lang) + ': '));
      const said = el('span');
      bidiText(said, e.text, e.dir);
      p.appendChild(said);
      li.appendChild(p);
      return li;
    }
    const s = e.step;
    li.lang = s.lang;
    li.id = 'msg-' + index;
    li.dataset.flow = s.flow;
    li.dataset.node = s.node;
    li.dataset.kind = s.kind;
    const bubble = el('div', 'bubble');
    const tp = el('p', 'text');
    bidiText(tp, s.text, s.dir);
    bubble.appendChild(tp);
    const where = seg(s.flow) + '/' + seg(s.node);
    const speak = s.kind === 'offers'      // the results heading with its count
      ? speakButton(s.tenant, s.lang, 'results/' + where + '/' + (s.offers ? s.offers.length : 0))
      : speakButton(s.tenant, s.lang, 'step/' + where);
    if (speak) bubble.appendChild(speak);
    li.appendChild(bubble);
    if (s.offers && s.offers.length) {
      if (s.offers_text) li.appendChild(el('p', 'count', s.offers_text));
      const ul = el('ul', 'offers');
      s.offers.forEach((o) => {
        const item = el('li');
        item.appendChild(offerCard(o, s, index));
        ul.appendChild(item);
      });
      li.appendChild(ul);
    }
    if (s.contact && (s.kind === 'person' || !(s.offers && s.offers.length)))
      li.appendChild(contactCard(s.contact, s, index));
    for (const child of li.children) child.dir = s.dir;
    return li;
  }

  /* The answers of the newest step, or the way out at the end. */
  function renderCurrent() {
    const box = $('choices');
    const all = $('choices-all');
    if (audioButton && $('reach').contains(audioButton)) stopAudio();
    clear(box);
    clear(all);
    clear($('step-speak'));
    clear($('results-feedback'));
    $('end').hidden = true;
    $('results-actions').hidden = true;
    placeResultsExtras();
    const last = state.history[state.history.length - 1];
    if (!last || last.t !== 'bot') { takeHomeStep(null); updateEnabled(); return; }
    const s = last.step;
    const where = seg(s.flow) + '/' + seg(s.node);
    renderStepSpeakers(s);
    const results = s.kind === 'offers';
    if (results) renderResultsActions(s);
    if (results && s.offers && s.offers.length)
      $('results-feedback').appendChild(feedbackBlock(s, state.history.length - 1));
    for (const c of s.choices) {
      // the results' "talk to a person" and "done" are the fixed area's buttons
      if (results && (c.id === 'person' || c.id === 'done')) continue;
      const row = el('div', 'choice-row');
      const b = button('choice', null, () => choose(c, s));
      bidiText(b, c.label, s.dir);
      b.dataset.choice = c.id;
      drawPictogram(b, c);
      setLangDir(b, s.lang, s.dir);
      row.appendChild(b);
      const speak = speakButton(s.tenant, s.lang, 'choice/' + where + '/' + seg(c.id));
      if (speak) {
        speak.dataset.for = c.id;
        speak.setAttribute('aria-label', word('listen', s.lang) + ': ' + c.label);
        row.appendChild(speak);
      }
      box.appendChild(row);
    }
    const every = box.children.length > 1 ? speakButton(s.tenant, s.lang, 'choices/' + where, true,
      word('listen_all', s.lang)) : null;
    if (every) { every.classList.add('speak-all'); all.appendChild(every); }
    $('end').hidden = s.choices.length > 0;
    takeHomeStep(s);
    updateEnabled();
    keepZoneEnd();
  }

  // On a portrait kiosk screen (style.css, "within reach") the results' phone code and feedback
  // block are touch targets, so they sit in the reach zone with the fixed area; elsewhere (a
  // phone, a landscape screen, where the zone with the fixed area sticks to the bottom) they
  // stand under the conversation, above the zone.
  const PORTRAIT_KIOSK = '(orientation: portrait) and (min-width: 700px) and (min-height: 1100px)';

  // In the zone the phone code stands right above the fixed area, so that the zone's end (what
  // keepZoneEnd shows) holds the whole code; the feedback block above the answers.
  function placeResultsExtras() {
    const inZone = window.matchMedia && window.matchMedia(PORTRAIT_KIOSK).matches;
    const parent = inZone ? $('reach') : $('chat');
    const places = inZone ? [['results-feedback', 'choices-all'], ['take-home', 'results-actions']]
      : [['take-home', 'reach'], ['results-feedback', 'reach']];
    for (const [id, beforeId] of places) {
      const node = $(id);
      const before = $(beforeId);
      if (node.parentNode !== parent || node.nextElementSibling !== before) parent.insertBefore(node, before);
    }
  }

  /* The zone shows its end, nearest the hand (the answers, the fixed area), when it has more
   * than fits; the rest scrolls up inside it. */
  function keepZoneEnd() {
    const zone = $('reach');
    if (zone.scrollHeight > zone.clientHeight) zone.scrollTop = zone.scrollHeight;
  }

  /* The reach zone's speakers for the current step (shown on a portrait kiosk screen, where the
   * conversation's own speakers are out of reach, style.css): the question or the results'
   * heading, every offer by its title, the contact on a talk-to-a-person step. */
  function renderStepSpeakers(s) {
    const box = $('step-speak');
    const where = seg(s.flow) + '/' + seg(s.node);
    const head = s.kind === 'offers'
      ? speakButton(s.tenant, s.lang, 'results/' + where + '/' + (s.offers ? s.offers.length : 0),
        true)
      : speakButton(s.tenant, s.lang, 'step/' + where, true);
    if (head) { head.classList.add('speak-step'); box.appendChild(head); }
    for (const o of s.offers || []) {
      const b = speakButton(s.tenant, s.lang, 'offer/' + seg(o.id), true, o.title);
      if (!b) continue;
      b.setAttribute('aria-label', word('listen', s.lang) + ': ' + o.title);
      bidiText(b.lastChild, o.title, s.dir);     // German names in it isolated, as on the card
      box.appendChild(b);
    }
    if (s.kind === 'person' && s.contact) {
      const b = speakButton(s.tenant, s.lang, 'person', true, word('contact', s.lang));
      if (b) box.appendChild(b);
    }
    setLangDir(box, s.lang, s.dir);
  }

  /* The results' fixed bottom area: talk to a person (the step's "person" choice, as an answer
   * would be), print all, finish (after the reminder). */
  function renderResultsActions(s) {
    const area = $('results-actions');
    setLangDir(area, s.lang, s.dir);
    const person = s.choices.find((c) => c.id === 'person');
    const talk = $('talk');
    talk.hidden = !person;
    talk.onclick = person ? () => choose(person, s) : null;
    $('talk-label').textContent = person ? person.label : '';
    area.hidden = false;
  }

  /* One "label: value" row; dir 'ltr' for phone numbers, addresses on the web and e-mail
   * (they read left to right also in Arabic), 'auto' for data that may be in any script. */
  function fact(dl, key, lang, value, dir) {
    if (value === null || value === undefined || value === '') return;
    const row = el('div', 'fact fact-' + key);
    row.appendChild(el('dt', null, word(key, lang)));
    const dd = el('dd');
    if (dir) dd.dir = dir;
    if (value instanceof Node) dd.appendChild(value);
    else bidiText(dd, value, dir ? null : directionOf(lang));
    row.appendChild(dd);
    dl.appendChild(row);
  }

  /* A link, or on a kiosk PC (?kiosk=...) plain text: a click there would leave the kiosk. */
  function link(href, text, addr) {
    const a = el(!href || state.kiosk ? 'span' : 'a');
    a.appendChild(addr ? breakable(text) : document.createTextNode(text));
    if (!href || state.kiosk) return a;
    a.href = href;
    if (/^https?:/.test(href)) { a.target = '_blank'; a.rel = 'noopener noreferrer'; }
    return a;
  }

  function telHref(phone) {
    const digits = String(phone).replace(/[^0-9+]/g, '').replace(/(?!^)\+/g, '');
    return digits.length >= 3 ? 'tel:' + digits : null;
  }

  function mailHref(mail) {
    return /^[^\s@<>"]+@[^\s@<>"]+$/.test(mail) ? 'mailto:' + mail : null;
  }

  function webHref(web) {
    try {
      const u = new URL(web);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function contactFacts(dl, c, lang) {
    if (c.phone) fact(dl, 'phone', lang, link(telHref(c.phone), c.phone), 'ltr');
    if (c.email) fact(dl, 'email', lang, link(mailHref(c.email), c.email, true), 'ltr');
    if (c.web) fact(dl, 'web', lang, link(webHref(c.web), c.web, true), 'ltr');
  }

  function offerCard(o, s, index) {
    const lang = s.lang;
    const card = el('article', 'offer');
    const hid = 'offer-' + index + '-' + o.id;
    card.setAttribute('aria-labelledby', hid);
    const h = el('h2');
    bidiText(h, o.title, s.dir);
    h.id = hid;
    card.appendChild(h);
    if (o.sample) card.appendChild(el('p', 'sample-tag', word('sample', lang)));
    if (o.description) {
      const d = el('p', 'desc');
      bidiText(d, o.description, s.dir);
      card.appendChild(d);
    }
    const dl = el('dl', 'facts');
    fact(dl, 'when', lang, o.hours);
    const where = [o.address, o.district].filter(Boolean).join(' · ');
    fact(dl, 'where', lang, where, 'auto');
    contactFacts(dl, o, lang);
    if (o.languages && o.languages.length) {
      const span = el('span');
      o.languages.forEach((l, i) => {
        if (i) span.appendChild(document.createTextNode(', '));
        const a = el('span', null, l.autonym);
        setLangDir(a, l.code, l.dir || directionOf(l.code));
        span.appendChild(a);
      });
      fact(dl, 'langs', lang, span);
    }
    fact(dl, 'cost', lang, o.cost);
    card.appendChild(dl);
    const qr = el('img', 'qr');
    qr.alt = word('qr', lang) + ': ' + o.title;
    qr.decoding = 'async';
    qr.addEventListener('error', () => { qr.hidden = true; });
    qr.src = '/qr/' + seg(s.tenant) + '/' + seg(o.id) + '.svg?lang=' + seg(lang);
    card.appendChild(qr);
    card.appendChild(cardTools(card, s.tenant, lang, 'offer/' + seg(o.id)));
    return card;
  }

  function contactCard(c, s, index) {
    const lang = s.lang;
    const card = el('section', 'contact-card');
    const hid = 'contact-' + index;
    card.setAttribute('aria-labelledby', hid);
    const h = el('h2', null, word('contact', lang));
    h.id = hid;
    card.appendChild(h);
    if (c.name) {
      const n = el('p', 'contact-name');
      bidiText(n, c.name, s.dir);
      card.appendChild(n);
    }
    if (c.person) {
      const n = el('p');
      bidiText(n, c.person, s.dir);
      card.appendChild(n);
    }
    const dl = el('dl', 'facts');
    fact(dl, 'when', lang, c.hours);
    fact(dl, 'where', lang, c.address, 'auto');
    contactFacts(dl, c, lang);
    card.appendChild(dl);
    card.appendChild(contactQr(c, s));
    card.appendChild(cardTools(card, s.tenant, lang, s.kind === 'person' ? 'person' : null));
    return card;
  }

  function cardTools(card, tenantId, lang, speakPath) {
    const tools = el('div', 'card-tools');
    const speak = speakPath ? speakButton(tenantId, lang, speakPath, true) : null;
    if (speak) tools.appendChild(speak);
    const p = button('print', null, () => printCard(card));
    p.appendChild(icon('print'));
    p.appendChild(el('span', null, word('print', lang)));
    tools.appendChild(p);
    return tools;
  }

  // ---- read aloud -----------------------------------------------------------------------------

  // One tap on a speaker plays, a second tap on it plays again from the start; any other touch
  // or key stops all speech at once (EN 301 549 5.1.3.5), and so do a screen change, a language
  // switch, the idle wipe and the page being hidden. Every play and stop bumps audioGen, so a
  // recording that finishes loading after a stop never starts.

  /* A speaker button for /speak/<tenant>/<lang>/<path>.opus (Ogg Opus; its label in lang:
   * `text`, else "Read aloud"; shown when withLabel), or null when there is nothing to hear: no
   * voice for the language and no recording of the text (Pashto). */
  function speakButton(tenantId, lang, path, withLabel, text) {
    if (!hasAudio(tenantId, lang, path)) return null;
    const b = button('speak', null, () => playAudio(b));
    b.dataset.src = '/speak/' + seg(tenantId) + '/' + seg(lang) + '/' + path + '.opus';
    b.setAttribute('aria-pressed', 'false');
    b.appendChild(icon('speaker'));
    const w = text ? { text, lang } : (wordOf('listen', lang) || { text: langInfo(lang).autonym, lang });
    const label = el('span', withLabel ? null : 'visually-hidden', w.text);
    setLangDir(label, w.lang, directionOf(w.lang));
    b.appendChild(label);
    return b;
  }

  /* A language with a voice has audio for every text; one without has it for recorded texts
   * (/speak/<tenant>/<lang>/recorded.json, asked once, then the log is drawn again). */
  function hasAudio(tenantId, lang, path) {
    if (state.voices.has(lang)) return true;
    const key = tenantId + '/' + lang;
    if (!state.recorded[key]) {
      state.recorded[key] = new Set();
      fetch('/speak/' + seg(tenantId) + '/' + seg(lang) + '/recorded.json', { cache: 'no-store' })
        .then((r) => (r.ok ? r.json() : { recorded: [] }))
        .then((v) => {
          state.recorded[key] = new Set(Array.isArray(v.recorded) ? v.recorded : []);
          if (state.recorded[key].size && state.history.length) { renderLog(); renderCurrent(); }
        })
        .catch(() => { /* nothing recorded: no speaker buttons */ });
    }
    return state.recorded[key].has(path);
  }

  function playAudio(b) {
    stopAudio();
    const gen = audioGen;
    audioButton = b;
    b.setAttribute('aria-pressed', 'true');
    audio.src = b.dataset.src;
    audio.currentTime = 0;
    audio.play().then(() => {
      if (gen !== audioGen) audio.pause();      // stopped while it was loading
    }).catch(() => { if (gen === audioGen) stopAudio(); });
  }

  /* Stops all speech at once and forgets what was loading. */
  function stopAudio() {
    audioGen++;
    audio.pause();
    if (audio.getAttribute('src')) {
      audio.removeAttribute('src');
      audio.load();                             // aborts a pending download
    }
    if (audioButton) audioButton.setAttribute('aria-pressed', 'false');
    audioButton = null;
  }

  audio.addEventListener('playing', () => { if (!audioButton) audio.pause(); });
  audio.addEventListener('ended', stopAudio);
  audio.addEventListener('error', () => { if (audio.getAttribute('src')) stopAudio(); });

  /* Any touch or key that is not on the speaker playing stops the speech. */
  function stopOnInput(ev) {
    if (!audioButton) return;
    const t = ev.target instanceof Element ? ev.target.closest('.speak') : null;
    if (ev.type === 'pointerdown' && t === audioButton) return;
    stopAudio();
  }

  /* Where the conversation's language has no voice, one line says so (from the catalogue). */
  function showNoVoice() {
    const n = $('no-voice');
    const lang = state.lang;
    const t = tenant();
    if (!lang || !t || !state.voicesKnown || state.voices.has(lang)) { n.hidden = true; return; }
    const w = wordOf('no_voice', lang);
    if (!w) { loadWords(lang); n.hidden = true; return; }   // wordsArrived shows it
    n.textContent = w.text;
    setLangDir(n, w.lang, directionOf(w.lang));
    n.hidden = false;
  }

  // ---- take it home on the phone (docs/kiosk.md) ---------------------------------------------
  // On a results step the page asks the server for a link ({"type":"take_home"}) and shows its
  // QR code (drawn by the server at 6 CSS px per module) with a switch "also delete the phone
  // link when finishing". The link opens this page at /t/<link> on the family's phone: website
  // mode, no socket, no idle wipe; it shows the same offers from /t/<link>.json.

  const takeHome = {
    offered: false,          // /config.json take_home: the server has a public_url
    key: null,               // the results step the link is for
    link: null, url: null, qr: null, expires: 0, words: null,
    revoke: false,           // the family's switch
    revokeOnForget: null,    // the link to revoke with the next forget (until "forgotten")
  };

  /* The words of the phone link: the server's (from the catalogues, in the link's language),
   * else the page's own. */
  function thWord(key, lang, words) {
    // the server sends these words with the link (take_home, /t/<link>.json)
    return words && typeof words[key] === 'string' && words[key] ? words[key] : word('take_home_' + key, lang);
  }

  function forgetMessage() {
    const m = { type: 'forget' };
    if (takeHome.revokeOnForget) m.revoke = takeHome.revokeOnForget;
    return m;
  }

  /* The visit ends (Finish, or the idle wipe): remember the link to revoke if the family chose
   * so, and take the element away. */
  function takeHomeEnd() {
    if (takeHome.revoke && takeHome.link) takeHome.revokeOnForget = takeHome.link;
    takeHome.key = takeHome.link = takeHome.url = takeHome.qr = takeHome.words = null;
    takeHome.revoke = false;
    const box = $('take-home');
    if (box) { clear(box); box.hidden = true; }
  }

  /* The element with id take-home: the placeholder in the results' part of the layout
   * (index.html; placeResultsExtras puts it within reach on a portrait kiosk). */
  function takeHomeBox() {
    return $('take-home');
  }

  /* Called whenever the newest step is shown (s null: none). */
  function takeHomeStep(s) {
    const key = s && s.kind === 'offers' && takeHome.offered && !state.preview
      ? [s.tenant, s.lang, s.flow, s.node, (s.offers || []).map((o) => o.id).join(',')].join('|')
      : null;
    if (!key) {
      takeHome.key = null;
      const box = $('take-home');
      if (box) { clear(box); box.hidden = true; }
      return;
    }
    if (key === takeHome.key) return;
    takeHome.key = key;
    takeHome.link = null;
    const box = takeHomeBox();
    clear(box);
    box.hidden = true;
    send({ type: 'take_home' });
  }

  function onTakeHome(m) {
    if (!takeHome.key || typeof m.url !== 'string' || typeof m.qr !== 'string') return;
    const match = /\/t\/([A-Za-z0-9_-]+)$/.exec(m.url);
    if (!match) return;
    if (takeHome.link && takeHome.revoke) takeHome.revokeOnForget = takeHome.link;
    takeHome.link = match[1];
    takeHome.url = m.url;
    takeHome.qr = m.qr;
    takeHome.expires = Number(m.expires) || 0;
    takeHome.words = m.words || null;
    renderTakeHome();
  }

  function renderTakeHome() {
    const box = takeHomeBox();
    const lang = state.lang;
    clear(box);
    box.lang = lang;
    box.dir = state.dir;
    box.setAttribute('aria-labelledby', 'take-home-title');
    const h = el('h2', null, thWord('title', lang, takeHome.words));
    h.id = 'take-home-title';
    box.appendChild(h);
    const img = el('img', 'qr take-home-qr');
    img.id = 'take-home-qr';
    img.alt = thWord('title', lang, takeHome.words);
    img.addEventListener('error', () => { box.hidden = true; });
    img.addEventListener('load', keepZoneEnd);   // the code's height is known only now
    img.src = takeHome.qr;
    box.appendChild(img);
    box.appendChild(el('p', 'take-home-hint', thWord('hint', lang, takeHome.words)));
    if (takeHome.expires) {
      const until = el('p', 'take-home-until', thWord('until', lang, takeHome.words) + ' ');
      const t = el('time', null, new Date(takeHome.expires * 1000).toLocaleString(lang,
        { dateStyle: 'medium', timeStyle: 'short', numberingSystem: 'latn' }));
      t.dateTime = new Date(takeHome.expires * 1000).toISOString();
      until.appendChild(t);
      box.appendChild(until);
    }
    const label = el('label', 'take-home-revoke');
    const cb = el('input');
    cb.type = 'checkbox';
    cb.id = 'take-home-revoke';
    cb.checked = takeHome.revoke;
    cb.addEventListener('change', () => { takeHome.revoke = cb.checked; });
    label.appendChild(cb);
    label.appendChild(el('span', null, thWord('revoke', lang, takeHome.words)));
    box.appendChild(label);
    box.hidden = false;
    keepZoneEnd();
  }

  /* The office's contact card as a vCard QR code (/qr/<tenant>.svg). */
  function contactQr(c, s) {
    const qr = el('img', 'qr contact-qr');
    qr.alt = word('qr', s.lang) + ': ' + (c.name || '');
    qr.decoding = 'async';
    qr.addEventListener('error', () => { qr.hidden = true; });
    qr.src = '/qr/' + seg(s.tenant) + '.svg?lang=' + seg(s.lang);
    return qr;
  }

  /* The link of /t/<link>, or null when this is not the phone link's page. */
  function linkFromPath() {
    const m = /^\/t\/([A-Za-z0-9_-]{1,2900})$/.exec(location.pathname);
    return m ? m[1] : null;
  }

  /* The phone link's page: the offers of /t/<link>.json in the link's language and direction,
   * or, once the link expired or was deleted, a message saying so. */
  function initLinkPage() {
    const link = linkFromPath();
    document.body.classList.add('take-home-page');
    for (const id of ['back', 'restart', 'language']) $(id).hidden = true;
    $('large-text').addEventListener('click', cycleTextSize);
    $('contrast').addEventListener('click', () => { state.contrast = !state.contrast; applyToggles(); });
    applyToggles();
    for (const id of ['welcome', 'offices', 'languages']) $(id).hidden = true;
    $('chat').hidden = false;
    $('bar').hidden = false;
    state.screen = 'chat';
    fetch('/t/' + link + '.json', { cache: 'no-store' })
      .then((r) => r.json().then((j) => ({ ok: r.ok, j })))
      .then(({ ok, j }) => (ok ? linkWords(j).then(() => showLinkOffers(j)) : showLinkGone(j)))
      .catch(() => showLinkGone({}));
    loadVoices();
  }

  /* The page's words in the link's language (the cards' labels, print, contact), before the
   * cards are drawn; resolves also when they cannot be had. */
  function linkWords(j) {
    const lang = typeof j.lang === 'string' ? j.lang : '';
    if (!lang || !j.tenant || state.words[lang]) return Promise.resolve();
    state.wordsAsked[lang] = true;
    return fetch('/speak/' + seg(j.tenant) + '/' + seg(lang) + '/words.json', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null))
      .then((w) => { if (w && w.words && typeof w.words === 'object') state.words[lang] = w.words; })
      .catch(() => { /* the cards without their labels */ });
  }

  function showLinkOffers(j) {
    const lang = j.lang;
    const dir = j.dir === 'rtl' ? 'rtl' : 'ltr';
    state.lang = lang;
    state.dir = dir;
    state.tenantId = j.tenant;
    setPageLang(lang, dir);
    applyWords();
    for (const id of ['back', 'restart', 'language']) $(id).hidden = true;
    $('chat-title').textContent = thWord('page', lang, j.words);
    $('chat-title').removeAttribute('lang');
    const s = { tenant: j.tenant, lang, dir, offers: j.offers || [] };
    const log = $('log');
    clear(log);
    const li = el('li', 'msg bot');
    li.lang = lang;
    li.dataset.kind = 'offers';
    if (j.offers_text) li.appendChild(el('p', 'count', j.offers_text));
    const ul = el('ul', 'offers');
    s.offers.forEach((o) => {
      const item = el('li');
      item.appendChild(offerCard(o, s, 0));
      ul.appendChild(item);
    });
    li.appendChild(ul);
    if (j.contact) li.appendChild(contactCard(j.contact, s, 0));
    for (const child of li.children) child.dir = dir;
    log.appendChild(li);
  }

  function showLinkGone(j) {
    const known = typeof j.lang === 'string' && /^[a-z]{2,3}(-x-[a-z0-9]{1,8})?$/.test(j.lang);
    const lang = known ? j.lang : ((navigator.language || '').slice(0, 2) === 'de' ? 'de' : 'en');
    setPageLang(lang, known ? (j.dir === 'rtl' ? 'rtl' : 'ltr') : directionOf(lang));
    applyWords();
    for (const id of ['back', 'restart', 'language']) $(id).hidden = true;
    // the answer names no office, so the page's words (the bar's labels) cannot be asked for:
    // no unlabelled buttons, the message alone
    if (!wordOf('large', lang)) $('bar').hidden = true;
    $('chat-title').textContent = thWord('page', lang, j.words);
    const p = el('p', 'take-home-gone', thWord('expired', lang, j.words));
    p.id = 'take-home-gone';
    p.setAttribute('role', 'alert');
    clear($('log'));
    $('log').after(p);
  }

  // ---- print ----------------------------------------------------------------------------------

  function printCard(card) {
    document.body.classList.add('print-one');
    card.classList.add('print-this');
    window.print();
  }

  /* "Print all": one sheet in the conversation's language and direction: the office and the
   * date, the answers given (each question with its answer), the offers of the newest results
   * with their facts and QR codes, the office's contact. */
  function buildPrintSheet() {
    const sheet = $('print-sheet');
    clear(sheet);
    const lang = state.lang || uiLang();
    setLangDir(sheet, lang, state.dir);
    const t = tenant();
    const head = el('header', 'sheet-head');
    const h = el('h1', null, word('printTitle', lang));
    head.appendChild(h);
    if (t) {
      const office = el('p', 'sheet-office', t.name);
      office.lang = t.default_lang;
      office.dir = 'auto';
      head.appendChild(office);
    }
    let date = '';
    try {
      // Western digits, as in every time, phone number and address of the catalogues
      date = new Intl.DateTimeFormat(lang, { dateStyle: 'long', numberingSystem: 'latn' })
        .format(new Date());
    } catch (e) {
      date = new Date().toISOString().slice(0, 10);
    }
    head.appendChild(el('p', 'sheet-date', date));
    sheet.appendChild(head);

    // the answers given: every question followed by the person's answer
    const dl = el('dl', 'sheet-answers');
    let results = null;
    state.history.forEach((e, i) => {
      if (e.t === 'bot' && e.step.kind === 'offers') results = e.step;
      const next = state.history[i + 1];
      if (e.t !== 'bot' || !next || next.t !== 'me') return;
      const row = el('div', 'sheet-answer');
      const q = el('dt', null, e.step.text);
      q.lang = e.step.lang;
      q.dir = 'auto';
      const a = el('dd', null, next.text);
      a.lang = next.lang;
      a.dir = 'auto';
      row.appendChild(q);
      row.appendChild(a);
      dl.appendChild(row);
    });
    if (dl.children.length) {
      sheet.appendChild(el('h2', null, word('answers', lang)));
      sheet.appendChild(dl);
    }

    const last = lastBot();
    if (results && results.offers && results.offers.length) {
      sheet.appendChild(el('h2', null, results.offers_text || results.text));
      const ol = el('ol', 'sheet-offers');
      for (const o of results.offers) {
        const li = el('li', 'sheet-offer');
        li.appendChild(el('h3', null, o.title));
        if (o.description) li.appendChild(el('p', 'desc', o.description));
        const facts = el('dl', 'facts');
        fact(facts, 'when', lang, o.hours);
        fact(facts, 'where', lang, [o.address, o.district].filter(Boolean).join(' · '), 'auto');
        if (o.phone) fact(facts, 'phone', lang, o.phone, 'ltr');
        if (o.email) fact(facts, 'email', lang, o.email, 'ltr');
        if (o.web) fact(facts, 'web', lang, o.web, 'ltr');
        fact(facts, 'cost', lang, o.cost);
        li.appendChild(facts);
        const qr = el('img', 'qr');
        qr.alt = word('qr', lang) + ': ' + o.title;
        qr.src = '/qr/' + seg(results.tenant) + '/' + seg(o.id) + '.svg?lang=' + seg(results.lang);
        li.appendChild(qr);
        ol.appendChild(li);
      }
      sheet.appendChild(ol);
    }

    const c = (last && last.contact) || (results && results.contact);
    if (c) {
      const box = el('section', 'sheet-contact');
      box.appendChild(el('h2', null, word('contact', lang)));
      if (c.name) box.appendChild(el('p', 'contact-name', c.name));
      if (c.person) box.appendChild(el('p', null, c.person));
      const facts = el('dl', 'facts');
      fact(facts, 'when', lang, c.hours);
      fact(facts, 'where', lang, c.address, 'auto');
      if (c.phone) fact(facts, 'phone', lang, c.phone, 'ltr');
      if (c.email) fact(facts, 'email', lang, c.email, 'ltr');
      if (c.web) fact(facts, 'web', lang, c.web, 'ltr');
      box.appendChild(facts);
      sheet.appendChild(box);
    }
    return sheet;
  }

  /* Prints the sheet once its QR codes have loaded (a code that fails is left out). */
  function printAll() {
    const sheet = buildPrintSheet();
    document.body.classList.add('print-all');
    const imgs = [...sheet.querySelectorAll('img')];
    Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => {
      i.addEventListener('load', r, { once: true });
      i.addEventListener('error', () => { i.remove(); r(); }, { once: true });
    })))).then(() => window.print());
  }

  window.addEventListener('afterprint', () => {
    document.body.classList.remove('print-all');
    document.body.classList.remove('print-one');
    for (const c of document.querySelectorAll('.print-this')) c.classList.remove('print-this');
  });

  // ---- enabling ---------------------------------------------------------------------------------

  function updateEnabled() {
    const act = canAct();
    for (const b of document.querySelectorAll('.choice, .tile, #end button, #results-actions button'))
      b.disabled = !act;
    for (const b of document.querySelectorAll('#welcome-langs .tile'))
      b.disabled = !act || !state.tenants.length;
    const s = lastBot();
    $('back').disabled = state.screen === 'chat' ? !(act && s && s.can_back) : false;
    $('restart').disabled = state.token ? !act : false;
    $('language').disabled = state.screen === 'languages' || (state.token ? !act : false);
  }

  // ---- idle: "are you still there?", then wipe everything -------------------------------------

  function armIdle() {
    clearTimeout(state.idleTimer);
    state.idleTimer = 0;
    if (state.screen === 'welcome' && !state.token) return;
    if ($('idle').open) return;
    state.idleTimer = setTimeout(openIdle, state.idleTimeout * 1000);
  }

  function openIdle() {
    state.countLeft = state.idleCountdown;
    $('idle-count').textContent = String(state.countLeft);
    applyWords();
    const sp = $('idle-speak');
    clear(sp);
    const office = tenant() ? tenant().id : officeFor(uiLang());
    const b = office ? speakButton(office, uiLang(), 'words/idle', true) : null;
    if (b) sp.appendChild(b);
    const d = $('idle');
    if (!d.open) d.showModal();
    $('idle-yes').focus();
    clearInterval(state.countTimer);
    state.countTimer = setInterval(tick, 1000);
  }

  function tick() {
    state.countLeft--;
    $('idle-count').textContent = String(Math.max(0, state.countLeft));
    if (state.countLeft <= 0) {
      closeIdle();
      resetAll();
    }
  }

  function closeIdle() {
    if (audioButton && $('idle').contains(audioButton)) stopAudio();
    clearInterval(state.countTimer);
    state.countTimer = 0;
    const d = $('idle');
    if (d.open) d.close();
  }

  function stillHere() {
    closeIdle();
    armIdle();
  }

  /* "Finish": first the reminder to take the print-out or scan the code; only "Finish now"
   * wipes everything. */
  function openFinish() {
    stopAudio();
    const d = $('finish');
    if (!d.open) d.showModal();
    $('finish-back').focus();
  }

  function closeFinish() {
    const d = $('finish');
    if (d.open) d.close();
  }

  /* The idle reset (and "Finish now"): the server forgets, the page forgets, welcome returns. */
  function resetAll() {
    stopAudio();
    takeHomeEnd();
    if (state.token) {
      state.purge = state.token;    // until the server says "forgotten"
      if (state.connected) {
        state.pending = 'forget';
        send(forgetMessage());
      }
    }
    resetLocal(true);
  }

  /* Wipes the conversation from the page; keepPending keeps a forget we are waiting for. */
  function resetLocal(keepPending) {
    closeIdle();
    closeFinish();
    takeHomeStep(null);
    stopAudio();
    if (!keepPending) state.pending = null;
    state.token = null;
    state.history = [];
    state.replay = null;
    state.replayStep = null;
    state.lang = null;
    state.chosen = null;
    state.dir = 'ltr';
    state.textSize = 0;
    state.contrast = false;
    state.tenantId = state.pinned;
  if (state.preview) {
    const l = new URLSearchParams(location.search).get('lang');
    state.previewLang = l && /^[a-z]{2,3}(-x-[a-z0-9]{1,4})?$/.test(l) ? l : null;
  }
    wipeStorage();
    clear($('log'));
    clear($('choices'));
    clear($('step-speak'));
    clear($('results-feedback'));
    clear($('print-sheet'));
    $('results-actions').hidden = true;
    showNotice(null);
    $('announce').textContent = '';
    $('no-voice').hidden = true;
    applyToggles();
    const t = tenant();
    setPageLang(t ? t.default_lang : 'de', t ? langInfo(t.default_lang).dir : 'ltr');
    applyWords();
    show('welcome');
  }

  function onActivity(ev) {
    state.lastInput = ev.type === 'keydown' ? 'key' : 'pointer';
    if (!$('idle').open) armIdle();
  }

  // ---- the connection ---------------------------------------------------------------------------

  function send(msg) {
    if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
  }

  function applyConfig(cfg) {
    const idle = Number(cfg.idle_timeout);
    const count = Number(cfg.idle_countdown);
    if (idle > 0) state.idleTimeout = idle;
    if (count > 0) state.idleCountdown = Math.max(MIN_COUNTDOWN, count);
    const reach = Number(cfg.reach_zone);
    if (reach >= 20 && reach <= 100)    // % of the screen's height (style.css, --reach)
      document.documentElement.style.setProperty('--reach', String(reach));
    takeHome.offered = cfg.take_home === true;
  }

  /* The bar's height, for the reach zone above it on a portrait screen (style.css --bar-h). */
  function watchBar() {
    const set = () => document.documentElement.style.setProperty('--bar-h',
      $('bar').getBoundingClientRect().height + 'px');
    if (window.ResizeObserver) new ResizeObserver(set).observe($('bar'));
    set();
  }

  /* The socket's URL from /config.json (docs/protocol.md, "Where to connect"). Port null: the
   * path on the page's own origin (behind a proxy, docs/nginx.md); wss when the page is https. */
  function socketUrl(cfg) {
    const s = cfg.socket || {};
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    if (!s.port) return scheme + location.host + (s.path || '/');
    let host = s.host || location.hostname;
    if (host.indexOf(':') >= 0 && host[0] !== '[') host = '[' + host + ']';
    return scheme + host + ':' + s.port + (s.path || '/');
  }

  /* Asks /config.json every time: after a server restart the socket may have moved. */
  function connect() {
    clearTimeout(state.retryTimer);
    state.retryTimer = 0;
    fetch('/config.json', { cache: 'no-store' })
      .then((r) => { if (!r.ok) throw new Error('config'); return r.json(); })
      .then((cfg) => { applyConfig(cfg); armIdle(); openSocket(socketUrl(cfg)); })
      .catch(() => lost());
  }

  function openSocket(url) {
    let ws;
    try { ws = new WebSocket(url); } catch (e) { lost(); return; }
    state.ws = ws;
    ws.addEventListener('open', () => { if (ws === state.ws) onOpen(); });
    ws.addEventListener('message', (ev) => { if (ws === state.ws) onMessage(ev); });
    ws.addEventListener('close', (ev) => { if (ws === state.ws) onClose(ev); });
  }

  function onOpen() {
    state.connected = true;
    state.everConnected = true;
    state.retry = 0;
    showLost(false);
    if (state.purge) {
      state.pending = 'purge';
      send({ type: 'resume', token: state.purge });
    } else if (state.token) {
      state.pending = 'resume';
      send({ type: 'resume', token: state.token });
    }
    updateEnabled();
  }

  function onClose(ev) {
    state.ws = null;
    state.connected = false;
    state.pending = null;   // resume (or purge) on the next connection sorts it out
    if (state.replay) { state.replay = null; state.replayStep = null; }
    if (ev.code === 4000) resetLocal(false);   // the conversation went to another connection
    lost();
    updateEnabled();
  }

  function lost() {
    showLost(true);
    const delay = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, state.retry));
    state.retry = Math.min(state.retry + 1, 16);
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(connect, delay * (0.8 + Math.random() * 0.4));
  }

  function showLost(on) {
    const n = $('lost');
    if (!on) { n.hidden = true; n.textContent = ''; return; }
    showNotice(null);
    const w = wordOf('lost', uiLang());
    n.hidden = false;
    n.textContent = w.text;
    setLangDir(n, w.lang, directionOf(w.lang));
  }

  function onMessage(ev) {
    let m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (!m || typeof m !== 'object') return;
    if (m.type === 'tenants') onTenants(m);
    else if (m.type === 'take_home') onTakeHome(m);
    else if (m.type === 'step') onStep(m);
    else if (m.type === 'error') onError(m);
    else if (m.type === 'forgotten') {
      if (state.pending === 'forget') state.pending = null;
      state.purge = null;
      takeHome.revokeOnForget = null;
      updateEnabled();
    }
  }

  function onTenants(m) {
    state.tenants = Array.isArray(m.tenants) ? m.tenants : [];
    if (state.pinned && !state.tenants.some((t) => t.id === state.pinned)) state.pinned = null;
    if (state.tenantId && !tenant()) state.tenantId = state.pinned;
    if (!state.lang) {
      const t = tenant();
      if (t) setPageLang(t.default_lang, langInfo(t.default_lang).dir);
    }
    applyWords();
    for (const l of greetingLanguages()) loadWords(l.code);   // the welcome greets in each
    const t = tenant();
    if (state.previewLang && !state.token && t && t.languages.some((l) => l.code === state.previewLang)) {
      const lang = state.previewLang;
      state.previewLang = null;      // a preview starts right away, once
      pickLanguage(lang);
    }
    if (state.screen === 'welcome') startGreetings();
    if (state.screen === 'offices') renderOffices();
    if (state.screen === 'languages') renderLanguages();
    updateEnabled();
  }

  function loadVoices() {
    fetch('/speak/voices.json', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : { voices: [] }))
      .then((v) => {
        state.voices = new Set(Array.isArray(v.voices) ? v.voices : []);
        state.voicesKnown = true;
        stopAudio();
        if (state.history.length) { renderLog(); renderCurrent(); }
        // the welcome's tiles get their speakers too (the voices may come after the offices)
        if (state.screen === 'welcome') { showWelcomeLanguages(); showGreeting(); }
        if (state.screen === 'languages') renderLanguages();
        showNoVoice();
      })
      .catch(() => { /* no voices: no speaker buttons */ });
  }

  // ---- anonymous statistics: the page's events, feedback, privacy (docs/privacy.md) ----------

  // The server counts what the page alone sees ({"type":"event"}, docs/protocol.md): a print,
  // the QR codes of a results step shown, reading aloud used, and the family's one touch on a
  // results step. Nothing identifying is sent: the event's name only, at the current step.
  const catalogWordsCache = {};   // "<tenant>/<lang>" -> Promise of words.json's words ({} if none)
  const feedbackDone = new Map(); // "<conversation id>/<log index>" -> the feedback touched there
  const qrNoted = new Set();      // "<conversation id>/<log entry>": its QR codes were counted

  /* The catalogue's words for the page (/speak/<tenant>/<lang>/words.json), asked once. */
  function catalogWords(tenantId, lang) {
    const key = tenantId + '/' + lang;
    if (!catalogWordsCache[key]) {
      catalogWordsCache[key] = fetch('/speak/' + seg(tenantId) + '/' + seg(lang) + '/words.json',
        { cache: 'no-store' })
        .then((r) => (r.ok ? r.json() : null))
        .then((j) => (j && j.words && typeof j.words === 'object' ? j.words : {}))
        .catch(() => ({}));
    }
    return catalogWordsCache[key];
  }

  /* Puts a catalogue word (its text, in the language it came in) into node; false if missing.
   * (Not putWord above, which takes the page's word by key and language from state.words.) */
  function putCatalogWord(node, words, key) {
    const w = words[key];
    if (!w || typeof w.text !== 'string' || !w.text) return false;
    node.textContent = w.text;
    if (typeof w.lang === 'string') setLangDir(node, w.lang, directionOf(w.lang));
    return true;
  }

  function conversationId() {
    return (state.token || '').split('.')[0];
  }

  /* Sends an event of the page, counted at the conversation's current step. */
  function sendEvent(what) {
    if (!state.token || state.pending === 'forget' || state.pending === 'purge') return;
    send({ type: 'event', what: what });
  }

  /* The feedback block under the offers of a results step: "Did this help you?" Yes / No, and
   * "None of this fits"; one touch, then thanks and the buttons go. Words from the catalogue;
   * hidden until they are there. Returns the element. */
  function feedbackBlock(s, index) {
    const key = conversationId() + '/' + index;
    const box = el('div', 'feedback');
    box.hidden = true;
    setLangDir(box, s.lang, s.dir);
    const question = el('p', 'feedback-question');
    const row = el('div', 'feedback-buttons');
    const thanks = el('p', 'feedback-thanks');
    thanks.setAttribute('role', 'status');
    const kinds = [['helped', 'fb_yes'], ['not_helped', 'fb_no'], ['nothing_fits', 'fb_nothing']];
    const buttons = kinds.map(([what, wordKey]) => {
      const b = button('feedback-button', null, () => {
        if (feedbackDone.has(key)) return;
        feedbackDone.set(key, what);
        sendEvent(what);
        answered();
      });
      b.dataset.what = what;
      b.dataset.fb = wordKey;
      row.appendChild(b);
      return b;
    });
    function answered() {
      question.remove();
      row.remove();
      thanks.hidden = false;
    }
    thanks.hidden = true;
    box.appendChild(question);
    box.appendChild(row);
    box.appendChild(thanks);
    catalogWords(s.tenant, s.lang).then((words) => {
      if (!putCatalogWord(question, words, 'fb_question') || !putCatalogWord(thanks, words, 'fb_thanks')) return;
      for (const b of buttons) if (!putCatalogWord(b, words, b.dataset.fb)) return;
      box.hidden = false;
      keepZoneEnd();
    });
    if (feedbackDone.has(key)) answered();
    return box;
  }

  /* A results step's QR codes were shown: counted once per step of the log. */
  function noteQr(ev) {
    const img = ev.target;
    if (!(img instanceof HTMLImageElement) || !img.classList.contains('qr')) return;
    const li = img.closest('li.msg');
    const key = conversationId() + '/' + (li ? li.id : '');
    if (qrNoted.has(key)) return;
    qrNoted.add(key);
    sendEvent('qr');
  }

  /* Print and read aloud in the conversation, seen where they are touched. */
  function noteTouch(ev) {
    const t = ev.target instanceof Element ? ev.target : null;
    if (!t || state.screen !== 'chat') return;
    if (t.closest('button.print')) sendEvent('print');
    else if (t.closest('button.speak')) sendEvent('read_aloud');
  }

  /* The "Datenschutz" link on the welcome screen, in the page's language (catalogue). */
  function privacyWords() {
    const link = $('privacy-open');
    const t = tenant() || state.tenants[0];
    if (!link) return;
    if (!t) { link.hidden = true; return; }
    const lang = state.lang || t.default_lang;
    catalogWords(t.id, lang).then((words) => { link.hidden = !putCatalogWord(link, words, 'privacy_title'); });
  }

  /* The privacy dialog: what is counted and what never is, in every language of the office (the
   * page's language first), from the catalogues. */
  function openPrivacy() {
    const t = tenant() || state.tenants[0];
    if (!t) return;
    let d = $('privacy');
    if (!d) {
      d = el('dialog', 'privacy');
      d.id = 'privacy';
      d.setAttribute('aria-labelledby', 'privacy-title');
      document.body.appendChild(d);
    }
    clear(d);
    const first = state.lang || t.default_lang;
    const langs = [first].concat(t.languages.map((l) => l.code).filter((c) => c !== first));
    const title = el('h2');
    title.id = 'privacy-title';
    const body = el('div', 'privacy-texts');
    const close = button('privacy-close', null, () => d.close());
    d.appendChild(title);
    d.appendChild(body);
    d.appendChild(close);
    Promise.all(langs.map((l) => catalogWords(t.id, l))).then((all) => {
      putCatalogWord(title, all[0], 'privacy_title');
      putCatalogWord(close, all[0], 'privacy_close');
      const seen = new Set();
      all.forEach((words) => {
        const w = words.privacy_text;
        if (!w || typeof w.text !== 'string' || seen.has(w.text)) return;   // a fallback repeated
        seen.add(w.text);
        const p = el('p', 'privacy-text');
        putCatalogWord(p, words, 'privacy_text');
        body.appendChild(p);
      });
      if (!d.open) d.showModal();      // with its words, never empty
    });
  }

  function initStats() {
    const link = el('button', 'privacy-link');
    link.type = 'button';
    link.id = 'privacy-open';
    link.hidden = true;
    link.addEventListener('click', (ev) => { ev.stopPropagation(); openPrivacy(); });
    $('welcome').appendChild(link);
    document.addEventListener('load', noteQr, true);      // load does not bubble: capture it
    document.addEventListener('click', noteTouch, true);
    privacyWords();
  }

  // ---- start --------------------------------------------------------------------------------

  function init() {
    load();
    applyToggles();
    $('back').addEventListener('click', goBack);
    $('restart').addEventListener('click', restart);
    $('end-restart').addEventListener('click', restart);
    $('end-finish').addEventListener('click', openFinish);
    $('results-finish').addEventListener('click', openFinish);
    $('print-all').addEventListener('click', printAll);
    $('finish-back').addEventListener('click', closeFinish);
    $('finish-now').addEventListener('click', () => { closeFinish(); resetAll(); });
    $('language').addEventListener('click', () => {
      if (tenant()) show('languages');
      else resetLocal(false);           // before an office: the welcome is the language picker
    });
    $('large-text').addEventListener('click', cycleTextSize);
    $('contrast').addEventListener('click', () => {
      state.contrast = !state.contrast; applyToggles(); save();
    });
    $('idle-yes').addEventListener('click', stillHere);
    $('idle').addEventListener('cancel', (ev) => { ev.preventDefault(); stillHere(); });
    watchBar();
    if (window.matchMedia) window.matchMedia(PORTRAIT_KIOSK).addEventListener('change', () => {
      placeResultsExtras();
      keepZoneEnd();
    });
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart'])
      document.addEventListener(type, onActivity, { capture: true, passive: true });
    for (const type of ['pointerdown', 'keydown'])
      document.addEventListener(type, stopOnInput, { capture: true, passive: true });
    document.addEventListener('visibilitychange', () => { if (document.hidden) stopAudio(); });
    window.addEventListener('pagehide', stopAudio);
    initStats();
    if (state.token) {
      setPageLang(state.lang, state.dir);
      renderLog();
      renderCurrent();
      show('chat');
      const last = $('log').lastElementChild;
      if (last) last.scrollIntoView({ block: 'start' });
    } else {
      show('welcome');
    }
    applyWords();
    loadVoices();
    connect();
  }

  document.addEventListener('DOMContentLoaded', linkFromPath() ? initLinkPage : init);
})();
