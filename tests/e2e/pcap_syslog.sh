#!/bin/sh
# pcap_syslog.sh BUILD - backfill from a capture. In a network namespace
# of its own, cgnlogd receives Juniper port-block logs over syslog UDP and
# TCP while tcpdump captures the loopback and a second cgnlogd collects the
# UDP ones passively (pcap-live://lo); then the capture, read through
# pcap-file://, must give the same events and the same cgnq answers as the
# live sockets did (TCP put back in order from the segments). A capture cut
# in the middle of a packet gives a clear error and keeps what came before;
# a file that is no capture is refused at start.
# Skips (exit 77) without root, tcpdump, or `ip netns add`.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "SKIP: needs root (tcpdump, ip netns)"
command -v tcpdump >/dev/null || skip_all "SKIP: tcpdump is not installed"
command -v ip >/dev/null || skip_all "SKIP: iproute2 'ip' is not installed"
NS="pcap$$"
if ! err=$(ip netns add "$NS" 2>&1); then
	skip_all "SKIP: ip netns add failed: $err"
fi
ns_down() {
	pids=$(ip netns pids "$NS" 2>/dev/null)
	# shellcheck disable=SC2086
	[ -n "$pids" ] && kill $pids 2>/dev/null
	ip netns del "$NS" 2>/dev/null
}
trap 'ns_down; cleanup' EXIT
ip -n "$NS" link set lo up

START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
"$B/cgnlog-gen" --seed 7 --subscribers 200 --pool 192.0.2.0/28 \
    --events 2000 --duration 1h --start "$START" --format juniper \
    --out "$T/udp.log" --truth "$T/truth.tsv" 2>/dev/null
"$B/cgnlog-gen" --seed 8 --subscribers 100 --pool 198.18.0.0/29 \
    --events 1000 --duration 1h --start "$START" --format juniper-text \
    --out "$T/tcp.log" --truth "$T/truth_tcp.tsv" 2>/dev/null

ip netns exec "$NS" tcpdump -n -U -B 32768 -i lo -s 0 -w "$T/cap.pcap" \
    'port 5514' 2>"$T/tcpdump.err" &
CAP=$!
i=0
until grep -q listening "$T/tcpdump.err" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 300 ] && { notok "tcpdump starts"; cat "$T/tcpdump.err"; finish; }
	sleep 0.02
done
ip netns exec "$NS" "$B/cgnlogd" --store "$T/live" --port-file "$T/ports" \
    --listen syslog-udp://127.0.0.1:5514 --listen syslog-tcp://127.0.0.1:5514 \
    --flush-ms 200 2>>"$T/daemon.log" &
DPID=$!
# and a passive collector on the same loopback, as on a mirror port
ip netns exec "$NS" "$B/cgnlogd" --store "$T/passive" \
    --port-file "$T/ports2" --listen "pcap-live://lo?filter=udp dst port 5514" \
    --flush-ms 200 2>>"$T/passive.log" &
PPID_=$!
i=0
while [ ! -s "$T/ports" ] || [ ! -s "$T/ports2" ]; do
	i=$((i + 1))
	[ $i -gt 500 ] && { notok "cgnlogd starts"; cat "$T/daemon.log" "$T/passive.log"; finish; }
	sleep 0.01
done
ip netns exec "$NS" "$B/cgnlog-replay" --rate 20000 "$T/udp.log" \
    udp://127.0.0.1:5514 >/dev/null
ip netns exec "$NS" "$B/cgnlog-replay" --rate 20000 "$T/tcp.log" \
    tcp://127.0.0.1:5514 >/dev/null
sleep 0.3
stop_daemon
expect "live cgnlogd exits 0" "$DRC" 0
kill -TERM "$PPID_"
wait "$PPID_"
expect "passive cgnlogd (pcap-live://lo) exits 0" "$?" 0
sleep 1.2			# libpcap hands over blocks after 1 s at most
kill -TERM "$CAP"
wait "$CAP" 2>/dev/null

