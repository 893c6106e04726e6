#!/bin/sh
# install.sh BUILD - make install into a staging root (DESTDIR): every
# file where it belongs with its mode, the unit with the PREFIX's paths,
# the example configuration valid and never written over an existing one,
# no user created; the man pages pass mandoc's lint and the unit passes
# systemd-analyze verify (each skipped when the tool is absent).
. "$(dirname "$0")/lib.sh"

top=$(cd "$(dirname "$0")/../.." && pwd)
case "$B" in */san) SANARG=SAN=1 ;; *) SANARG= ;; esac
R=$T/root

# make install PREFIX DESTDIR: prints what it did
inst() {
	make -s --no-print-directory -C "$top" $SANARG BUILD="$B" \
	    PREFIX="$1" DESTDIR="$2" install
}
inst /usr/local "$R" >"$T/out" 2>&1; rc=$?
expect "make install DESTDIR=... exits 0" "$rc" 0
[ $rc -eq 0 ] || sed 's/^/# /' "$T/out"

mode() { stat -c '%a' "$1" 2>/dev/null || echo missing; }
expect "cgnlogd in sbin, 755" "$(mode "$R/usr/local/sbin/cgnlogd")" 755
for p in cgnq cgnlog-gen cgnlog-replay cgnlog-verify; do
	expect "$p in bin, 755" "$(mode "$R/usr/local/bin/$p")" 755
done
expect "cgnq.1, 644" "$(mode "$R/usr/local/share/man/man1/cgnq.1")" 644
expect "cgnlogd.conf.5, 644" \
    "$(mode "$R/usr/local/share/man/man5/cgnlogd.conf.5")" 644
expect "cgnlogd.8, 644" "$(mode "$R/usr/local/share/man/man8/cgnlogd.8")" 644
U=$R/usr/local/lib/systemd/system/cgnlogd.service
expect "the unit, 644" "$(mode "$U")" 644
expect "the unit starts the installed cgnlogd with the installed file" \
    "$(grep '^ExecStart=' "$U")" \
    "ExecStart=/usr/local/sbin/cgnlogd -f /etc/cgnlog/cgnlogd.conf"
expect "the unit may write the state directory only" \
    "$(grep -E '^(ReadWritePaths|ProtectSystem)=' "$U" | tr '\n' ' ')" \
    "ProtectSystem=strict ReadWritePaths=/var/lib/cgnlog "
C=$R/etc/cgnlog/cgnlogd.conf
expect "the example configuration, 644" "$(mode "$C")" 644
expect "... and its pristine copy beside it" "$(cmp "$C" "$C.example" &&
    echo same)" same
expect "the state directory, 750" "$(mode "$R/var/lib/cgnlog")" 750
expect "DESTDIR: no user is created, and it says so" \
    "$(grep -c 'DESTDIR is set: not creating user cgnlog' "$T/out")" 1
expect "the installed binary runs" "$("$R/usr/local/sbin/cgnlogd" --version)" \
    "cgnlogd 0.1.0"
expect "the example configuration is valid" \
    "$("$R/usr/local/sbin/cgnlogd" -n -f "$C" 2>&1)" \
    "configuration OK: 2 source(s), store /var/lib/cgnlog/store"

# a second install keeps the administrator's file
echo "# mine" >>"$C"
inst /usr/local "$R" >"$T/out" 2>&1; rc=$?
expect "a second install exits 0" "$rc" 0
expect "a second install keeps an edited configuration" \
    "$(tail -1 "$C")" "# mine"
expect "... and says so" "$(grep -c 'cgnlogd.conf exists: kept' "$T/out")" 1

# another PREFIX: the unit follows
inst /opt/cgn "$T/root2" >"$T/out" 2>&1; rc=$?
expect "PREFIX=/opt/cgn: the unit names /opt/cgn/sbin" \
    "$rc $(grep '^ExecStart=' \
    "$T/root2/opt/cgn/lib/systemd/system/cgnlogd.service")" \
    "0 ExecStart=/opt/cgn/sbin/cgnlogd -f /etc/cgnlog/cgnlogd.conf"

# every key config.c knows is documented in cgnlogd.conf(5)
UNDOC=
for k in $(sed -n 's/.*strcmp(name, "\([a-z_]*\)") == 0.*/\1/p' \
    "$top/collector/config.c"); do
	grep -q "^\.It Cm $k " "$top/collector/cgnlogd.conf.5" ||
	    UNDOC="$UNDOC $k"
done
expect "every configuration key is in cgnlogd.conf.5" "$UNDOC" ""

if command -v mandoc >/dev/null; then
	for m in man1/cgnq.1 man5/cgnlogd.conf.5 man8/cgnlogd.8; do
		expect "mandoc -T lint: $m" "$(mandoc -T lint -W warning \
		    "$R/usr/local/share/man/$m" 2>&1)" ""
	done
else
	echo "ok $((TAPN + 1)) # SKIP mandoc is not installed (make deps)"
	TAPN=$((TAPN + 1))
fi

if command -v systemd-analyze >/dev/null; then
	# verify wants the programs it names to exist: point it at ours
	sed "s|/usr/local/sbin/|$R/usr/local/sbin/|g" "$U" \
	    >"$T/cgnlogd.service"
	expect "systemd-analyze verify: no complaint" \
	    "$(systemd-analyze verify --man=no "$T/cgnlogd.service" 2>&1)" ""
else
	echo "ok $((TAPN + 1)) # SKIP systemd-analyze is not installed"
	TAPN=$((TAPN + 1))
fi

finish
