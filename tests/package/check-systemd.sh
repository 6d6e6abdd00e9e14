#!/bin/bash
# check-systemd.sh DEB [TARBALL] - boots a fresh Debian 12 root with systemd (systemd-nspawn, private
# network) with the lotse package installed, and checks the hardened lotse.service as systemd runs
# it: the unit is active with its limits, a conversation works, read-aloud audio (espeak-ng) and a
# flow picture (dot) are made inside the sandbox, a staff .po upload is compiled by msgfmt and
# served after the reload, `systemctl reload lotse` reloads (journal), and `systemd-analyze
# security` rates the installed unit. Needs root and systemd-container on this machine; the
# container powers itself off. One PASS/FAIL line per check; exit 1 if any failed (2: could not
# run). See docs/packaging.md.
set -u
deb=${1:-}
tarball=${2:-/var/tmp/fresh-debian/minbase.tar}
R=${SDROOT:-/var/tmp/lotse-pkgroot-sd}
if [ -z "$deb" ] || [ ! -f "$deb" ] || [ "$(id -u)" != 0 ]; then
	echo "usage (as root): check-systemd.sh DEB [TARBALL]" >&2
	exit 2
fi
command -v systemd-nspawn >/dev/null || { echo "check-systemd: needs systemd-nspawn (apt-get install systemd-container)" >&2; exit 2; }
[ -s "$tarball" ] || { echo "check-systemd: no root tarball $tarball (see run-fresh-root.sh)" >&2; exit 2; }
umount_all() { for m in dev sys proc; do umount -R "$R/$m" 2>/dev/null; done; }
trap umount_all EXIT
umount_all
# never rm -rf while anything is mounted below $R (it would reach the host's /dev and /sys)
if grep -q " $R/" /proc/mounts; then
	echo "check-systemd: still mounted below $R; not removing it" >&2
	exit 2
fi
rm -rf "$R"
mkdir -p "$R/root/pkg" && tar -C "$R" -xf "$tarball" || exit 2
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
cp "$deb" "$R/root/pkg/"
mount -t proc proc "$R/proc" && mount --rbind /sys "$R/sys" && mount --rbind /dev "$R/dev" &&
	mount --make-rslave "$R/sys" && mount --make-rslave "$R/dev" || exit 2
# the chroot shares this machine's network: no daemon may start while installing
printf '#!/bin/sh\nexit 101\n' >"$R/usr/sbin/policy-rc.d" && chmod 755 "$R/usr/sbin/policy-rc.d"
if ! chroot "$R" /bin/bash -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -q && apt-get install -y -q \
	systemd systemd-sysv dbus python3-websockets /root/pkg/$(basename "$deb")" >"$R/root/pkg/apt.log" 2>&1; then
	tail -20 "$R/root/pkg/apt.log"
	echo "check-systemd: installing systemd and the package failed" >&2
	exit 2
fi
umount_all
rm -f "$R/usr/sbin/policy-rc.d"   # the booted container starts its units as a real system does

# The check, run by a oneshot unit after lotse.service; it writes /root/pkg/result and powers off.
cat >"$R/root/pkg/check-unit.py" <<'PY'
#!/usr/bin/python3
import asyncio, http.client as hc, json, re, subprocess, time, urllib.parse
import websockets
res = []
def check(ok, what):
    res.append(("PASS: " if ok else "FAIL: ") + what)
def http(port, path, headers=None, method="GET", body=None):
    c = http_client(port)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
def http_client(port):
    return hc.HTTPConnection("127.0.0.1", port, timeout=60)
async def step(ws, msg):
    await ws.send(json.dumps(msg))
    while True:
        m = json.loads(await asyncio.wait_for(ws.recv(), 60))
        if m["type"] in ("step", "error"):
            return m
async def talk():
    async with websockets.connect("ws://127.0.0.1:8081/") as ws:
        a = await step(ws, {"type": "start", "tenant": "salzgitter", "lang": "en"})
        b = await step(ws, {"type": "choose", "choice": "child"})
        return a, b
