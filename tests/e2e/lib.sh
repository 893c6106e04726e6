# lib.sh - shared by the end-to-end scripts: a temporary directory, the
# daemon on ephemeral loopback ports, TAP results. Sourced, not run.
#   B      build directory (absolute), from $1
#   T      this test's temporary directory, removed at exit
#   DPID   the running cgnlogd
B=$(cd "${1:-build}" && pwd) || exit 1
T=$(mktemp -d /tmp/cgnlog-e2e.XXXXXX) || exit 1
TAPN=0
TAPFAILED=0
DPID=

cleanup() {
	[ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null
	if [ "$TAPFAILED" -gt 0 ] && [ -f "$T/daemon.log" ]; then
		echo "# daemon log:"
		sed 's/^/#   /' "$T/daemon.log" | tail -20
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ok() { TAPN=$((TAPN + 1)); echo "ok $TAPN - $*"; }
notok() { TAPN=$((TAPN + 1)); TAPFAILED=$((TAPFAILED + 1)); echo "not ok $TAPN - $*"; }
skip_all() { echo "$*"; exit 77; }

# expect DESCRIPTION GOT WANT
expect() {
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1: got '$2', want '$3'"; fi
}

# start_daemon ARGS... - cgnlogd with a store in $T, ports in $T/ports
start_daemon() {
	rm -f "$T/ports"
	"$B/cgnlogd" --store "$T/store" --port-file "$T/ports" "$@" \
	    2>>"$T/daemon.log" &
	DPID=$!
	i=0
	while [ ! -s "$T/ports" ]; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$DPID" 2>/dev/null; then
			notok "cgnlogd starts and reports its ports"
			cat "$T/daemon.log"
			exit 1
		fi
		sleep 0.01
	done
}

# port N - the port of the Nth listener in the port file
port() { sed -n "${1}p" "$T/ports" | sed 's/.*://; s/?.*//'; }
url() { sed -n "${1}p" "$T/ports"; }

# stop_daemon - SIGTERM, wait; DRC is its exit status
stop_daemon() {
	kill -TERM "$DPID"
	wait "$DPID"
	DRC=$?
	DPID=
}

q() { "$B/cgnq" --store "$T/store" "$@"; }

finish() { [ "$TAPFAILED" -eq 0 ]; exit $?; }
