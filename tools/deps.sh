#!/bin/sh
# deps.sh PACKAGE... - install the Debian packages of the list that are
# missing, with apt-get (as root). Refreshes the package lists first when
# there are none yet (a fresh machine) or the install fails on stale ones.
set -eu
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; run 'make deps' as root, or install:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial)" ]; then
	apt-get update -qq
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null ||
	{ apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >/dev/null; }
