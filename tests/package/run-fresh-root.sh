#!/bin/bash
# run-fresh-root.sh DEB [TARBALL] - runs check-installed.sh on DEB inside a fresh minimal Debian 12
# root, as root (docs/packaging.md). TARBALL is an mmdebstrap minbase root (default
# /var/tmp/fresh-debian/minbase.tar; made here with mmdebstrap when missing). The root is extracted
# into $PKGROOT (default /var/tmp/lotse-pkgroot, emptied first), gets this machine's apt sources,
# DNS and CA bundle (how the package's dependencies are fetched), and is unmounted afterwards.
# Exit status: check-installed.sh's (0: every check passed).
set -u
deb=${1:-}
tarball=${2:-/var/tmp/fresh-debian/minbase.tar}
R=${PKGROOT:-/var/tmp/lotse-pkgroot}
here=$(cd "$(dirname "$0")" && pwd)
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
	echo "usage: run-fresh-root.sh DEB [TARBALL]" >&2
	exit 2
fi
if [ ! -s "$tarball" ]; then
	tarball=/var/tmp/lotse-pkg-minbase.tar
	[ -s "$tarball" ] || mmdebstrap --variant=minbase --include=ca-certificates,procps bookworm \
		"$tarball" /etc/apt/sources.list.d/debian.sources >/dev/null 2>&1 \
		|| { echo "run-fresh-root: mmdebstrap failed" >&2; exit 2; }
fi
cleanup() { for m in dev sys proc; do umount -R "$R/$m" 2>/dev/null; done; }
trap cleanup EXIT
cleanup
# never remove the root while anything is mounted below it: rm would reach the host's /dev and /sys
if grep -q " $R/" /proc/mounts; then
	echo "run-fresh-root: still mounted below $R; not removing it" >&2
	exit 2
fi
rm -rf "$R"
mkdir -p "$R" && tar -C "$R" -xf "$tarball" || { echo "run-fresh-root: cannot extract $tarball" >&2; exit 2; }
cp /etc/resolv.conf "$R/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$R/etc/ssl/certs/ca-certificates.crt"
[ -f /etc/npmrc ] && cp /etc/npmrc "$R/etc/npmrc"
mount -t proc proc "$R/proc"
mount --rbind /sys "$R/sys"
mount --rbind /dev "$R/dev"
# slaves: unmounting them later must not propagate to the host's /dev/pts, /dev/shm, ...
mount --make-rslave "$R/sys"
mount --make-rslave "$R/dev"
mkdir -p "$R/root/pkg"
cp "$deb" "$R/root/pkg/"
cp "$here/check-installed.sh" "$R/root/pkg/"
# the previous schema's database, for the upgrade check (../data/store/ from the script)
mkdir -p "$R/root/data/store" && cp "$here/../data/store/schema_v1.sql" "$R/root/data/store/"
chroot "$R" /bin/bash -c "cd /root/pkg && ./check-installed.sh ./$(basename "$deb")"
