// app.js - the kiosk page's logic (see docs/kiosk.md; the protocol is docs/protocol.md).
//
// A family meets this page alone on a touchscreen, or on a phone: a greeting in the office's
// languages, a language picker, the conversation as a chat with big answer buttons, offer cards
// to take home (QR code, print, read aloud). It leaves nothing behind: after idle_timeout seconds
// without a touch an "Are you still there?" overlay counts down, then the page wipes the
// conversation (DOM, sessionStorage, localStorage) and asks the server to forget it.
// A dropped connection is retried with backoff and the conversation resumed with its token.
//
// Every text from the server is inserted with textContent, never as HTML. The page's own few
// words are in WORDS below (the server's catalogues do not have them).
// On a portrait kiosk screen everything to touch sits in the reach zone at the bottom (its height
// from /config.json's reach_zone); the results end in a fixed area: talk to a person, print all
// (one sheet, built here) and finish (after a reminder).
'use strict';

(function () {
  // ---- the page's own words, per language -------------------------------------------------
  // Short on purpose. Languages missing here fall back to English (FALLBACK_LANG).
  const WORDS = {
    de: {
      greet: 'Willkommen', start: 'Bitte hier berühren', office: 'Bildungsbüro wählen',
      chooseLanguage: 'Sprache wählen', language: 'Sprache', back: 'Zurück',
      restart: 'Neu beginnen', finish: 'Beenden', large: 'Große Schrift', contrast: 'Kontrast',
      listen: 'Vorlesen', print: 'Drucken', idleTitle: 'Sind Sie noch da?',
      idleText: 'Sonst wird gleich alles gelöscht.', yes: 'Ja, weiter',
      lost: 'Verbindung unterbrochen. Neuer Versuch …', sample: 'Beispieldaten',
      when: 'Wann', where: 'Wo', phone: 'Telefon', email: 'E-Mail', web: 'Internet',
      langs: 'Sprachen', cost: 'Kosten', qr: 'QR-Code mit den Kontaktdaten', contact: 'Kontakt',
      listenAll: 'Alle Antworten vorlesen',
      you: 'Sie',
      // results screen and print all (task h-klayout)
      printAll: 'Alles drucken', printTitle: 'Ihre Ergebnisse', answers: 'Ihre Antworten',
      finishTitle: 'Alles wird gelöscht', finishNow: 'Jetzt beenden',
      finishText: 'Bitte nehmen Sie Ihren Ausdruck mit oder scannen Sie den QR-Code. Danach wird alles gelöscht.',
      takeHomeTitle: 'Auf Ihr Telefon mitnehmen',
      takeHomeHint: 'Scannen Sie den Code mit der Kamera Ihres Telefons. Dann sehen Sie diese Angebote auch auf Ihrem Telefon.',
      takeHomeUntil: 'Der Link gilt bis:',
      takeHomeRevoke: 'Beim Beenden auch den Link für das Telefon löschen',
      takeHomePage: 'Ihre Angebote vom Bildungsbüro',
      takeHomeExpired: 'Dieser Link gilt nicht mehr. Er ist abgelaufen oder wurde gelöscht. Sie können am Bildschirm im Bildungsbüro neu beginnen.',
    },
    en: {
      greet: 'Welcome', start: 'Touch here to start', office: 'Choose your office',
      chooseLanguage: 'Choose your language', language: 'Language', back: 'Back',
      restart: 'Start over', finish: 'Finish', large: 'Large text', contrast: 'High contrast',
      listen: 'Read aloud', print: 'Print', idleTitle: 'Are you still there?',
      idleText: 'Otherwise everything will be deleted soon.', yes: 'Yes, continue',
      lost: 'Connection lost. Reconnecting …', sample: 'Sample data',
      when: 'When', where: 'Where', phone: 'Phone', email: 'Email', web: 'Website',
      langs: 'Languages', cost: 'Cost', qr: 'QR code with the contact details', contact: 'Contact',
      listenAll: 'Read all answers',
      you: 'You',
      // results screen and print all (task h-klayout)
      printAll: 'Print all', printTitle: 'Your results', answers: 'Your answers',
      finishTitle: 'Everything will be deleted', finishNow: 'Finish now',
      finishText: 'Please take your print-out with you or scan the QR code. After that, everything will be deleted.',
      takeHomeTitle: 'Take it home on your phone',
      takeHomeHint: 'Scan the code with the camera of your phone. Then you will see these offers on your phone too.',
      takeHomeUntil: 'The link works until:',
      takeHomeRevoke: 'Also delete the phone link when finishing',
      takeHomePage: 'Your offers from the education office',
      takeHomeExpired: 'This link no longer works. It has expired or was deleted. You can start again at the screen in the education office.',
    },
    ar: {
      greet: 'أهلاً وسهلاً', start: 'المس هنا للبدء', office: 'اختر المكتب',
      chooseLanguage: 'اختر لغتك', language: 'اللغة', back: 'رجوع',
      restart: 'البدء من جديد', finish: 'إنهاء', large: 'خط كبير', contrast: 'تباين عالٍ',
      listen: 'استمع', print: 'طباعة', idleTitle: 'هل ما زلت هنا؟',
      idleText: 'وإلا سيُحذف كل شيء بعد قليل.', yes: 'نعم، متابعة',
      lost: 'انقطع الاتصال. جارٍ إعادة الاتصال …', sample: 'بيانات تجريبية',
      when: 'متى', where: 'أين', phone: 'الهاتف', email: 'البريد الإلكتروني', web: 'الموقع',
      langs: 'اللغات', cost: 'التكلفة', qr: 'رمز QR مع بيانات الاتصال', contact: 'التواصل',
      listenAll: 'استمع إلى كل الإجابات',
      you: 'أنت',
      // results screen and print all (task h-klayout)
      printAll: 'طباعة الكل', printTitle: 'نتائجكم', answers: 'إجاباتكم',
      finishTitle: 'سيُحذف كل شيء', finishNow: 'إنهاء الآن',
      finishText: 'يُرجى أخذ الورقة المطبوعة أو مسح رمز QR. بعد ذلك سيُحذف كل شيء.',
    },
    fa: {
      greet: 'خوش آمدید', start: 'برای شروع اینجا را لمس کنید', office: 'اداره را انتخاب کنید',
      chooseLanguage: 'زبان خود را انتخاب کنید', language: 'زبان', back: 'بازگشت',
      restart: 'شروع دوباره', finish: 'پایان', large: 'متن بزرگ', contrast: 'کنتراست بالا',
      listen: 'بلند خواندن', print: 'چاپ', idleTitle: 'هنوز اینجا هستید؟',
      idleText: 'وگرنه به‌زودی همه چیز پاک می‌شود.', yes: 'بله، ادامه',
      lost: 'اتصال قطع شد. در حال اتصال دوباره …', sample: 'داده‌های نمونه',
      when: 'چه زمانی', where: 'کجا', phone: 'تلفن', email: 'ایمیل', web: 'وب‌سایت',
      langs: 'زبان‌ها', cost: 'هزینه', qr: 'کد QR با اطلاعات تماس', contact: 'تماس',
      listenAll: 'شنیدن همه پاسخ‌ها',
      you: 'شما',
      // results screen and print all (task h-klayout)
      printAll: 'چاپ همه', printTitle: 'نتایج شما', answers: 'پاسخ‌های شما',
      finishTitle: 'همه چیز پاک می‌شود', finishNow: 'اکنون پایان دهید',
      finishText: 'لطفاً برگهٔ چاپی را بردارید یا کد QR را اسکن کنید. پس از آن همه چیز پاک می‌شود.',
    },
    tr: {
      greet: 'Hoş geldiniz', start: 'Başlamak için buraya dokunun', office: 'Kurumunuzu seçin',
      chooseLanguage: 'Dilinizi seçin', language: 'Dil', back: 'Geri',
      restart: 'Baştan başla', finish: 'Bitir', large: 'Büyük yazı', contrast: 'Yüksek kontrast',
      listen: 'Sesli oku', print: 'Yazdır', idleTitle: 'Hâlâ burada mısınız?',
      idleText: 'Yoksa birazdan her şey silinecek.', yes: 'Evet, devam',
      lost: 'Bağlantı kesildi. Yeniden bağlanılıyor …', sample: 'Örnek veriler',
      when: 'Ne zaman', where: 'Nerede', phone: 'Telefon', email: 'E-posta', web: 'İnternet sitesi',
      langs: 'Diller', cost: 'Ücret', qr: 'İletişim bilgilerini içeren QR kodu', contact: 'İletişim',
      listenAll: 'Tüm cevapları sesli oku',
      you: 'Siz',
      // results screen and print all (task h-klayout)
      printAll: 'Tümünü yazdır', printTitle: 'Sonuçlarınız', answers: 'Cevaplarınız',
      finishTitle: 'Her şey silinecek', finishNow: 'Şimdi bitir',
      finishText: 'Lütfen çıktınızı alın veya QR kodunu tarayın. Ardından her şey silinecektir.',
    },
    uk: {
      greet: 'Ласкаво просимо', start: 'Торкніться тут, щоб почати', office: 'Оберіть установу',
      chooseLanguage: 'Оберіть мову', language: 'Мова', back: 'Назад',
      restart: 'Почати знову', finish: 'Завершити', large: 'Великий шрифт', contrast: 'Контраст',
      listen: 'Прослухати', print: 'Друкувати', idleTitle: 'Ви ще тут?',
      idleText: 'Інакше незабаром усе буде видалено.', yes: 'Так, продовжити',
      lost: 'Зʼєднання втрачено. Повторне підключення …', sample: 'Зразкові дані',
      when: 'Коли', where: 'Де', phone: 'Телефон', email: 'Ел. пошта', web: 'Вебсайт',
      langs: 'Мови', cost: 'Вартість', qr: 'QR-код з контактними даними', contact: 'Контакт',
      listenAll: 'Прослухати всі відповіді',
      you: 'Ви',
      // results screen and print all (task h-klayout)
      printAll: 'Надрукувати все', printTitle: 'Ваші результати', answers: 'Ваші відповіді',
      finishTitle: 'Усе буде видалено', finishNow: 'Завершити зараз',
      finishText: 'Будь ласка, візьміть роздруківку або відскануйте QR-код. Після цього все буде видалено.',
    },
    ru: {
      greet: 'Добро пожаловать', start: 'Коснитесь здесь, чтобы начать', office: 'Выберите учреждение',
      chooseLanguage: 'Выберите язык', language: 'Язык', back: 'Назад',
      restart: 'Начать заново', finish: 'Завершить', large: 'Крупный шрифт', contrast: 'Контраст',
      listen: 'Прослушать', print: 'Печать', idleTitle: 'Вы ещё здесь?',
      idleText: 'Иначе скоро всё будет удалено.', yes: 'Да, продолжить',
      lost: 'Соединение потеряно. Переподключение …', sample: 'Примерные данные',
      when: 'Когда', where: 'Где', phone: 'Телефон', email: 'Эл. почта', web: 'Сайт',
      langs: 'Языки', cost: 'Стоимость', qr: 'QR-код с контактными данными', contact: 'Контакт',
      listenAll: 'Прослушать все ответы',
      you: 'Вы',
      // results screen and print all (task h-klayout)
      printAll: 'Напечатать всё', printTitle: 'Ваши результаты', answers: 'Ваши ответы',
      finishTitle: 'Всё будет удалено', finishNow: 'Завершить сейчас',
      finishText: 'Пожалуйста, возьмите распечатку или отсканируйте QR-код. После этого всё будет удалено.',
    },
    pl: {
      greet: 'Witamy', start: 'Dotknij tutaj, aby zacząć', office: 'Wybierz urząd',
      chooseLanguage: 'Wybierz język', language: 'Język', back: 'Wstecz',
      restart: 'Zacznij od nowa', finish: 'Zakończ', large: 'Duża czcionka', contrast: 'Kontrast',
      listen: 'Odsłuchaj', print: 'Drukuj', idleTitle: 'Czy nadal tu jesteś?',
      idleText: 'W przeciwnym razie wszystko zaraz zostanie usunięte.', yes: 'Tak, dalej',
      lost: 'Utracono połączenie. Ponowne łączenie …', sample: 'Dane przykładowe',
      when: 'Kiedy', where: 'Gdzie', phone: 'Telefon', email: 'E-mail', web: 'Strona internetowa',
      langs: 'Języki', cost: 'Koszt', qr: 'Kod QR z danymi kontaktowymi', contact: 'Kontakt',
      listenAll: 'Odsłuchaj wszystkie odpowiedzi',
      you: 'Ty',
      // results screen and print all (task h-klayout)
      printAll: 'Wydrukuj wszystko', printTitle: 'Wyniki', answers: 'Udzielone odpowiedzi',
      finishTitle: 'Wszystko zostanie usunięte', finishNow: 'Zakończ teraz',
      finishText: 'Prosimy zabrać wydruk lub zeskanować kod QR. Następnie wszystko zostanie usunięte.',
    },
    ro: {
      greet: 'Bine ați venit', start: 'Atingeți aici pentru a începe', office: 'Alegeți instituția',
      chooseLanguage: 'Alegeți limba', language: 'Limba', back: 'Înapoi',
      restart: 'Începeți din nou', finish: 'Încheiere', large: 'Text mare', contrast: 'Contrast',
      listen: 'Ascultați', print: 'Imprimare', idleTitle: 'Mai sunteți aici?',
      idleText: 'Altfel, totul va fi șters în curând.', yes: 'Da, continuăm',
      lost: 'Conexiune pierdută. Se reconectează …', sample: 'Date de exemplu',
      when: 'Când', where: 'Unde', phone: 'Telefon', email: 'E-mail', web: 'Site web',
      langs: 'Limbi', cost: 'Cost', qr: 'Cod QR cu datele de contact', contact: 'Contact',
      listenAll: 'Ascultați toate răspunsurile',
      you: 'Dvs.',
      // results screen and print all (task h-klayout)
      printAll: 'Imprimați tot', printTitle: 'Rezultatele dumneavoastră', answers: 'Răspunsurile dumneavoastră',
      finishTitle: 'Totul va fi șters', finishNow: 'Încheiați acum',
      finishText: 'Vă rugăm să luați foaia tipărită sau să scanați codul QR. După aceea, totul va fi șters.',
    },
    bg: {
      greet: 'Добре дошли', start: 'Докоснете тук, за да започнете', office: 'Изберете институция',
      chooseLanguage: 'Изберете език', language: 'Език', back: 'Назад',
      restart: 'Започнете отначало', finish: 'Край', large: 'Едър шрифт', contrast: 'Контраст',
      listen: 'Прочети на глас', print: 'Печат', idleTitle: 'Още ли сте тук?',
      idleText: 'Иначе след малко всичко ще бъде изтрито.', yes: 'Да, продължи',
      lost: 'Връзката е прекъсната. Свързване отново …', sample: 'Примерни данни',
      when: 'Кога', where: 'Къде', phone: 'Телефон', email: 'Имейл', web: 'Уебсайт',
      langs: 'Езици', cost: 'Цена', qr: 'QR код с данните за контакт', contact: 'Контакт',
      listenAll: 'Прочети всички отговори',
      you: 'Вие',
      // results screen and print all (task h-klayout)
      printAll: 'Отпечатване на всичко', printTitle: 'Вашите резултати', answers: 'Вашите отговори',
      finishTitle: 'Всичко ще бъде изтрито', finishNow: 'Приключване сега',
      finishText: 'Моля, вземете разпечатката или сканирайте QR кода. След това всичко ще бъде изтрито.',
    },
    ku: {
      greet: 'Bi xêr hatî', start: 'Ji bo destpêkê li vir bitikîne', office: 'Saziya xwe hilbijêre',
      chooseLanguage: 'Zimanê xwe hilbijêre', language: 'Ziman', back: 'Paş',
      restart: 'Ji nû ve dest pê bike', finish: 'Biqedîne', large: 'Nivîsa mezin', contrast: 'Kontrast',
      listen: 'Bi deng bixwîne', print: 'Çap bike', idleTitle: 'Tu hîn li vir î?',
      idleText: 'Wekî din, di demeke nêz de her tişt tê jêbirin.', yes: 'Erê, bidomîne',
      lost: 'Girêdan qut bû. Ji nû ve tê girêdan …', sample: 'Daneyên mînak',
      when: 'Kengê', where: 'Li ku', phone: 'Telefon', email: 'E-name', web: 'Malper',
      langs: 'Ziman', cost: 'Lêçûn', qr: 'Koda QR bi agahiyên têkiliyê', contact: 'Têkilî',
      listenAll: 'Hemû bersivan bi deng bixwîne',
      you: 'Tu',
      // results screen and print all (task h-klayout)
      printAll: 'Hemûyî çap bikin', printTitle: 'Encamên we', answers: 'Bersivên we',
      finishTitle: 'Her tişt dê were jêbirin', finishNow: 'Niha biqedînin',
      finishText: 'Ji kerema xwe çapkirinê bi xwe re bibin an jî koda QR bişopînin. Piştre her tişt tê jêbirin.',
    },
    ps: {
      greet: 'ښه راغلاست', start: 'د پیل لپاره دلته لمس کړئ', office: 'خپل دفتر وټاکئ',
      chooseLanguage: 'خپله ژبه وټاکئ', language: 'ژبه', back: 'شاته',
      restart: 'بیا پیل کړئ', finish: 'پای', large: 'لوی لیک', contrast: 'لوړ تضاد',
      listen: 'واورئ', print: 'چاپ', idleTitle: 'ایا تاسو لا دلته یاست؟',
      idleText: 'که نه، ډېر ژر به هر څه پاک شي.', yes: 'هو، دوام',
      lost: 'اړیکه پرې شوه. بیا نښلول کېږي …', sample: 'نمونه معلومات',
      when: 'کله', where: 'چېرته', phone: 'تلیفون', email: 'برېښنالیک', web: 'وېب پاڼه',
      langs: 'ژبې', cost: 'لګښت', qr: 'د اړیکو معلوماتو سره QR کوډ', contact: 'اړیکه',
      listenAll: 'ټول ځوابونه واورئ',
      you: 'تاسو',
      // results screen and print all (task h-klayout)
      printAll: 'ټول چاپ کړئ', printTitle: 'ستاسو پایلې', answers: 'ستاسو ځوابونه',
      finishTitle: 'هر څه به پاک شي', finishNow: 'اوس پای ته ورسوئ',
      finishText: 'مهرباني وکړئ چاپ شوې پاڼه له ځانه سره یوسئ یا د QR کوډ سکین کړئ. له هغې وروسته به هر څه پاک شي.',
    },
  };
  const FALLBACK_LANG = 'en';
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

  function wordLang(lang) {
    if (WORDS[lang]) return lang;
    const base = typeof lang === 'string' ? lang.split('-')[0] : '';   // "de" for "de-x-es"
    return WORDS[base] ? base : FALLBACK_LANG;
  }

  function word(key, lang) {
    const table = WORDS[wordLang(lang)];
    return table[key] !== undefined ? table[key] : WORDS[FALLBACK_LANG][key];
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
    const label = el('span', 'choice-label', b.textContent);
    const pict = el('span', 'pict', c.emoji);
    pict.setAttribute('aria-hidden', 'true');
    if (c.icon) pict.dataset.icon = c.icon;
    clear(b);
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

  /* The language of the page's own words: the conversation's, else the office's default. */
  function uiLang() {
    if (state.lang) return state.lang;
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
    const wl = wordLang(lang);
    for (const node of document.querySelectorAll('[data-word]')) {
      node.textContent = word(node.dataset.word, lang);
      if (wl !== lang) setLangDir(node, wl, directionOf(wl));
      else { node.removeAttribute('lang'); node.removeAttribute('dir'); }
    }
    const t = tenant();
    document.title = t ? t.name + ' · Lotse' : 'Lotse';
    $('chat-title').textContent = t ? t.name : '';
    if (t) $('chat-title').lang = t.default_lang;
    const sample = !!(t ? t.sample : state.tenants.some((x) => x.sample));
    for (const n of document.querySelectorAll('.sample-note')) n.hidden = !sample;
    privacyWords();
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
      return new Intl.NumberFormat(uiLang(), { style: 'percent' }).format(scale);
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
    a.lang = wordLang(uiLang());
    a.textContent = word('large', uiLang()) + ': ' + textPercent(TEXT_SCALES[state.textSize]);
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

  function showGreeting() {
    const langs = greetingLanguages();
    const l = langs[state.greetIndex % langs.length];
    const h = $('greeting');
    const s = $('start');
    h.textContent = word('greet', l.code);
    s.textContent = word('start', l.code);
    for (const node of [h, s]) setLangDir(node, wordLang(l.code), l.dir);
    if (!reducedMotion()) {
      h.classList.remove('fade');
      void h.offsetWidth;   // restart the animation
      h.classList.add('fade');
    }
    const t = tenant();
    $('welcome-office').textContent = t ? t.name : '';
    if (t) $('welcome-office').lang = t.default_lang;
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

  /* Every language's name in itself, under the greeting: "yours is here too". */
  function showWelcomeLanguages() {
    const p = $('welcome-langs');
    clear(p);
    greetingLanguages().forEach((l, i) => {
      if (i) p.appendChild(document.createTextNode('\u00a0· '));   // a line never starts with ·
      const span = el('span', null, l.autonym || l.code);
      setLangDir(span, l.code, l.dir);
      p.appendChild(span);
    });
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

  /* The one touch on the welcome screen. */
  function begin() {
    if (!state.tenants.length) return;
    const t = tenant();
    if (!t) {
      if (state.tenants.length === 1) state.tenantId = state.tenants[0].id;
      else { show('offices'); return; }
    }
    afterOffice();
  }

  function afterOffice() {
    const t = tenant();
    setPageLang(t.default_lang, langInfo(t.default_lang).dir);
    applyWords();
    if (t.languages.length === 1) pickLanguage(t.languages[0].code);
    else show('languages');
  }

  function renderOffices() {
    const list = $('office-list');
    clear(list);
    for (const t of state.tenants) {
      const li = el('li');
      const b = button('tile', null, () => { state.tenantId = t.id; afterOffice(); });
      b.appendChild(el('span', 'tile-name', t.name));
      b.lang = t.default_lang;
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
    if (state.screen === 'offices') { show('welcome'); return; }
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
      p.appendChild(document.createTextNode(e.text));
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
    bubble.appendChild(el('p', 'text', s.text));
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
    if (s.kind === 'offers' && s.offers && s.offers.length) li.appendChild(feedbackBlock(s, index));
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
    $('end').hidden = true;
    $('results-actions').hidden = true;
    const last = state.history[state.history.length - 1];
    if (!last || last.t !== 'bot') { takeHomeStep(null); updateEnabled(); return; }
    const s = last.step;
    const where = seg(s.flow) + '/' + seg(s.node);
    renderStepSpeakers(s);
    const results = s.kind === 'offers';
    if (results) renderResultsActions(s);
    for (const c of s.choices) {
      // the results' "talk to a person" and "done" are the fixed area's buttons
      if (results && (c.id === 'person' || c.id === 'done')) continue;
      const row = el('div', 'choice-row');
      const b = button('choice', c.label, () => choose(c, s));
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
      word('listenAll', s.lang)) : null;
    if (every) { every.classList.add('speak-all'); all.appendChild(every); }
    $('end').hidden = s.choices.length > 0;
    takeHomeStep(s);
    updateEnabled();
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
      b.lastChild.dir = 'auto';
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
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    row.appendChild(dd);
    dl.appendChild(row);
  }

  /* A link, or on a kiosk PC (?kiosk=...) plain text: a click there would leave the kiosk. */
  function link(href, text) {
    if (!href || state.kiosk) return el('span', null, text);
    const a = el('a', null, text);
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
    if (c.email) fact(dl, 'email', lang, link(mailHref(c.email), c.email), 'ltr');
    if (c.web) fact(dl, 'web', lang, link(webHref(c.web), c.web), 'ltr');
  }

  function offerCard(o, s, index) {
    const lang = s.lang;
    const card = el('article', 'offer');
    const hid = 'offer-' + index + '-' + o.id;
    card.setAttribute('aria-labelledby', hid);
    const h = el('h2', null, o.title);
    h.id = hid;
    card.appendChild(h);
    if (o.sample) card.appendChild(el('p', 'sample-tag', word('sample', lang)));
    if (o.description) card.appendChild(el('p', 'desc', o.description));
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
    if (c.name) card.appendChild(el('p', 'contact-name', c.name));
    if (c.person) card.appendChild(el('p', null, c.person));
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
    const label = el('span', withLabel ? null : 'visually-hidden', text || word('listen', lang));
    setLangDir(label, wordLang(lang), directionOf(wordLang(lang)));
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
  const noVoiceText = {};
  function showNoVoice() {
    const n = $('no-voice');
    const lang = state.lang;
    const t = tenant();
    if (!lang || !t || !state.voicesKnown || state.voices.has(lang)) { n.hidden = true; return; }
    const w = noVoiceText[lang];
    if (w) {
      n.textContent = w.text;
      setLangDir(n, w.lang, directionOf(w.lang));
      n.hidden = false;
      return;
    }
    fetch('/speak/' + seg(t.id) + '/' + seg(lang) + '/words.json', { cache: 'no-store' })
      .then((r) => (r.ok ? r.json() : null))
      .then((j) => {
        if (!j || !j.words || !j.words.no_voice || typeof j.words.no_voice.text !== 'string') return;
        noVoiceText[lang] = j.words.no_voice;
        if (state.lang === lang) showNoVoice();
      })
      .catch(() => { /* the line is a courtesy; nothing else depends on it */ });
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
    const k = { title: 'takeHomeTitle', hint: 'takeHomeHint', until: 'takeHomeUntil',
      revoke: 'takeHomeRevoke', page: 'takeHomePage', expired: 'takeHomeExpired' }[key];
    return words && typeof words[key] === 'string' && words[key] ? words[key] : word(k, lang);
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

  /* The element with id take-home in the results area (a placeholder of the layout, or made
   * here before the answers). */
  function takeHomeBox() {
    let box = $('take-home');
    if (!box) {
      box = el('section', 'take-home');
      box.id = 'take-home';
      $('chat').insertBefore(box, $('choices-all'));
    }
    return box;
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
    img.src = takeHome.qr;
    box.appendChild(img);
    box.appendChild(el('p', 'take-home-hint', thWord('hint', lang, takeHome.words)));
    if (takeHome.expires) {
      const until = el('p', 'take-home-until', thWord('until', lang, takeHome.words) + ' ');
      const t = el('time', null, new Date(takeHome.expires * 1000).toLocaleString(lang,
        { dateStyle: 'medium', timeStyle: 'short' }));
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
    $('large-text').addEventListener('click', () => { state.large = !state.large; applyToggles(); });
    $('contrast').addEventListener('click', () => { state.contrast = !state.contrast; applyToggles(); });
    applyToggles();
    for (const id of ['welcome', 'offices', 'languages']) $(id).hidden = true;
    $('chat').hidden = false;
    $('bar').hidden = false;
    state.screen = 'chat';
    fetch('/t/' + link + '.json', { cache: 'no-store' })
      .then((r) => r.json().then((j) => ({ ok: r.ok, j })))
      .then(({ ok, j }) => (ok ? showLinkOffers(j) : showLinkGone(j)))
      .catch(() => showLinkGone({}));
    loadVoices();
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
    const known = typeof j.lang === 'string' && /^[a-z]{2,3}$/.test(j.lang);
    const lang = known ? j.lang
      : ((navigator.language || '').slice(0, 2) === 'de' ? 'de' : FALLBACK_LANG);
    setPageLang(lang, known ? (j.dir === 'rtl' ? 'rtl' : 'ltr') : directionOf(lang));
    applyWords();
    for (const id of ['back', 'restart', 'language']) $(id).hidden = true;
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
      date = new Intl.DateTimeFormat(lang, { dateStyle: 'long' }).format(new Date());
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
    $('start').disabled = !state.tenants.length;
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
    const t = tenant();
    const b = t ? speakButton(t.id, uiLang(), 'words/idle', true) : null;
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
    const lang = uiLang();
    n.hidden = false;
    n.textContent = word('lost', lang);
    const wl = wordLang(lang);
    setLangDir(n, wl, wl === lang ? document.documentElement.dir : 'ltr');
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
        if (state.screen === 'welcome') showGreeting();
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

  /* Puts a catalogue word (its text, in the language it came in) into node; false if missing. */
  function putWord(node, words, key) {
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
      if (!putWord(question, words, 'fb_question') || !putWord(thanks, words, 'fb_thanks')) return;
      for (const b of buttons) if (!putWord(b, words, b.dataset.fb)) return;
      box.hidden = false;
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
    catalogWords(t.id, lang).then((words) => { link.hidden = !putWord(link, words, 'privacy_title'); });
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
      putWord(title, all[0], 'privacy_title');
      putWord(close, all[0], 'privacy_close');
      const seen = new Set();
      all.forEach((words) => {
        const w = words.privacy_text;
        if (!w || typeof w.text !== 'string' || seen.has(w.text)) return;   // a fallback repeated
        seen.add(w.text);
        const p = el('p', 'privacy-text');
        putWord(p, words, 'privacy_text');
        body.appendChild(p);
      });
    });
    if (!d.open) d.showModal();
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
    $('start').addEventListener('click', begin);
    $('welcome').addEventListener('click', (ev) => {
      if (ev.target !== $('start') && !ev.target.closest('.speak')) begin();
    });
    $('back').addEventListener('click', goBack);
    $('restart').addEventListener('click', restart);
    $('end-restart').addEventListener('click', restart);
    $('end-finish').addEventListener('click', openFinish);
    $('results-finish').addEventListener('click', openFinish);
    $('print-all').addEventListener('click', printAll);
    $('finish-back').addEventListener('click', closeFinish);
    $('finish-now').addEventListener('click', () => { closeFinish(); resetAll(); });
    $('language').addEventListener('click', () => show('languages'));
    $('large-text').addEventListener('click', cycleTextSize);
    $('contrast').addEventListener('click', () => {
      state.contrast = !state.contrast; applyToggles(); save();
    });
    $('idle-yes').addEventListener('click', stillHere);
    $('idle').addEventListener('cancel', (ev) => { ev.preventDefault(); stillHere(); });
    watchBar();
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
