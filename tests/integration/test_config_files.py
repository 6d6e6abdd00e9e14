#!/usr/bin/python3
"""test_config_files.py - which configuration file the `lotse` commands read and how paths in it
are resolved (docs/operating.md, docs/packaging.md): without --config, lotse.yaml in the current
folder; relative paths in a configuration file against that file's folder (so `--config
some/dir/lotse.yaml` works from anywhere); `lotse check` without paths checks the configuration's
flows folder; `lotse serve` says which file it picked and serves from the resolved folders. The
fallback to the installed /etc/lotse/lotse.yaml is tested on the package
(tests/package/check-installed.sh)."""
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lotse_harness as h  # noqa: E402

FAILURES = []


def check(cond, what):
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args, cwd):
    return subprocess.run(args, capture_output=True, text=True, cwd=cwd, timeout=h.WAIT * 4)


def make_site(args, root):
    """root/site/lotse.yaml with relative paths to a copy of the test content and catalogues."""
    site = os.path.join(root, "site")
    os.makedirs(site)
    shutil.copytree(os.path.join(args.source, "tests/data/net/flows"), os.path.join(site, "content"))
    h.compile_catalogues(os.path.join(args.source, "tests/data/net/po"), os.path.join(site, "mo"))
    with open(os.path.join(site, "lotse.yaml"), "w", encoding="utf-8") as f:
        f.write("flows: content\ncatalogues: mo\nui: %s\ndatabase: state/lotse.db\npo: po\n"
                "listen: {kiosk: '127.0.0.1:0', socket: '127.0.0.1:0', staff: '127.0.0.1:0'}\n"
                % os.path.join(args.source, "kiosk-ui"))
    os.makedirs(os.path.join(site, "state"))
    return site


def test_check(args, root, site):
    elsewhere = os.path.join(root, "elsewhere")
    os.makedirs(elsewhere)
    # --config from another folder: "content" is site/content, not elsewhere/content
    r = run([args.lotse, "check", "--config", os.path.join("..", "site", "lotse.yaml")], elsewhere)
    check(r.returncode == 0 and r.stderr.strip() == "lotse check: ok",
          "check --config ../site/lotse.yaml: %d %s" % (r.returncode, r.stderr))
    # no --config in the site folder: ./lotse.yaml; a tenant error names the resolved path
    os.rename(os.path.join(site, "content"), os.path.join(site, "content.moved"))
    r = run([args.lotse, "check", "--config", os.path.join(site, "lotse.yaml")], elsewhere)
    want = os.path.join(site, "content") + ": no such file or folder"
    check(r.returncode == 1 and want in r.stderr, "missing flows named by resolved path: " + r.stderr)
    r = run([args.lotse, "check"], site)
    check(r.returncode == 1 and "content: no such file or folder" in r.stderr,
          "check without --config reads ./lotse.yaml: " + r.stderr)
    os.rename(os.path.join(site, "content.moved"), os.path.join(site, "content"))
    r = run([args.lotse, "check"], site)
    check(r.returncode == 0 and r.stderr.strip() == "lotse check: ok", "check in site: " + r.stderr)


def test_serve(args, site):
    proc = subprocess.Popen([args.lotse, "serve"], cwd=site, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        urls = {}
        for line in proc.stdout:
            key, _, url = line.strip().partition(": ")
            urls[key] = url
            if key == "staff/ops":
                break
        check("conversation socket" in urls, "serve printed its URLs: %r" % urls)
        kiosk = urls.get("kiosk page", "")
        body = urllib.request.urlopen(kiosk, timeout=h.WAIT).read().decode("utf-8")
        check("<html" in body.lower(), "kiosk page served from the configured ui folder")
        check(os.path.exists(os.path.join(site, "state", "lotse.db")),
              "database created at site/state/lotse.db (relative to the configuration)")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=h.WAIT)
    check(err.splitlines()[0] == "lotse serve: configuration lotse.yaml",
          "serve names the file it picked: " + err.splitlines()[0])
    check(proc.returncode == 0, "serve stops cleanly: %d" % proc.returncode)


def main():
    args = h.parse_args()
    root = tempfile.mkdtemp(prefix="lotse-config-")
    try:
        site = make_site(args, root)
        test_check(args, root, site)
        test_serve(args, site)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES), file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
