#!/bin/sh
# daemon.sh BUILD - make bench-daemon: cgnlogd under a burst as fast as
# one sender can produce it, for DAEMON_BURST_SECONDS (10), with the
# default ring, spool and flush. Over TCP (flow control: nothing can be
# lost before cgnlogd reads it, so every loss would be ours) and over UDP
# (the kernel drops what the receive threads do not read in time: counted
# apart). Prints, one per line:
#   overload_events_lost      sent over TCP minus stored (must be 0)
#   overload_sender_rate      lines/s the sender reached over TCP
#   overload_spool_peak_bytes the spool's largest size during the burst
#   overload_drain_seconds    from the burst's end until all was stored
#   overload_udp_*            the same burst over UDP (2 receive threads)
#   daemon_peak_rss_kib       cgnlogd's peak resident memory (VmHWM)
B=$(cd "${1:-build}" && pwd) || exit 1
T=$(mktemp -d /tmp/cgnlog-bench-daemon.XXXXXX) || exit 1
DPID=
trap '[ -n "$DPID" ] && kill -KILL "$DPID" 2>/dev/null; rm -rf "$T"' EXIT
SECS=${DAEMON_BURST_SECONDS:-10}

"$B/cgnlog-gen" --seed 21 --subscribers 100000 --pool 198.18.0.0/22 \
    --events 1000000 --duration 6h --format juniper --out "$T/log" \
    --truth /dev/null 2>/dev/null || { echo "cgnlog-gen failed" >&2; exit 1; }

cat >"$T/cgnlogd.conf" <<EOF
[store]
root = $T/store
[collector]
listen = syslog-tcp://127.0.0.1:0
listen = syslog-udp://127.0.0.1:0?threads=2
EOF
"$B/cgnlogd" -f "$T/cgnlogd.conf" --port-file "$T/ports" \
    2>"$T/daemon.log" &
DPID=$!
i=0
while [ ! -s "$T/ports" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
TP=$(sed -n 1p "$T/ports" | sed 's/.*://')
UP=$(sed -n 2p "$T/ports" | sed 's/.*://; s/?.*//')

# stat NAME - the counter's value, as SIGUSR1 prints it now
stat() {
	n=$(grep -c "^cgnlogd_messages_received_total " "$T/daemon.log")
	kill -USR1 "$DPID"
	i=0
	while [ "$(grep -c "^cgnlogd_messages_received_total " "$T/daemon.log")" -le "$n" ] &&
	    [ $i -lt 200 ]; do
		sleep 0.01; i=$((i + 1))
	done
	sed -n "s/^$1 //p" "$T/daemon.log" | tail -1
}

# burst PROTO PORT PREFIX - one burst; prints its figures
burst() {
	base=$(stat cgnlogd_messages_stored_total)
	"$B/cgnlog-replay" --duration "$SECS" "$T/log" "$1://127.0.0.1:$2" \
	    >"$T/replay.$1" &
	RP=$!
	peak=0
	while kill -0 "$RP" 2>/dev/null; do
		b=$(stat cgnlogd_spool_bytes)
		[ "${b:-0}" -gt "$peak" ] && peak=$b
		sleep 0.5
	done
	wait "$RP"
	t0=$(date +%s.%N)
	sent=$(sed -n 's/.*sent=\([0-9]*\).*/\1/p' "$T/replay.$1")
	rate=$(sed -n 's/.*rate=\([0-9]*\).*/\1/p' "$T/replay.$1")
	# drained: everything received is stored and the spool is empty
	i=0
	while :; do
		rx=$(stat cgnlogd_messages_received_total)
		st=$(stat cgnlogd_messages_stored_total)
		rj=$(stat 'cgnlogd_messages_rejected_total{reason="unknown_format"}')
		sp=$(stat cgnlogd_spool_bytes)
		[ "$st" -ge "$((rx - ${rj:-0}))" ] && [ "${sp:-0}" = 0 ] && break
		i=$((i + 1))
		[ $i -gt 600 ] && break
		sleep 0.2
	done
	t1=$(date +%s.%N)
	stored=$((st - base))
	echo "bench: $3_sent=$sent"
	echo "bench: $3_sender_rate=$rate"
	echo "bench: $3_events_lost=$((sent - stored))"
	echo "bench: $3_spool_peak_bytes=$peak"
	echo "bench: $3_drain_seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
}

burst tcp "$TP" overload
kd0=$(stat cgnlogd_kernel_drops_total)
burst udp "$UP" overload_udp
echo "bench: overload_udp_kernel_drops=$(( $(stat cgnlogd_kernel_drops_total) - kd0 ))"
echo "bench: overload_spool_dropped_messages=$(stat cgnlogd_spool_dropped_messages_total)"
echo "bench: daemon_peak_rss_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$DPID/status")"
kill -TERM "$DPID"
wait "$DPID"
rc=$?
DPID=
[ "$rc" = 0 ] || { echo "cgnlogd exited $rc" >&2; tail -5 "$T/daemon.log" >&2; exit 1; }
