#!/bin/bash
# check-installed.sh DEB - tests the built lotse package the way an administrator meets it, as root
# INSIDE a fresh minimal Debian 12 root (no compiler, no systemd running): installs DEB with apt
# (which pulls its dependencies), checks the installed layout, runs `lotse check` on the installed
# example content, starts the server from the installed files as user lotse with the command line
# of the installed systemd unit, holds a real conversation over its socket (python3-websockets),
# fetches the kiosk page, stops the server, purges the package and checks what purge removed.
# Prints one PASS/FAIL line per check and exits 1 when any failed (2: could not run at all).
# See docs/packaging.md.
# The checks use bash (arrays, here-strings); CI runs `sh check-installed.sh DEB`, so re-run under
# bash (Essential in Debian: present in every minimal root) when started by another shell.
[ -n "${BASH_VERSION:-}" ] || exec /bin/bash "$0" "$@"
set -u
deb=${1:-}
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
	echo "usage: check-installed.sh DEB   (DEB: the lotse_*.deb file; run as root in a fresh root)" >&2
	exit 2
fi
if [ "$(id -u)" != 0 ]; then
	echo "FAIL: check-installed.sh must run as root (it installs and purges a package)" >&2
	exit 2
fi
case $deb in /*) ;; *) deb=$PWD/$deb ;; esac   # apt-get installs a local file only by path
export DEBIAN_FRONTEND=noninteractive
fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
work=$(mktemp -d /tmp/lotse-check-installed.XXXXXX)
chmod 755 "$work"   # the server's user reads nothing here, but may need to pass through
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# ---- install ---------------------------------------------------------------------------------
apt-get update -q >"$work/apt-update.log" 2>&1 || { cat "$work/apt-update.log"; echo "FAIL: apt-get update"; exit 2; }
if apt-get install -y -q "$deb" >"$work/apt-install.log" 2>&1; then
	pass "apt-get install $(basename "$deb") (with its dependencies)"
else
	tail -30 "$work/apt-install.log"
	fail "apt-get install $(basename "$deb")"
	exit 1
fi
# only for this test's client, not a dependency of lotse
apt-get install -y -q --no-install-recommends python3-websockets >"$work/apt-py.log" 2>&1 \
	|| { tail -20 "$work/apt-py.log"; echo "FAIL: apt-get install python3-websockets"; exit 2; }

version=$(dpkg-query -W -f='${Version}' lotse)
out=$(lotse version 2>&1)
[ "$out" = "lotse ${version%-*}" ] && pass "lotse version: $out" || fail "lotse version printed '$out', package is $version"

for f in /usr/bin/lotse /usr/share/lotse/kiosk-ui/index.html /usr/share/lotse/kiosk-ui/staff/index.html \
	/usr/share/lotse/catalogues/en.mo /usr/share/lotse/po/lotse.pot /usr/share/lotse/po/en.po \
	/usr/share/lotse/examples/flows/salzgitter/tenant.yaml /etc/lotse/lotse.yaml \
	/lib/systemd/system/lotse.service /var/lib/lotse/flows/salzgitter/tenant.yaml \
	/var/lib/lotse/catalogues/en.mo /var/lib/lotse/po/en.po; do
	[ -f "$f" ] && pass "installed $f" || fail "missing $f"
done
dpkg-query -W -f='${Conffiles}\n' lotse | grep -q '^ /etc/lotse/lotse.yaml ' \
	&& pass "/etc/lotse/lotse.yaml is a conffile" || fail "/etc/lotse/lotse.yaml is not a conffile"
getent passwd lotse >/dev/null && pass "system user lotse exists" || fail "no user lotse"
owner=$(stat -c %U:%G /var/lib/lotse 2>/dev/null)
[ "$owner" = lotse:lotse ] && pass "/var/lib/lotse is owned by lotse:lotse" || fail "/var/lib/lotse is owned by '$owner'"
owner=$(stat -c %U /var/lib/lotse/flows/salzgitter/main.yaml 2>/dev/null)
[ "$owner" = lotse ] && pass "the live content is owned by lotse" || fail "/var/lib/lotse/flows/... owned by '$owner'"

# ---- lotse check -----------------------------------------------------------------------------
out=$(lotse check /usr/share/lotse/examples/flows 2>&1)
[ $? = 0 ] && [ "$(tail -1 <<<"$out")" = "lotse check: ok" ] \
	&& pass "lotse check /usr/share/lotse/examples/flows: ok" || { echo "$out"; fail "lotse check on the examples"; }
# no arguments, from a folder without lotse.yaml: the installed configuration's flows folder
out=$(cd "$work" && lotse check 2>&1)
[ $? = 0 ] && [ "$(tail -1 <<<"$out")" = "lotse check: ok" ] \
	&& pass "lotse check (no arguments, /etc/lotse/lotse.yaml -> /var/lib/lotse/flows): ok" \
	|| { echo "$out"; fail "lotse check without arguments"; }

# ---- lotse serve as user lotse, with the unit's command line ---------------------------------
unit=/lib/systemd/system/lotse.service
execstart=$(sed -n 's/^ExecStart=//p' "$unit")
workdir=$(sed -n 's/^WorkingDirectory=//p' "$unit")
[ "$execstart" = "/usr/bin/lotse serve --config /etc/lotse/lotse.yaml" ] \
	&& pass "unit ExecStart: $execstart" || fail "unexpected ExecStart '$execstart'"
# The unit's command line, on free loopback ports (port 0) so the test never collides with
# anything listening on the host's 8080-8082.
read -r -a cmd <<<"$execstart"
cmd+=(--kiosk 127.0.0.1:0 --socket 127.0.0.1:0 --staff 127.0.0.1:0)
key=/etc/lotse/resume.key
[ "$(stat -c '%s %a %U:%G' "$key" 2>/dev/null)" = "32 640 root:lotse" ] \
	&& pass "the resume key $key: 32 bytes, 640, root:lotse" \
	|| fail "the resume key $key: $(stat -c '%s %a %U:%G' "$key" 2>&1)"
start_server() {
	: >"$work/serve.out"
	(cd "$workdir" && exec setpriv --reuid=lotse --regid=lotse --init-groups -- "${cmd[@]}") \
		>"$work/serve.out" 2>"$work/serve.err" &
	pid=$!
	for _ in $(seq 1 600); do   # at most 60 s: only an upper bound for a broken start
		grep -q '^staff/ops: ' "$work/serve.out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
}
start_server
kiosk=$(sed -n 's/^kiosk page: //p' "$work/serve.out")
socket=$(sed -n 's/^conversation socket: //p' "$work/serve.out")
staff=$(sed -n 's/^staff\/ops: //p' "$work/serve.out")
if [ -n "$kiosk" ] && [ -n "$socket" ] && [ -n "$staff" ]; then
	pass "lotse serve (user lotse) printed its URLs: $kiosk $socket $staff"
else
	cat "$work/serve.out" "$work/serve.err"
	fail "lotse serve did not print its URLs"
	exit 1
fi
user=$(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')
[ "$user" = lotse ] && pass "the server runs as user lotse" || fail "the server runs as '$user'"

# a real conversation: start in English, answer one choice, the step moves on
cat >"$work/talk.py" <<'PY'
import asyncio, json, sys, urllib.request
import websockets

socket, kiosk, staff, phase, token_file = sys.argv[1:6]
failures = 0
def check(ok, what):
    global failures
    print(("PASS: " if ok else "FAIL: ") + what)
    failures += 0 if ok else 1

async def recv(ws, want):
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), 30))
        if m.get("type") in (want, "error"):
            return m

async def talk():
    async with websockets.connect(socket) as ws:
        await ws.send(json.dumps({"type": "start", "tenant": "salzgitter", "lang": "en"}))
        s = await recv(ws, "step")
        check(s.get("type") == "step" and s.get("node") == "who"
              and s.get("text") == "Who are you looking for an offer for?",
              "start salzgitter/en: step 'who' in English from the installed catalogue (%s: %r)"
              % (s.get("node"), s.get("text")))
        await ws.send(json.dumps({"type": "choose", "choice": "child"}))
        s = await recv(ws, "step")
        check(s.get("type") == "step" and s.get("node") == "child_age"
              and s.get("text") == "How old is your child?",
              "choose 'child': the step moved to 'child_age' (%s: %r)" % (s.get("node"), s.get("text")))

        check("." in s.get("token", ""), "the resume token is sealed (resume_key_file is set)")
        with open(token_file, "w") as f:
            f.write(s.get("token", ""))

async def resume():
    async with websockets.connect(socket) as ws:
        with open(token_file) as f:
            token = f.read()
        await ws.send(json.dumps({"type": "resume", "token": token}))
        s = await recv(ws, "step")
        check(s.get("type") == "step" and s.get("node") == "child_age" and s.get("lang") == "en",
              "after kill -9 and a new start the conversation resumes at 'child_age' in English "
              "(%r)" % (s.get("node") or s))

if phase == "resume":
    asyncio.run(resume())
    sys.exit(1 if failures else 0)
asyncio.run(talk())
with urllib.request.urlopen(kiosk, timeout=30) as r:
    body = r.read().decode("utf-8")
    check(r.status == 200 and "<html" in body.lower() and "app.js" in body,
          "GET %s: 200, the kiosk page from /usr/share/lotse/kiosk-ui" % kiosk)
with urllib.request.urlopen(kiosk + "config.json", timeout=30) as r:
    cfg = json.loads(r.read())
    check(cfg["socket"]["port"] == int(socket.rsplit(":", 1)[1].strip("/")),
          "GET /config.json names the socket's port %s" % cfg["socket"]["port"])
with urllib.request.urlopen(staff + "healthz", timeout=30) as r:
    check(r.status == 200 and r.read().decode().strip() == "ok", "GET /healthz: 200 ok")
sys.exit(1 if failures else 0)
PY
python3 "$work/talk.py" "$socket" "$kiosk" "$staff" talk "$work/token" || fails=$((fails + 1))

# a crash loses no conversation: kill -9 (nothing saved), start again, resume with the token
kill -KILL "$pid"
wait "$pid" 2>/dev/null
start_server
socket=$(sed -n 's/^conversation socket: //p' "$work/serve.out")
if [ -n "$socket" ]; then
	python3 "$work/talk.py" "$socket" "$kiosk" "$staff" resume "$work/token" || fails=$((fails + 1))
else
	cat "$work/serve.err"; fail "lotse serve did not start again after kill -9"
fi

kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
[ $rc = 0 ] && pass "lotse serve stopped cleanly on SIGTERM" || { cat "$work/serve.err"; fail "lotse serve exited with $rc"; }
owner=$(stat -c %U /var/lib/lotse/lotse.db 2>/dev/null)
[ "$owner" = lotse ] && pass "the database /var/lib/lotse/lotse.db was created by lotse" \
	|| fail "/var/lib/lotse/lotse.db owned by '$owner'"

# ---- upgrade: data kept, the previous schema migrated -----------------------------------------
# The same .deb installed over itself runs the maintainer scripts of an upgrade (preinst/postinst
# with the old version): the resume key, the live content and the database must stay as they were.
# The database is first replaced by one at the previous schema version (tests/data/store/
# schema_v1.sql, the first release's), which the server must migrate at its next start.
sum_of() { find "$@" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1; }
v1sql=$(cd "$(dirname "$0")/../data/store" 2>/dev/null && pwd)/schema_v1.sql
if [ -f "$v1sql" ]; then
	rm -f /var/lib/lotse/lotse.db /var/lib/lotse/lotse.db-wal /var/lib/lotse/lotse.db-shm
	# (read by root, written by lotse: the repository may not be readable to lotse)
	runuser -u lotse -- python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.executescript(sys.stdin.read()); c.commit()
c.execute("PRAGMA wal_checkpoint(TRUNCATE)"); c.close()' /var/lib/lotse/lotse.db <"$v1sql" \
		&& pass "a database at the previous schema (version 1) in /var/lib/lotse/lotse.db" \
		|| fail "cannot write the version 1 database"
else
	fail "tests/data/store/schema_v1.sql not found next to this script"
fi
key_before=$(sha256sum /etc/lotse/resume.key | cut -d' ' -f1)
content_before=$(sum_of /var/lib/lotse/flows /var/lib/lotse/po /var/lib/lotse/catalogues)
db_before=$(sha256sum /var/lib/lotse/lotse.db | cut -d' ' -f1)
if apt-get install -y -q --reinstall "$deb" >"$work/apt-reinstall.log" 2>&1; then
	pass "the package installed over itself (upgrade path of the maintainer scripts)"
else
	tail -20 "$work/apt-reinstall.log"
	fail "apt-get install --reinstall"
fi
[ "$(sha256sum /etc/lotse/resume.key | cut -d' ' -f1)" = "$key_before" ] \
	&& pass "upgrade kept the resume key" || fail "upgrade replaced /etc/lotse/resume.key"
[ "$(sum_of /var/lib/lotse/flows /var/lib/lotse/po /var/lib/lotse/catalogues)" = "$content_before" ] \
	&& pass "upgrade kept the live content (flows, po, catalogues)" || fail "upgrade changed /var/lib/lotse content"
[ "$(sha256sum /var/lib/lotse/lotse.db | cut -d' ' -f1)" = "$db_before" ] \
	&& pass "upgrade left the database alone" || fail "upgrade changed the database"
v1=$(runuser -u lotse -- python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("PRAGMA user_version").fetchone()[0])' /var/lib/lotse/lotse.db 2>&1)
[ "$v1" = 1 ] && pass "the database is at schema version 1 before the start" || fail "user_version '$v1' (want 1)"
start_server
socket=$(sed -n 's/^conversation socket: //p' "$work/serve.out")
if [ -n "$socket" ]; then
	pass "lotse serve starts on the version 1 database"
	kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
	[ $rc = 0 ] && pass "lotse serve stopped cleanly" || { cat "$work/serve.err"; fail "exit $rc"; }
else
	cat "$work/serve.err"; fail "lotse serve did not start on the version 1 database"
fi
out=$(runuser -u lotse -- python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("PRAGMA user_version").fetchone()[0],
      c.execute("SELECT count(*) FROM sqlite_master WHERE name IN (\"revisions\", \"staff_accounts\", \"saved_sessions\")").fetchone()[0],
      c.execute("PRAGMA integrity_check").fetchone()[0])' /var/lib/lotse/lotse.db 2>&1)
[ "$out" = "5 3 ok" ] && pass "the start migrated the database to schema version 5 (integrity ok)" \
	|| fail "after the start: user_version, new tables, integrity = '$out' (want '5 3 ok')"

# ---- purge -----------------------------------------------------------------------------------
if apt-get purge -y -q lotse >"$work/apt-purge.log" 2>&1; then
	pass "apt-get purge lotse"
else
	tail -20 "$work/apt-purge.log"
	fail "apt-get purge lotse"
fi
for gone in /etc/lotse /var/lib/lotse /usr/bin/lotse /usr/share/lotse; do
	[ ! -e "$gone" ] && pass "purge removed $gone" || fail "$gone is still there after purge"
done

if [ $fails = 0 ]; then
	echo "check-installed: PASS (every check passed)"
	exit 0
fi
echo "check-installed: FAIL ($fails failed)"
exit 1
