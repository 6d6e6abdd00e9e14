#!/usr/bin/python3
"""layers.py - the module layers hold: a module under src/ includes only its own headers and
those of modules below it (ctest `layers`).

The order, bottom up, is the one in docs/contributing.md ("Layout and contracts"); keep the two
in step. main.c (src/main.c) is on top and may include every module. A file under src/<module>/
that includes "<other>/x.h" (or <other/x.h>) of a module above its own layer fails the test with
file:line: the include, its module and the rule. A quoted include of a folder that is no module,
and a folder under src/ that is not in LAYERS, fail too, so the list cannot silently fall behind.

Inside a module listed in CYCLE_FREE, the files must not include each other in a cycle: a file (x.c and x.h
count as one unit "x"; the module's own <module>.h, its contract implemented across its files,
is a unit of its own) that includes "<module>/y.h" depends on y; a cycle x -> y -> ... -> x
fails the test with the units of the cycle (so the dependency between the files of a module
stays one-way and visible in its includes).

Usage: layers.py [SOURCE_DIR]   (default: the repository this file is in)
       layers.py --self-test    (checks the checker on a small tree with known faults)
Exit status 0 when every include keeps to the layers, 1 otherwise.
"""

import os
import re
import sys

# docs/contributing.md: util -> yaml -> i18n -> flow -> store -> content -> talk -> net ->
# staff -> server -> main.c
LAYERS = ["util", "yaml", "i18n", "flow", "store", "content", "talk", "net", "staff", "server"]

# Modules whose files must not include each other in a cycle (issue 10, "Shape").
CYCLE_FREE = ["staff"]

INCLUDE = re.compile(r'^\s*#\s*include\s*(?:"([^"]+)"|<([^>]+)>)')


def check_file(path, rel, module, rank, problems):
    """Adds a line to problems for each include in path that goes up a layer."""
    with open(path, encoding="utf-8", errors="replace") as f:
        for lineno, line in enumerate(f, 1):
            m = INCLUDE.match(line)
            header = m and (m.group(1) or m.group(2))
            if not header or "/" not in header:
                continue  # a header next to the file (its own module) or a system header
            target = header.split("/", 1)[0]
            if target not in LAYERS:
                if m.group(1):  # <sys/stat.h> is a system header, "sys/x.h" is not
                    problems.append('%s:%d: includes "%s": "%s" is not a module in the layer '
                                    "list (tests/layers.py, docs/contributing.md)"
                                    % (rel, lineno, header, target))
            elif LAYERS.index(target) > rank:
                problems.append('%s:%d: includes "%s": module %s may include only %s, not %s '
                                "(a layer above it; docs/contributing.md)"
                                % (rel, lineno, header, module, " ".join(LAYERS[:rank + 1]),
                                   target))


def unit_cycles(folder, module, problems):
    """Adds a line to problems for each include cycle between the files of one module."""
    deps = {}
    for dirpath, _, names in os.walk(folder):
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            unit = os.path.splitext(name)[0]
            if name == module + ".h":
                unit = name  # the module's contract: implemented across its files
            with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
                for line in f:
                    m = INCLUDE.match(line)
                    header = m and m.group(1)
                    if header and header.startswith(module + "/") and header.endswith(".h"):
                        base = header.split("/", 1)[1]
                        other = base if base == module + ".h" else os.path.splitext(base)[0]
                        if other != unit:
                            deps.setdefault(unit, set()).add(other)
    seen, found = {}, set()

    def visit(u, stack):
        seen[u] = 1
        stack.append(u)
        for v in sorted(deps.get(u, ())):
            if seen.get(v) == 1:
                cyc = stack[stack.index(v):]
                k = cyc.index(min(cyc))
                found.add(tuple(cyc[k:] + cyc[:k]))
            elif v not in seen:
                visit(v, stack)
        stack.pop()
        seen[u] = 2

    for u in sorted(deps):
        if u not in seen:
            visit(u, [])
    for cyc in sorted(found):
        problems.append("src/%s/: include cycle between its files: %s (a file may include only "
                        "files below it; docs/contributing.md)"
                        % (module, " -> ".join(list(cyc) + [cyc[0]])))


