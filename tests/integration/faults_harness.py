"""faults_harness.py - a "full disk" for the integration tests: starts a real
`lotse serve` with the fault-injection shim (tests/faults/faultfs.c,
LD_PRELOAD) and fills and frees its disk while it runs.

    srv = staff_server(args)                 # or lotse_harness.Server(args)
    disk = with_faults(args, srv)            # before srv.start()
    srv.start()
    disk.fill()                              # writes under srv.tmp fail: ENOSPC
    disk.fill("EIO", dirs=[srv.flows])       # only the flows folder, with EIO
    disk.free()
    disk.count()                             # failures injected so far

The shim is found in $LOTSE_FAULTFS (set by ctest) or next to the lotse
binary (build/tests/faultfs.so). When lotse is built with AddressSanitizer,
the sanitizer runtime is preloaded first (ASan insists on coming first; its
interceptors then call the shim, which calls libc). The shim removes itself
from the environment of children (msgfmt, dot).
"""

import os
import shutil
import subprocess
import tempfile


def shim_path(args):
    p = os.environ.get("LOTSE_FAULTFS") or os.path.join(os.path.dirname(args.lotse), "tests",
                                                         "faultfs.so")
    if not os.path.exists(p):
        raise RuntimeError("fault-injection shim not found: %s (build the faultfs target)" % p)
    return os.path.abspath(p)


def sanitizer_runtimes(binary):
    """Sanitizer runtimes the binary links (they must come first in LD_PRELOAD)."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    libs = []
    for line in out.splitlines():
        name, _, rest = line.strip().partition(" => ")
        if name.startswith(("libasan.", "libubsan.", "libtsan.")) and rest:
            libs.append(rest.split(" (", 1)[0])
    return libs


class Disk:
    """The trigger of the shim: while its file exists, writes fail."""

    def __init__(self, folder):
        self.folder = os.path.realpath(folder)
        self.dir = tempfile.mkdtemp(prefix="lotse-faultfs-")
        self.trigger = os.path.join(self.dir, "trigger")

    def env(self, args):
        preload = sanitizer_runtimes(args.lotse) + [shim_path(args)]
        env = dict(os.environ)
        env["LD_PRELOAD"] = ":".join(preload)
        env["LOTSE_FAULTFS_TRIGGER"] = self.trigger
        env["LOTSE_FAULTFS_DIR"] = self.folder
        return env

    def fill(self, error="ENOSPC", dirs=None, after=None):
        """From now on writes under the folder (or dirs) fail with error
        (ENOSPC or EIO); with after, only once that many more bytes are written."""
        lines = ["errno=" + error]
        lines += ["dir=" + os.path.realpath(d) for d in (dirs or [])]
        if after is not None:
            lines.append("after=%d" % after)
        tmp = self.trigger + ".new"
        with open(tmp, "w", encoding="ascii") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(tmp, self.trigger)  # the shim sees a new inode: re-reads it

    def free(self):
        if os.path.exists(self.trigger):
            os.unlink(self.trigger)

    def count(self):
        """How many calls the shim has failed so far."""
        try:
            with open(self.trigger + ".count", encoding="ascii") as f:
                return int(f.read().strip() or 0)
        except FileNotFoundError:
            return 0

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def with_faults(args, srv, folder=None):
    """Makes srv (a lotse_harness.Server, not yet started) run under the shim,
    with its whole temporary folder (database, flows, po, catalogues) as the
    disk; returns the Disk. srv.cleanup() does not remove the trigger folder:
    call disk.cleanup()."""
    disk = Disk(folder or srv.tmp)
    srv.env = disk.env(args)
    return disk