try:
    for _ in range(600):
        try:
            if http(8082, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    show = subprocess.run(["systemctl", "show", "-p", "ActiveState,User,LimitNOFILE,NoNewPrivileges", "lotse"],
                          capture_output=True, text=True).stdout.split()
    check(sorted(show) == ["ActiveState=active", "LimitNOFILE=65536", "NoNewPrivileges=yes", "User=lotse"],
          "lotse.service runs: %s" % " ".join(show))
    a, b = asyncio.run(talk())
    check(a.get("node") == "who" and a.get("text") == "Who are you looking for an offer for?",
          "conversation starts in English: %r" % a.get("text"))
    check(b.get("node") == "child_age" and b.get("text") == "How old is your child?",
          "answer 'child' -> child_age: %r" % b.get("text"))
    s, h, body = http(8080, "/speak/salzgitter/en/step/main/who.opus")
    check(s == 200 and body[:4] == b"OggS" and body[28:36] == b"OpusHead",
          "read aloud (espeak-ng in the sandbox): %d, %d bytes of Ogg Opus" % (s, len(body)))
    r = subprocess.run(["runuser", "-u", "lotse", "--", "lotse", "staff", "add", "anna", "--role", "editor", "--office", "*"],
                       input="anna-geheim-123\n", capture_output=True, text=True)
    check(r.returncode == 0, "lotse staff add as user lotse (no --config): " + r.stderr.strip())
    s, h, body = http(8082, "/api/login", {"Content-Type": "application/json"}, "POST",
                      json.dumps({"name": "anna", "password": "anna-geheim-123"}))
    check(s == 200, "staff login: %d" % s)
    auth = {"Cookie": h.get("set-cookie", "").split(";", 1)[0]}
    if s == 200:
        auth["X-CSRF-Token"] = json.loads(body)["csrf"]
    s, h, body = http(8082, "/api/flows/salzgitter/main/graph.svg", auth)
    check(s == 200 and b"<svg" in body, "flow picture (dot in the sandbox): %d" % s)
    s, h, po = http(8082, "/api/po/en.po", auth)
    new = po.replace(b'msgstr "How old is your child?"', b'msgstr "How old is your child now?"')
    q = urllib.parse.urlencode({"base_revision": h.get("x-lotse-revision", ""),
                                "base_hash": h.get("x-lotse-hash", ""), "message": "check-systemd"})
    s, h, body = http(8082, "/api/po/en.po?" + q, dict(auth, **{"Content-Type": "text/x-gettext-translation"}),
                      "PUT", new)
    check(s == 200 and new != po, "staff .po upload (msgfmt in the sandbox): %d %s" % (s, body[:200]))
    a, b = asyncio.run(talk())
    check(b.get("text") == "How old is your child now?", "the uploaded catalogue is live: %r" % b.get("text"))
    subprocess.run(["systemctl", "reload", "lotse"], check=False)
    log = ""
    for _ in range(300):
        log = subprocess.run(["journalctl", "-u", "lotse", "--no-pager", "-o", "cat"],
                             capture_output=True, text=True).stdout
        if "reload: SIGHUP received" in log:
            break
        time.sleep(0.1)
    check("reload: SIGHUP received" in log, "systemctl reload lotse -> SIGHUP reload, in the journal")
    check("conversation socket: ws://127.0.0.1:8081/" in log, "the server's output is in the journal")
    sec = subprocess.run(["systemd-analyze", "security", "lotse"], capture_output=True, text=True).stdout
    m = re.search(r"Overall exposure level for lotse.service: ([0-9.]+)", sec)
    check(m is not None and float(m.group(1)) <= 2.0,
          "systemd-analyze security lotse (installed): %s" % (m.group(1) if m else "?"))
except Exception as e:  # a crash of the check itself is a failure, never a silent pass
    check(False, "check-unit.py stopped: %r" % e)
with open("/root/pkg/result", "w") as f:
    f.write("\n".join(res) + "\n")
PY
chmod +x "$R/root/pkg/check-unit.py"
cat >"$R/etc/systemd/system/lotse-check.service" <<'EOF'
[Unit]
Description=check the installed lotse.service (tests/package/check-systemd.sh)
After=lotse.service
Wants=lotse.service
[Service]
Type=oneshot
ExecStart=/root/pkg/check-unit.py
ExecStopPost=/bin/systemctl poweroff
EOF
ln -sf /etc/systemd/system/lotse-check.service "$R/etc/systemd/system/multi-user.target.wants/"
# no system bus on a machine without systemd: no registration, no scope of its own
timeout 600 systemd-nspawn -q -D "$R" --boot --private-network --register=no --keep-unit \
	>"$R/root/pkg/boot.log" 2>&1
if [ ! -s "$R/root/pkg/result" ]; then
	tail -40 "$R/root/pkg/boot.log"
	echo "FAIL: the container wrote no result (boot log: $R/root/pkg/boot.log)"
	exit 1
fi
cat "$R/root/pkg/result"
if grep -q '^FAIL' "$R/root/pkg/result"; then
	echo "check-systemd: FAIL"
	exit 1
fi
echo "check-systemd: PASS (every check passed)"
