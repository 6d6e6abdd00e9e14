#!/usr/bin/python3
"""easy_german.py - checks the Easy German catalogue po/de-x-es.po against the
rules it is written by (docs/translating.md, "Easy German"), so that a later
edit cannot silently break them:

1. it has exactly the entries of po/lotse.pot (msgctxt + msgid), each
   translated and not fuzzy; its header says Language: de-x-es, German plural
   forms, and an X-Review-Status that starts with "draft" until readers of the
   target group have checked it;
2. short sentences: no sentence of a msgstr has more than 15 words (a sentence
   ends at . ! or ? followed by a space or the end);
3. answer buttons (#. "Answer button") have at most 30 characters;
4. no abbreviations: no weekday written short (Mo, Di., ...), no ranges with a
   dash between numbers ("9–15"), none of z. B., ca., usw., bzw., ggf., evtl.,
   u. a., Tel., Nr., inkl.;
5. facts kept: every number of the German text (dates as 30.05.2024 are
   compared by day, month and year), e-mail and web address is in the
   translation.

The entries with msgctxt "speech: ..." are the words read aloud for Easy
German and must equal German's (msgstr == msgid); rules 2-5 do not apply.

usage: easy_german.py REPOSITORY      check po/de-x-es.po
       easy_german.py --self-test     check that each rule catches a bad entry
Exit 1 with one line per problem (po/de-x-es.po:LINE: ...).
"""

import re
import sys

MAX_WORDS = 15
MAX_ANSWER = 30
CODE = "de-x-es"

# "Mo", "Di." ... before a dash, comma, "und" or a number ("So ein Treffen" is German)
WEEKDAY_SHORT = re.compile(r"(?<![\w-])(?:Mo|Di|Mi|Do|Fr|Sa|So)(?:\.|(?=\s*(?:[–-]|,|und\b|bis\b|\d)))")
# "9–15", "9:30-12" (not a phone number as 839-0)
DASH_RANGE = re.compile(r"\d\s*–\s*\d|(?<!\d)\d{1,2}(?::\d\d)?\s*-\s*\d{1,2}(?![\d.])")
ABBREV = re.compile(r"(?<!\w)(z\. ?B\.|ca\.|usw\.|bzw\.|ggf\.|evtl\.|u\. ?a\.|Tel\.|Nr\.|inkl\.)")
DATE = re.compile(r"\b(\d{1,2})\.(\d{2})\.(\d{4})?")
NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?")
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+\w|https?://\S+\w|www\.\S+\w")
SENTENCE_END = re.compile(r"(?<!\b\d)(?<!\b\d\d)[.!?](?:\s+|$)")   # not after "30." in "30. Mai"


def unquote(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            i += 1
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(s[i], s[i]))
        else:
            out.append(c)
        i += 1
    return "".join(out)


def parse_po(text):
    """Entries as dicts: ctx, id, plural, strs (list), fuzzy, comments, line.
    The header (empty msgid) is returned as the entry with id ""."""
    entries, cur, field = [], None, None

    def flush():
        if cur is not None and "id" in cur:
            entries.append(cur)

    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.strip()
        if not line:
            flush()
            cur, field = None, None
            continue
        if cur is None:
            cur = {"ctx": None, "plural": None, "strs": {}, "fuzzy": False, "comments": [],
                   "line": n}
        if line.startswith("#,"):
            cur["fuzzy"] = cur["fuzzy"] or "fuzzy" in line
        elif line.startswith("#."):
            cur["comments"].append(line[2:].strip())
        elif line.startswith("#"):
            pass
        else:
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$', line)
            if m:
                kw, idx, val = m.group(1), m.group(2), unquote(m.group(3))
                if kw == "msgctxt":
                    field = ("ctx",)
                    cur["ctx"] = val
                elif kw == "msgid":
                    field = ("id",)
                    cur["id"] = val
                    cur["line"] = n
                elif kw == "msgid_plural":
                    field = ("plural",)
                    cur["plural"] = val
                else:
                    k = int(idx) if idx else 0
                    field = ("strs", k)
                    cur["strs"][k] = val
            elif line.startswith('"') and line.endswith('"') and field:
                val = unquote(line[1:-1])
                if field[0] == "strs":
                    cur["strs"][field[1]] += val
                else:
                    cur[field[0]] += val
            else:
                raise ValueError("line %d: cannot read %r" % (n, raw))
    flush()
    return entries


