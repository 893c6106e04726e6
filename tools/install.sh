#!/bin/sh
# install.sh - what `make install` does (the Makefile passes its variables
# in the environment): the programs, the man pages, the systemd unit with
# this PREFIX's paths, an example configuration unless one exists, and on
# the real system (no DESTDIR, as root) the user cgnlog and its state
# directory. Never overwrites a configuration; never deletes anything.
#
#   BUILD       where the programs were built (build)
#   PREFIX      /usr/local      programs in PREFIX/sbin and PREFIX/bin
#   DESTDIR     (empty)         staging root for packages and tests
#   SYSCONFDIR  /etc            the configuration in SYSCONFDIR/cgnlog
#   STATEDIR    /var/lib/cgnlog the store and the reject file
#   SYSTEMDDIR  PREFIX/lib/systemd/system
#   MANDIR      PREFIX/share/man
#   CGNUSER     cgnlog          the account cgnlogd runs as
set -eu
BUILD=${BUILD:-build}
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}
SYSCONFDIR=${SYSCONFDIR:-/etc}
STATEDIR=${STATEDIR:-/var/lib/cgnlog}
SYSTEMDDIR=${SYSTEMDDIR:-$PREFIX/lib/systemd/system}
MANDIR=${MANDIR:-$PREFIX/share/man}
CGNUSER=${CGNUSER:-cgnlog}
D=$DESTDIR

say() { echo "install: $*"; }

install -d "$D$PREFIX/sbin" "$D$PREFIX/bin" "$D$MANDIR/man1" \
    "$D$MANDIR/man5" "$D$MANDIR/man8" "$D$SYSTEMDDIR" \
    "$D$SYSCONFDIR/cgnlog"
install -m 755 "$BUILD/cgnlogd" "$D$PREFIX/sbin/cgnlogd"
install -m 755 "$BUILD/cgnq" "$BUILD/cgnlog-gen" "$BUILD/cgnlog-replay" \
    "$BUILD/cgnlog-verify" "$D$PREFIX/bin/"
install -m 644 query/cgnq.1 "$D$MANDIR/man1/cgnq.1"
install -m 644 collector/cgnlogd.conf.5 "$D$MANDIR/man5/cgnlogd.conf.5"
install -m 644 collector/cgnlogd.8 "$D$MANDIR/man8/cgnlogd.8"

# the unit names the installed paths (the file in the tree has the
# defaults: /usr/local, /etc, /var/lib/cgnlog)
sed -e "s|/usr/local/sbin/|$PREFIX/sbin/|g" \
    -e "s|/etc/cgnlog/|$SYSCONFDIR/cgnlog/|g" \
    -e "s|/var/lib/cgnlog|$STATEDIR|g" \
    collector/cgnlogd.service >"$D$SYSTEMDDIR/cgnlogd.service.tmp"
chmod 644 "$D$SYSTEMDDIR/cgnlogd.service.tmp"
mv "$D$SYSTEMDDIR/cgnlogd.service.tmp" "$D$SYSTEMDDIR/cgnlogd.service"

# an example to start from, never over the administrator's own
conf=$D$SYSCONFDIR/cgnlog/cgnlogd.conf
if [ -e "$conf" ]; then
	say "$conf exists: kept (the example is cgnlogd.conf.example beside it)"
else
	sed -e "s|/var/lib/cgnlog|$STATEDIR|g" collector/cgnlogd.conf.example \
	    >"$conf.tmp"
	chmod 644 "$conf.tmp"
	mv "$conf.tmp" "$conf"
	say "$conf: an example; edit the sources and devices"
fi
sed -e "s|/var/lib/cgnlog|$STATEDIR|g" collector/cgnlogd.conf.example \
    >"$conf.example"
chmod 644 "$conf.example"

# the account and its directory: only on the system itself, as root
install -d -m 750 "$D$STATEDIR"
if [ -n "$DESTDIR" ]; then
	say "DESTDIR is set: not creating user $CGNUSER nor giving it" \
	    "$STATEDIR (do it when the package is installed)"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	say "not root: not creating user $CGNUSER nor giving it $STATEDIR"
	exit 0
fi
if getent passwd "$CGNUSER" >/dev/null; then
	say "user $CGNUSER exists"
else
	useradd --system --user-group --no-create-home --home-dir "$STATEDIR" \
	    --shell /usr/sbin/nologin --comment "cgnlog collector" "$CGNUSER"
	say "created system user $CGNUSER"
fi
chown "$CGNUSER:$CGNUSER" "$STATEDIR"
chmod 750 "$STATEDIR"
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
	systemctl daemon-reload || true
	say "systemctl enable --now cgnlogd starts it"
fi
