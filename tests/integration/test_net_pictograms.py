"""test_net_pictograms.py - a choice's pictogram (issue 11, item 4; docs/flows.md "Pictograms",
docs/protocol.md "step") over a real socket: the fixture of tests/data/net with `icon:` added to
two answers of the first question. The step frame carries "icon" and "emoji" for them, and
neither key for an answer without one; the "continue" button of an information step has the
arrow `next`, pointing left in Arabic; a reload with an unknown name is refused (the old content
keeps serving) and `lotse check` names the file, line and column with the closest name; the
default content's every answer has a pictogram.
"""

import os
import re
import shutil
import subprocess

from lotse_harness import Client, Server, main, run

BABY = "\U0001F476"
ME = "\U0001F64B"
NEXT_LTR = "\u27A1\uFE0F"
NEXT_RTL = "\u2B05\uFE0F"


def fixture(args, tmp):
    """tests/data/net/flows with icons on the first question's "child" and "me"."""
    flows = os.path.join(tmp, "flows")
    shutil.copytree(os.path.join(args.source, "tests/data/net/flows"), flows)
    main_yaml = os.path.join(flows, "testamt", "main.yaml")
    with open(main_yaml, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("next: child_age }", "next: child_age, icon: baby }", 1)
    text = text.replace("next: adult_results }", "next: adult_results, icon: me }", 1)
    with open(main_yaml, "w", encoding="utf-8") as f:
        f.write(text)
    return flows, main_yaml


def test_step_frames(args):
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lotse-pict-%d" % os.getpid())
    os.makedirs(tmp, exist_ok=True)
    try:
        flows, _ = fixture(args, tmp)

        async def body(url):
            c = await Client.open(url)
            s = await c.call({"type": "start", "tenant": "testamt"}, "step")
            assert s["node"] == "who", s
            assert s["choices"] == [
                {"id": "child", "label": "Für mein Kind", "icon": "baby", "emoji": BABY},
                {"id": "me", "label": "Für mich selbst", "icon": "me", "emoji": ME},
                {"id": "person", "label": "Mit jemandem sprechen"},
            ], s["choices"]
            s = await c.call({"type": "choose", "choice": "child"}, "step")
            assert s["choices"] == [{"id": "small", "label": "unter 3 Jahre"},
                                    {"id": "kita", "label": "3 bis 6 Jahre"}], s["choices"]
            s = await c.call({"type": "choose", "choice": "small"}, "step")
            assert (s["node"], s["kind"]) == ("krippe_info", "say"), s
            assert s["choices"] == [{"id": "next", "label": "Weiter", "icon": "next",
                                     "emoji": NEXT_LTR}], s["choices"]
            s = await c.call({"type": "language", "lang": "ar"}, "step")
            assert (s["node"], s["dir"]) == ("krippe_info", "rtl"), s
            assert s["choices"] == [{"id": "next", "label": "متابعة", "icon": "next",
                                     "emoji": NEXT_RTL}], s["choices"]
            s = await c.call({"type": "back"}, "step")
            s = await c.call({"type": "back"}, "step")
            assert s["node"] == "who" and s["lang"] == "ar", s
            assert [(x["id"], x.get("icon"), x.get("emoji")) for x in s["choices"]] == [
                ("child", "baby", BABY), ("me", "me", ME), ("person", None, None)], s["choices"]
            await c.close()

        with Server(args, flows=flows) as srv:
            run(body(srv.urls["socket"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_unknown_name(args):
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lotse-pict-bad-%d" % os.getpid())
    os.makedirs(tmp, exist_ok=True)
    try:
        flows, main_yaml = fixture(args, tmp)
        with open(main_yaml, encoding="utf-8") as f:
            lines = f.read().split("\n")
        line_no = next(i for i, ln in enumerate(lines) if "icon: baby" in ln) + 1
        col = lines[line_no - 1].index("baby") + 1

        async def who_icons(url):
            c = await Client.open(url)
            s = await c.call({"type": "start", "tenant": "testamt"}, "step")
            await c.close()
            return [x.get("icon") for x in s["choices"]]

        with Server(args, flows=flows) as srv:
            assert run(who_icons(srv.urls["socket"])) == ["baby", "me", None]
            with open(srv.flows + "/testamt/main.yaml", encoding="utf-8") as f:
                text = f.read()
            with open(srv.flows + "/testamt/main.yaml", "w", encoding="utf-8") as f:
                f.write(text.replace("icon: baby", "icon: babby", 1))
            srv.reload()
            srv.wait_stderr(re.escape('unknown pictogram "babby" in "icon"; did you mean "baby"?'))
            # the old content keeps serving
            assert run(who_icons(srv.urls["socket"])) == ["baby", "me", None]

        with open(main_yaml, "w", encoding="utf-8") as f:
            f.write("\n".join(lines).replace("icon: baby", "icon: babby", 1))
        r = subprocess.run([args.lotse, "check", flows], capture_output=True, text=True)
        assert r.returncode == 1, r
        assert r.stderr.splitlines() == [
            '%s/testamt/main.yaml:%d:%d: unknown pictogram "babby" in "icon"; '
            'did you mean "baby"?' % (flows, line_no, col),
            "lotse check: 1 error",
        ], r.stderr
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def test_default_content(args):
    """Every answer of every default flow has a pictogram (docs/flows.md: the default flows give
    every choice one), and `lotse check flows` passes."""
    flows = os.path.join(args.source, "flows")
    r = subprocess.run([args.lotse, "check", flows], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    choices = 0
    for tenant in sorted(os.listdir(flows)):
        for name in sorted(os.listdir(os.path.join(flows, tenant))):
            if not name.endswith(".yaml") or name in ("tenant.yaml", "offers.yaml"):
                continue
            with open(os.path.join(flows, tenant, name), encoding="utf-8") as f:
                for n, line in enumerate(f, 1):
                    if re.match(r"^\s*- \{ id: ", line):
                        choices += 1
                        assert re.search(r", icon: [a-z-]+ \}$", line.rstrip("\n")), \
                            "%s/%s:%d: a choice without a pictogram" % (tenant, name, n)
    assert choices > 400, choices


if __name__ == "__main__":
    main([test_step_frames, test_unknown_name, test_default_content])