def facts(text):
    """The numbers and addresses a text states; dates as 'day.month[.year]'."""
    found = set(m.group(0) for m in ADDRESS.finditer(text))
    rest = ADDRESS.sub(" ", text)
    for m in DATE.finditer(rest):
        found.add("%d.%d%s" % (int(m.group(1)), int(m.group(2)),
                               "." + m.group(3) if m.group(3) else ""))
    rest = DATE.sub(" ", rest)
    found.update(m.group(0) for m in NUMBER.finditer(rest))
    return found


MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
          "Oktober", "November", "Dezember"]


def facts_said(text):
    """Like facts(), also reading dates written out as '30. Mai 2024'."""
    rest = text
    found = set()
    for m in re.finditer(r"\b(\d{1,2})\. (%s)(?: (\d{4}))?" % "|".join(MONTHS), text):
        found.add("%d.%d%s" % (int(m.group(1)), MONTHS.index(m.group(2)) + 1,
                               "." + m.group(3) if m.group(3) else ""))
    rest = re.sub(r"\b(\d{1,2})\. (%s)(?: (\d{4}))?" % "|".join(MONTHS), " ", text)
    return found | facts(rest)


def check_text(e, msgstr, problems, where):
    words_problem = []
    for sentence in SENTENCE_END.split(msgstr):
        words = [w for w in sentence.split() if re.search(r"\w", w)]
        if len(words) > MAX_WORDS:
            words_problem.append(len(words))
    if words_problem:
        problems.append("%s: a sentence of %d words (at most %d): %r"
                        % (where, max(words_problem), MAX_WORDS, msgstr))
    if any("Answer button" in c for c in e["comments"]) and len(msgstr) > MAX_ANSWER:
        problems.append("%s: answer button of %d characters (at most %d): %r"
                        % (where, len(msgstr), MAX_ANSWER, msgstr))
    for rx, what in ((WEEKDAY_SHORT, "a weekday written short"),
                     (DASH_RANGE, "a range written with a dash (write 'bis')"),
                     (ABBREV, "an abbreviation")):
        m = rx.search(msgstr)
        if m:
            problems.append("%s: %s, %r: %r" % (where, what, m.group(0), msgstr))
    lost = sorted(facts(e["id"]) - facts_said(msgstr))
    if lost:
        problems.append("%s: %s of the German text missing: %r"
                        % (where, ", ".join(lost), msgstr))


def check(pot_text, po_text, name="po/de-x-es.po"):
    problems = []
    pot = {(e["ctx"], e["id"]): e for e in parse_po(pot_text) if e["id"]}
    po = parse_po(po_text)
    header = next((e for e in po if e["id"] == "" and e["ctx"] is None), None)
    head = header["strs"].get(0, "") if header else ""
    for want in ("Language: %s\n" % CODE, "Plural-Forms: nplurals=2; plural=(n != 1);\n"):
        if want not in head:
            problems.append("%s: header lacks %r" % (name, want.strip()))
    if not re.search(r"^X-Review-Status: draft\b", head, re.M):
        problems.append("%s: header lacks 'X-Review-Status: draft, ...' (a draft until readers "
                        "of the target group have checked it)" % name)
    seen = set()
    for e in po:
        if not e["id"]:
            continue
        where = "%s:%d" % (name, e["line"])
        key = (e["ctx"], e["id"])
        if key not in pot:
            problems.append("%s: not in po/lotse.pot (obsolete?): %r" % (where, e["id"]))
            continue
        seen.add(key)
        strs = [e["strs"].get(i, "") for i in range(len(e["strs"]))]
        if e["fuzzy"] or not strs or any(not s for s in strs):
            problems.append("%s: untranslated or fuzzy: %r" % (where, e["id"]))
            continue
        if (e["ctx"] or "").startswith("speech:"):
            if strs != [e["id"]]:
                problems.append("%s: the speech words of Easy German are German's: "
                                "msgstr must equal msgid %r" % (where, e["id"]))
            continue
        for s in strs:
            check_text(e, s.replace("%d", "2"), problems, where)
    for key in pot:
        if key not in seen:
            problems.append("%s: missing entry for msgid %r%s" % (
                name, key[1], " (msgctxt %r)" % key[0] if key[0] else ""))
    return problems


