#!/bin/sh
# run.sh - runs the kiosk page's browser tests for ctest (see tests/CMakeLists.txt).
#
#   run.sh LOTSE BUILD_DIR setup     installs playwright-core and axe-core from the committed
#                                    package-lock.json into BUILD_DIR/browser-tests/ (npm ci;
#                                    again only when the lock file changed). No browser is
#                                    downloaded: the tests drive Debian's /usr/bin/chromium.
#   run.sh LOTSE BUILD_DIR SUITE     runs tests/browser/SUITE.test.js against LOTSE
#
# Screenshots go to BUILD_DIR/test-artifacts/screens/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
lotse=$1
build=$2
suite=${3:-setup}
modules="$build/browser-tests"

setup() {
	mkdir -p "$modules"
	if [ -d "$modules/node_modules" ] && cmp -s "$here/package-lock.json" "$modules/installed.lock"; then
		return 0
	fi
	cp "$here/package.json" "$here/package-lock.json" "$modules/"
	(cd "$modules" && npm ci --no-audit --no-fund)
	cp "$here/package-lock.json" "$modules/installed.lock"
}

if [ "$suite" = setup ]; then
	setup
	exit 0
fi
[ -d "$modules/node_modules" ] || setup
[ -x /usr/bin/chromium ] || { echo "run.sh: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
NODE_PATH="$modules/node_modules" exec node "$here/$suite.test.js" \
	--lotse "$lotse" --build "$build" --source "$source_dir"