def check_tree(root):
    """Returns (problems, number of files) for the tree at root."""
    src = os.path.join(root, "src")
    problems = []
    files = 0
    for module in sorted(os.listdir(src)):
        folder = os.path.join(src, module)
        if not os.path.isdir(folder):
            continue  # main.c: on top of every layer
        if module not in LAYERS:
            problems.append("src/%s/: a module that is not in the layer list "
                            "(tests/layers.py, docs/contributing.md)" % module)
            continue
        rank = LAYERS.index(module)
        if module in CYCLE_FREE:
            unit_cycles(folder, module, problems)
        for dirpath, _, names in os.walk(folder):
            for name in sorted(names):
                if name.endswith((".c", ".h")):
                    path = os.path.join(dirpath, name)
                    files += 1
                    check_file(path, os.path.relpath(path, root), module, rank, problems)
    return problems, files


def self_test():
    """The checker finds each kind of fault in a small tree, with file and line; returns 0/1."""
    import tempfile
    files = {
        "src/main.c": '#include "server/serve.h"\n#include "util/log.h"\n',
        "src/util/log.c": '/* x */\n#include "util/log.h"\n#include "net/ws.h"\n',
        "src/flow/a.c": '#include <stdio.h>\n#include <sys/stat.h>\n#include "yaml/ydoc.h"\n'
                        '#include "schema.h"\n#include "flow/flow.h"\n',
        "src/flow/sub/b.h": '#include <staff/api.h>\n',
        "src/store/c.c": '#include "sys/x.h"\n',
        "src/server/d.c": '#include "staff/api.h"\n#include "net/http.h"\n',
        "src/gui/e.c": '#include "util/log.h"\n',
        "src/staff/a.c": '#include "staff/a.h"\n#include "staff/b.h"\n',
        "src/staff/b.c": '#include "staff/c.h"\n',
        "src/staff/c.h": '#include "staff/a.h"\n#include "util/log.h"\n',
    }
    expected = [
        "src/flow/sub/b.h:1: includes \"staff/api.h\": module flow may include only "
        "util yaml i18n flow, not staff (a layer above it; docs/contributing.md)",
        "src/gui/: a module that is not in the layer list (tests/layers.py, docs/contributing.md)",
        "src/staff/: include cycle between its files: a -> b -> c -> a (a file may include only "
        "files below it; docs/contributing.md)",
        "src/store/c.c:1: includes \"sys/x.h\": \"sys\" is not a module in the layer list "
        "(tests/layers.py, docs/contributing.md)",
        "src/util/log.c:3: includes \"net/ws.h\": module util may include only util, not net "
        "(a layer above it; docs/contributing.md)",
    ]
    with tempfile.TemporaryDirectory(prefix="lotse-layers-") as root:
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), "w", encoding="utf-8") as f:
                f.write(text)
        problems, n = check_tree(root)
    if sorted(problems) != expected or n != 8:
        print("layers self-test failed: %d files; got:\n  %s\nexpected:\n  %s"
              % (n, "\n  ".join(sorted(problems)), "\n  ".join(expected)))
        return 1
    print("layers: self-test ok (%d faults found in %d files)" % (len(expected), n))
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                           else os.path.join(os.path.dirname(__file__), ".."))
    src = os.path.join(root, "src")
    problems, files = check_tree(root)
    for p in problems:
        print(p)
    if problems:
        print("layers: %d include(s) against the layers in %d files" % (len(problems), files))
        return 1
    if files == 0:
        print("layers: no source files under %s" % src)
        return 1
    print("layers: ok (%d files, %s)" % (files, " -> ".join(LAYERS + ["main.c"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
