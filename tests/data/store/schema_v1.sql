-- schema_v1.sql - a Lotse database at schema version 1, the schema of the first release
-- (commit 2d63312, src/store/store.c, migrations[0]), with data in every table that version
-- had: offer sets, offers (every column, NULLs, translator contexts, notes and lines), facts
-- (several values, a fact without values), languages, search rows and usage counters.
-- tests/unit/test_store_upgrade.c runs this file on an empty sqlite file and opens the result
-- with the current code: the migration must keep every row and end at the schema a new
-- database gets.
--
-- The CREATE statements are the first release's text byte for byte (one statement per line,
-- as sqlite keeps it in sqlite_master), so the migrated schema can be compared exactly with a
-- new one. Do not reformat them. When the schema goes beyond version 2, add schema_v2.sql
-- (version 2's statements with data in every table it has) next to this file.
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

PRAGMA user_version = 1;