stored() { sed -n 's/.*messages received, \([0-9]*\) events stored, \([0-9]*\) rejected.*/\1 \2/p' "$1"; }
LIVE=$(stored "$T/daemon.log")
SENT=$(cat "$T/udp.log" "$T/tcp.log" | wc -l | tr -d ' ')
expect "live: every line stored, none rejected" "$LIVE" "$SENT 0"
UDPN=$(wc -l <"$T/udp.log" | tr -d ' ')
PASSIVE=$(stored "$T/passive.log")
KD=$(sed -n 's/.* \([0-9]*\) dropped by the kernel.*/\1/p' "$T/passive.log")
# every datagram is stored, or what the capture dropped is counted (on
# lo the kernel counts both directions' copies of a drop)
if [ "${KD:-0}" = 0 ]; then
	expect "passive (pcap-live://lo): every UDP line stored" "$PASSIVE" \
	    "$UDPN 0"
elif [ $(( ${PASSIVE%% *} + KD )) -ge "$UDPN" ]; then
	ok "passive (pcap-live://lo): ${PASSIVE%% *} stored, $KD counted as kernel drops"
else
	notok "passive: ${PASSIVE%% *} stored + $KD drops < $UDPN sent"
fi

"$B/cgnlogd" --store "$T/back" --listen "pcap-file://$T/cap.pcap" \
    2>"$T/back.log"
expect "cgnlogd reads the capture and exits 0" "$?" 0
expect "the capture gives the same events as the sockets" \
    "$(stored "$T/back.log")" "$LIVE"
grep -q "TCP streams" "$T/back.log" && sed -n 's/.*: \([0-9]* packets: .*\)/# \1/p' "$T/back.log"
if command -v editcap >/dev/null; then	# the same capture as pcapng
	editcap -F pcapng "$T/cap.pcap" "$T/cap.pcapng"
	"$B/cgnlogd" --store "$T/ng" --listen "pcap-file://$T/cap.pcapng" \
	    2>"$T/ng.log"
	expect "the same capture as pcapng gives the same events" \
	    "$(stored "$T/ng.log")" "$LIVE"
fi

# the same answers, interval by interval (every 10th of both truths); not
# the clock skew (field 18), measured against receive times: the capture's
# time stamp and the live socket's can be a millisecond apart
bad=0
n=0
for tf in "$T/truth.tsv" "$T/truth_tcp.tsv"; do
	awk -F'\t' '!/^#/ && NR % 10 == 0' "$tf" >"$T/sample"
	while IFS='	' read -r in pub lo hi s e logged; do
		n=$((n + 1))
		t=$(( s / 1000 + 1 ))
		a=$("$B/cgnq" --store "$T/live" --format csv lookup "$pub" "$lo" "$t" | cut -d, -f2-17,19-)
		b=$("$B/cgnq" --store "$T/back" --format csv lookup "$pub" "$lo" "$t" | cut -d, -f2-17,19-)
		if [ "$a" != "$b" ] || [ -z "$a" ]; then
			bad=$((bad + 1))
			echo "# $pub:$lo at $t: live '$a', capture '$b'"
		fi
	done <"$T/sample"
done
expect "cgnq answers the same from both stores ($n lookups), differences" \
    "$bad" 0

# damage: the file cut in the middle of a packet
size=$(wc -c <"$T/cap.pcap")
head -c $((size * 2 / 3)) "$T/cap.pcap" >"$T/cut.pcap"
"$B/cgnlogd" --store "$T/cut" --listen "pcap-file://$T/cut.pcap" \
    2>"$T/cut.log"
expect "a cut capture: cgnlogd exits 1 (not all of it was read)" "$?" 1
if grep -q "damaged after packet [0-9]*: .*truncated" "$T/cut.log"; then
	ok "a cut capture: a clear error ($(sed -n 's/.*\(damaged after packet [0-9]*\).*/\1/p' "$T/cut.log"))"
else
	notok "a cut capture: a clear error"
	cat "$T/cut.log"
fi
got=$(stored "$T/cut.log" | cut -d' ' -f1)
if [ "${got:-0}" -gt 1000 ] && [ "$got" -lt "$SENT" ]; then
	ok "what came before the damage is stored ($got of $SENT events)"
else
	notok "what came before the damage is stored: got '$got'"
fi
head -c 100 /dev/urandom >"$T/junk.pcap"
if "$B/cgnlogd" --store "$T/junk" --listen "pcap-file://$T/junk.pcap" \
    2>"$T/junk.log"; then
	notok "a file that is no capture is refused"
else
	ok "a file that is no capture is refused: $(tail -1 "$T/junk.log" | sed 's/^<[0-9]>//')"
fi
finish
