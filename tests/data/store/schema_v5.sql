-- schema_v5.sql - a Lotse database at schema version 5 (src/store/store.c, migrations[0] to
-- migrations[4]): schema_v4.sql with its data, then version 5's own step (recorded voices),
-- exactly as that version's code runs it on open. tests/unit/test_store_upgrade.c runs this
-- file on an empty sqlite file and opens the result with the current code: the migration must
-- keep every row (but those of stats_turns, which version 6 drops as unused) and end at the
-- schema a new database gets. Its own rows: three revisions of two recordings.
--
-- The statements are the text of schema_v4.sql and of migrations[4], byte for byte (one
-- statement per line). Do not reformat them.
PRAGMA journal_mode = WAL;
CREATE TABLE offer_sets (  tenant TEXT NOT NULL PRIMARY KEY,  file TEXT);
CREATE TABLE offers (  tenant TEXT NOT NULL,  id TEXT NOT NULL,  position INTEGER NOT NULL,  title TEXT, title_ctx TEXT, title_note TEXT, title_line INTEGER NOT NULL DEFAULT 0,  description TEXT, description_ctx TEXT, description_note TEXT,  description_line INTEGER NOT NULL DEFAULT 0,  district TEXT, address TEXT,  hours TEXT, hours_ctx TEXT, hours_note TEXT, hours_line INTEGER NOT NULL DEFAULT 0,  phone TEXT, email TEXT, web TEXT,  cost TEXT, cost_ctx TEXT, cost_note TEXT, cost_line INTEGER NOT NULL DEFAULT 0,  sample INTEGER NOT NULL DEFAULT 0 CHECK (sample IN (0, 1)),  line INTEGER NOT NULL DEFAULT 0,  PRIMARY KEY (tenant, id));
CREATE INDEX offers_by_position ON offers (tenant, position);
CREATE TABLE offer_facts (  tenant TEXT NOT NULL,  offer_id TEXT NOT NULL,  position INTEGER NOT NULL,  key TEXT NOT NULL,  value_position INTEGER NOT NULL,  value TEXT,  PRIMARY KEY (tenant, offer_id, position, value_position),  FOREIGN KEY (tenant, offer_id) REFERENCES offers (tenant, id) ON DELETE CASCADE);
CREATE INDEX offer_facts_by_value ON offer_facts (tenant, key, value);
CREATE TABLE offer_langs (  tenant TEXT NOT NULL,  offer_id TEXT NOT NULL,  position INTEGER NOT NULL,  lang TEXT NOT NULL,  PRIMARY KEY (tenant, offer_id, position),  FOREIGN KEY (tenant, offer_id) REFERENCES offers (tenant, id) ON DELETE CASCADE);
CREATE VIRTUAL TABLE offer_search USING fts5(  tenant UNINDEXED, lang UNINDEXED, offer_id UNINDEXED, body,  tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE stats_turns (  day TEXT NOT NULL,  tenant TEXT NOT NULL,  lang TEXT NOT NULL,  node TEXT NOT NULL,  count INTEGER NOT NULL DEFAULT 0,  PRIMARY KEY (day, tenant, lang, node)) WITHOUT ROWID;

-- offer sets: one per tenant, with the file the offers came from
INSERT INTO offer_sets (tenant, file) VALUES ('salzgitter', 'flows/salzgitter/offers.yaml');
INSERT INTO offer_sets (tenant, file) VALUES ('goslar', 'flows/goslar/offers.yaml');
INSERT INTO offer_sets (tenant, file) VALUES ('leer', NULL);

-- offers: ids not in alphabetical order (the order is the position column)
INSERT INTO offers (tenant, id, position, title, title_ctx, title_note, title_line,
  description, description_ctx, description_note, description_line, district, address,
  hours, hours_ctx, hours_note, hours_line, phone, email, web,
  cost, cost_ctx, cost_note, cost_line, sample, line) VALUES
 ('salzgitter', 'zz-kita', 0, 'Sprachförderung in der Kita', 'offer title', 'Kita = Kindertagesstätte', 5,
  'Spielerisch Deutsch lernen.' || char(10) || 'Zweite Zeile, "zitiert".', NULL, NULL, 6,
  'Lebenstedt', 'Marienbruchstraße 1, 38226 Salzgitter',
  'Mo–Fr 8–12 Uhr', NULL, 'Öffnungszeiten', 12, '+49 5341 839-0', 'kita@example.org',
  'https://example.org/kita?x=1&y=2', 'kostenlos', 'price', NULL, 14, 1, 4),
 ('salzgitter', 'aa-elterncafe', 1, 'Elterncafé', NULL, NULL, 20,
  NULL, NULL, NULL, 0, NULL, NULL,
  NULL, NULL, NULL, 0, NULL, NULL, NULL,
  NULL, NULL, NULL, 0, 0, 19),
 ('goslar', 'sprachkurs', 0, 'Deutschkurs für Eltern', NULL, NULL, 3,
  'Abends, mit Kinderbetreuung.', NULL, 'kurz halten', 4, 'Oker', 'Am Markt 2, 38640 Goslar',
  'Di 18–20 Uhr', 'opening hours', NULL, 5, NULL, 'kurs@example.org', NULL,
  '10 € im Monat', NULL, NULL, 6, 1, 2);

-- facts: one row per value; a fact without values is one row with value NULL
INSERT INTO offer_facts (tenant, offer_id, position, key, value_position, value) VALUES
 ('salzgitter', 'zz-kita', 0, 'audience', 0, 'child'),
 ('salzgitter', 'zz-kita', 1, 'age', 0, '3-6'),
 ('salzgitter', 'zz-kita', 1, 'age', 1, '0-2'),
 ('salzgitter', 'zz-kita', 2, 'free', 0, NULL),
 ('salzgitter', 'aa-elterncafe', 0, 'audience', 0, 'adult'),
 ('goslar', 'sprachkurs', 0, 'audience', 0, 'adult'),
 ('goslar', 'sprachkurs', 1, 'topic', 0, 'language');

-- languages spoken at an offer, in the file's order
INSERT INTO offer_langs (tenant, offer_id, position, lang) VALUES
 ('salzgitter', 'zz-kita', 0, 'de'),
 ('salzgitter', 'zz-kita', 1, 'tr'),
 ('salzgitter', 'zz-kita', 2, 'ar'),
 ('goslar', 'sprachkurs', 0, 'de'),
 ('goslar', 'sprachkurs', 1, 'uk');

-- the search index: each offer's texts per language, normalised
INSERT INTO offer_search (tenant, lang, offer_id, body) VALUES
 ('salzgitter', 'de', 'zz-kita', 'sprachforderung in der kita spielerisch deutsch lernen'),
 ('salzgitter', 'ar', 'zz-kita', 'دعم اللغه في الروضه'),
 ('salzgitter', 'de', 'aa-elterncafe', 'elterncafe'),
 ('goslar', 'de', 'sprachkurs', 'deutschkurs fur eltern abends mit kinderbetreuung');

-- usage counters
INSERT INTO stats_turns (day, tenant, lang, node, count) VALUES
 ('2026-11-01', 'salzgitter', 'de', 'who', 12),
 ('2026-11-01', 'salzgitter', 'ar', 'who', 3),
 ('2026-11-02', 'goslar', 'uk', 'results', 7);


-- version 2: conversations kept across a restart and the staff area
CREATE TABLE saved_sessions (  token TEXT PRIMARY KEY,  state TEXT NOT NULL,  expires INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE staff_accounts (  id INTEGER PRIMARY KEY,  name TEXT NOT NULL UNIQUE,  role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),  hash TEXT NOT NULL,  created INTEGER NOT NULL,  disabled INTEGER NOT NULL DEFAULT 0);
CREATE TABLE staff_sessions (  id_hash TEXT PRIMARY KEY,  account INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,  csrf TEXT NOT NULL,  created INTEGER NOT NULL,  last_seen INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE staff_login_failures (  key TEXT NOT NULL,  at INTEGER NOT NULL);
CREATE INDEX staff_login_failures_by_key ON staff_login_failures (key, at);
CREATE TABLE audit_log (  id INTEGER PRIMARY KEY,  at INTEGER NOT NULL,  account TEXT,  action TEXT NOT NULL,  detail TEXT NOT NULL DEFAULT '');
CREATE TABLE revisions (  id INTEGER PRIMARY KEY,  tenant TEXT NOT NULL,  path TEXT NOT NULL,  content BLOB NOT NULL,  author TEXT NOT NULL,  message TEXT NOT NULL DEFAULT '',  at INTEGER NOT NULL,  parent INTEGER REFERENCES revisions(id));
CREATE INDEX revisions_by_path ON revisions (path, id);

INSERT INTO saved_sessions (token, state, expires) VALUES ('tok-1', 'v1 goslar de who', 1800000000);
INSERT INTO staff_accounts (id, name, role, hash, created, disabled) VALUES
 (1, 'anna', 'editor', '$argon2id$v=19$m=65536,t=2,p=1$fixture', 1700000000, 0),
 (2, 'vera', 'viewer', '$argon2id$v=19$m=65536,t=2,p=1$fixture2', 1700000100, 1);
INSERT INTO staff_sessions (id_hash, account, csrf, created, last_seen) VALUES
 ('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 1, 'csrf-token', 1700000200, 1700000300);
INSERT INTO staff_login_failures (key, at) VALUES ('account:anna', 1700000050), ('addr:127.0.0.1', 1700000050);
INSERT INTO audit_log (id, at, account, action, detail) VALUES
 (1, 1700000050, NULL, 'login_failed', 'name=anna addr=127.0.0.1'),
 (2, 1700000200, 'anna', 'login', 'addr=127.0.0.1'),
 (3, 1700000400, 'anna', 'publish', 'flows/goslar/main.yaml revision 1');
INSERT INTO revisions (id, tenant, path, content, author, message, at, parent) VALUES
 (1, 'goslar', 'flows/goslar/main.yaml', X'666C6F773A206D61696E0A', 'disk', '', 1700000390, NULL),
 (2, 'goslar', 'flows/goslar/main.yaml', X'666C6F773A206D61696E0A23320A', 'anna', 'zwei', 1700000400, 1);

CREATE TABLE staff_accounts_v3 (  id INTEGER PRIMARY KEY,  name TEXT NOT NULL UNIQUE,  role TEXT NOT NULL CHECK (role IN ('editor', 'viewer', 'admin')),  hash TEXT NOT NULL,  created INTEGER NOT NULL,  disabled INTEGER NOT NULL DEFAULT 0,  offices TEXT NOT NULL DEFAULT '*');
INSERT INTO staff_accounts_v3 (id, name, role, hash, created, disabled, offices)  SELECT id, name, role, hash, created, disabled, '*' FROM staff_accounts;
CREATE TEMP TABLE staff_sessions_kept AS SELECT * FROM staff_sessions;
DROP TABLE staff_accounts;
ALTER TABLE staff_accounts_v3 RENAME TO staff_accounts;
INSERT OR IGNORE INTO staff_sessions SELECT * FROM temp.staff_sessions_kept;
DROP TABLE temp.staff_sessions_kept;
UPDATE staff_accounts SET offices = 'goslar' WHERE name = 'vera';
INSERT INTO staff_accounts (id, name, role, hash, created, disabled, offices) VALUES (3, 'olga', 'admin', '$argon2id$v=19$m=65536,t=2,p=1$fixture-olga', 1700000500, 0, '*');

-- version 4: refused logins per key and hour
CREATE TABLE staff_login_refusals (  key TEXT NOT NULL,  hour INTEGER NOT NULL,  count INTEGER NOT NULL,  PRIMARY KEY (key, hour)) WITHOUT ROWID;
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX staff_login_failures_by_at ON staff_login_failures (at);
INSERT INTO staff_login_refusals (key, hour, count) VALUES ('account:anna', 472223, 17), ('addr:ab12', 472224, 3);

-- version 5: recorded voices
CREATE TABLE recordings (  id INTEGER PRIMARY KEY,  tenant TEXT NOT NULL,  lang TEXT NOT NULL,  msgctxt TEXT NOT NULL DEFAULT '',  msgid TEXT NOT NULL,  text TEXT NOT NULL,  audio BLOB,  duration_ms INTEGER NOT NULL DEFAULT 0,  author TEXT NOT NULL,  at INTEGER NOT NULL,  parent INTEGER REFERENCES recordings(id));
CREATE INDEX recordings_by_text ON recordings (tenant, lang, msgctxt, msgid, id);
INSERT INTO recordings (id, tenant, lang, msgctxt, msgid, text, audio, duration_ms, author, at, parent) VALUES
 (1, 'goslar', 'uk', 'question', 'Wie alt ist Ihr Kind?', 'Скільки років вашій дитині?', X'4F67675300010203', 1800, 'anna', 1700000700, NULL),
 (2, 'goslar', 'uk', 'question', 'Wie alt ist Ihr Kind?', 'Скільки років вашій дитині?', X'4F6767530405', 1700, 'vera', 1700000800, 1),
 (3, 'salzgitter', 'ar', '', 'Ja', 'نعم', NULL, 0, 'anna', 1700000900, NULL);
PRAGMA user_version = 5;