SELF_TEST_POT = '''msgid ""
msgstr ""

#. Answer button (keep it short)
msgid "Für mich als Mutter oder Vater"
msgstr ""

#. When: opening hours or dates of an offer
msgid "Mo–Do 9–15 Uhr"
msgstr ""

msgid "Auftakt: 30.05.2024 im Landratsamt, info@example.org, Tel. 05341 839-0."
msgstr ""

msgctxt "speech: weekday name, Monday"
msgid "Montag"
msgstr ""

msgid "Gone"
msgstr ""
'''

SELF_TEST_GOOD = '''msgid ""
msgstr ""
"Language: de-x-es\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"X-Review-Status: draft, needs review\\n"

#. Answer button (keep it short)
msgid "Für mich als Mutter oder Vater"
msgstr "Für mich als Mutter oder Vater"

#. When: opening hours or dates of an offer
msgid "Mo–Do 9–15 Uhr"
msgstr "Montag bis Donnerstag, 9 bis 15 Uhr"

msgid "Auftakt: 30.05.2024 im Landratsamt, info@example.org, Tel. 05341 839-0."
msgstr "Der Start ist am 30. Mai 2024 im Landratsamt. E-Mail: info@example.org. Telefon: 05341 839-0."

msgctxt "speech: weekday name, Monday"
msgid "Montag"
msgstr "Montag"

msgid "Gone"
msgstr "Weg"
'''


def self_test():
    assert check(SELF_TEST_POT, SELF_TEST_GOOD) == [], check(SELF_TEST_POT, SELF_TEST_GOOD)
    bad = [
        ('msgstr "Montag bis Donnerstag, 9 bis 15 Uhr"', 'msgstr "Mo bis Do, 9 bis 15 Uhr"',
         "a weekday written short, 'Mo'"),
        ('msgstr "Montag bis Donnerstag, 9 bis 15 Uhr"', 'msgstr "Montag bis Donnerstag, 9–15 Uhr"',
         "a range written with a dash"),
        ('msgstr "Montag bis Donnerstag, 9 bis 15 Uhr"', 'msgstr "Montag bis Donnerstag, 9 bis 16 Uhr"',
         "15 of the German text missing"),
        ('am 30. Mai 2024', 'am 30. Juni 2024', "30.5.2024 of the German text missing"),
        ('E-Mail: info@example.org.', 'E-Mail: post@example.org.',
         "info@example.org of the German text missing"),
        ('Telefon: 05341', 'Tel. 05341', "an abbreviation, 'Tel.'"),
        ('msgstr "Für mich als Mutter oder Vater"', 'msgstr "Für mich als Mutter oder als Vater"',
         "answer button of 34 characters"),
        ('Der Start ist am', 'Der Start von dem ganzen großen und wichtigen Projekt mit allen Leuten ist am',
         "a sentence of 19 words"),
        ('msgstr "Montag"', 'msgstr "Mon"', "msgstr must equal msgid"),
        ('"X-Review-Status: draft, needs review\\n"\n', '', "header lacks 'X-Review-Status"),
        ('msgid "Gone"\nmsgstr "Weg"', 'msgid "Gone"\nmsgstr ""', "untranslated or fuzzy: 'Gone'"),
        ('msgid "Gone"\nmsgstr "Weg"', '#, fuzzy\nmsgid "Gone"\nmsgstr "Weg"', "untranslated or fuzzy"),
        ('msgid "Gone"\nmsgstr "Weg"', 'msgid "Other"\nmsgstr "Weg"', "missing entry for msgid 'Gone'"),
    ]
    for old, new, expect in bad:
        assert old in SELF_TEST_GOOD, old
        problems = check(SELF_TEST_POT, SELF_TEST_GOOD.replace(old, new, 1))
        assert len(problems) >= 1 and any(expect in p for p in problems), (expect, problems)
    print("easy_german self-test: %d bad catalogues caught" % len(bad))


def main(argv):
    if argv[1:] == ["--self-test"]:
        self_test()
        return 0
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[-2], file=sys.stderr)
        return 2
    root = argv[1]
    with open(root + "/po/lotse.pot", encoding="utf-8") as f:
        pot = f.read()
    with open(root + "/po/%s.po" % CODE, encoding="utf-8") as f:
        po = f.read()
    problems = check(pot, po)
    for p in problems:
        print(p)
    n = len([e for e in parse_po(po) if e["id"]])
    print("easy_german: %d entries, %d problem(s)" % (n, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
