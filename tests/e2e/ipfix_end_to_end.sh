#!/bin/sh
# ipfix_end_to_end.sh BUILD - IPFIX over UDP and TCP and NetFlow v9 over
# UDP into cgnlogd: cgnlog-gen writes each binary format as a pcap with its
# ground truth, cgnlog-replay sends the datagrams, and after SIGTERM cgnq
# must name the true holder of sampled intervals. Then a sequence gap (one
# datagram left out) must become a coverage hole: a port nobody holds,
# looked up inside the hole, is "no coverage" (3), not "not found" (1).
. "$(dirname "$0")/lib.sh"

START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
"$B/cgnlog-gen" --seed 51 --subscribers 300 --pool 192.0.2.0/28 \
    --events 6000 --duration 1h --start "$START" --format ipfix-pba \
    --out "$T/pba.pcap" --truth "$T/truth_pba.tsv" 2>/dev/null
"$B/cgnlog-gen" --seed 52 --subscribers 200 --pool 198.18.0.0/28 \
    --events 4000 --duration 1h --start "$START" --format ipfix-session \
    --out "$T/sess.pcap" --truth "$T/truth_sess.tsv" 2>/dev/null
"$B/cgnlog-gen" --seed 55 --subscribers 200 --pool 198.21.0.0/28 \
    --events 4000 --duration 1h --start "$START" --format ipfix-pba \
    --out "$T/pba2.pcap" --truth "$T/truth_pba2.tsv" 2>/dev/null
"$B/cgnlog-gen" --seed 53 --subscribers 200 --pool 198.19.0.0/28 \
    --events 4000 --duration 1h --start "$START" --format nfv9-nel \
    --out "$T/nel.pcap" --truth "$T/truth_nel.tsv" 2>/dev/null

start_daemon --listen ipfix-udp://127.0.0.1:0 --listen ipfix-tcp://127.0.0.1:0 \
    --listen nfv9-udp://127.0.0.1:0 --flush-ms 200
"$B/cgnlog-replay" --rate 2000 "$T/pba.pcap" "udp://127.0.0.1:$(port 1)" \
    >"$T/r1"
# two exporters on the TCP port at once, both using template 256 with
# different layouts: each connection has its own templates
"$B/cgnlog-replay" "$T/sess.pcap" "tcp://127.0.0.1:$(port 2)" >"$T/r2" &
R2=$!
"$B/cgnlog-replay" "$T/pba2.pcap" "tcp://127.0.0.1:$(port 2)" >"$T/r2b"
wait $R2
"$B/cgnlog-replay" --rate 2000 "$T/nel.pcap" "udp://127.0.0.1:$(port 3)" \
    >"$T/r3"
# a stream that is not IPFIX on the TCP port: counted, kept, closed
printf 'GET / HTTP/1.0\r\n\r\n' >"$T/junk"
"$B/cgnlog-replay" --framing octet "$T/junk" "tcp://127.0.0.1:$(port 2)" \
    >/dev/null
sent() { sed 's/.*sent=\([0-9]*\).*/\1/' "$1"; }
N1=$(sent "$T/r1")
N2=$(sent "$T/r2")
N2B=$(sent "$T/r2b")
N3=$(sent "$T/r3")
[ "$N1" -gt 50 ] && ok "replay sent $N1 IPFIX datagrams" ||
	notok "replay sent $N1 IPFIX datagrams"
sleep 0.5
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0
GOT=$(sed -n 's/.*stopped: \([0-9]*\) messages received.*/\1/p' "$T/daemon.log")
expect "every datagram and TCP message was received" "$GOT" \
    $((N1 + N2 + N2B + N3))
REJ=$(sed -n 's/.*events stored, \([0-9]*\) rejected.*/\1/p' "$T/daemon.log")
ST=$(sed -n 's/.*messages received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")
evs() { "$B/ipfix_dump" "$1" | sed -n 's/^records .* events \([0-9]*\) .*/\1/p'; }
expect "every record became a stored event" "$ST" \
    $(( $(evs "$T/pba.pcap") + $(evs "$T/pba2.pcap") + \
    $(evs "$T/sess.pcap") + $(evs "$T/nel.pcap") ))
expect "only the junk TCP stream was rejected" "$REJ" 1
grep -q "HTTP/1.0" "$T/store/reject.log" &&
	ok "the junk stream's bytes are kept in the reject file" ||
	notok "the junk stream's bytes are kept in the reject file"

# every 40th closed, logged interval at its middle and both edges
check_truth() {
	awk -F'\t' '!/^#/ && $6 != -1 && $7 == 1 && $6 - $5 >= 3000' "$1" |
	    awk 'NR % 40 == 1' >"$T/sample"
	n=0
	bad=0
	while IFS='	' read -r in pub lo hi s e logged; do
		n=$((n + 1))
		p=$(( lo + (n * 37) % (hi - lo + 1) ))
		for t in $(( (s + e) / 2 )) "$s" "$e"; do
			ts=$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))
			q --format csv lookup "$pub" "$p" "$ts" --tolerance 0 \
			    >"$T/o"
			rc=$?
			got=$(cut -d, -f6 "$T/o")
			if [ "$rc" != 0 ] || [ "$got" != "$in" ]; then
				bad=$((bad + 1))
				echo "# $pub:$p at $t: exit $rc inside '$got'," \
				    "want 0 $in"
			fi
		done
	done <"$T/sample"
	expect "$2: $n intervals checked at 3 times each, wrong answers" \
	    "$bad" 0
	[ "$n" -gt 10 ] && ok "$2: sample is large enough ($n)" ||
		notok "$2: only $n sampled"
}
check_truth "$T/truth_pba.tsv" "IPFIX port blocks over UDP"
check_truth "$T/truth_sess.tsv" "IPFIX sessions over TCP"
check_truth "$T/truth_pba2.tsv" "IPFIX port blocks over TCP, beside the sessions"
check_truth "$T/truth_nel.tsv" "NetFlow v9 NEL over UDP"

# A sequence gap is a coverage hole. The stream starts now, so the
# collector is running over it; port 65000 is never given out. Coverage
# is kept by the minute (the device is heard when its messages arrive),
# so the run starts early enough in a minute to stay inside it.
gap_run() {
	rm -rf "$T/store" "$T/daemon.log"
	while [ "$(date +%S | sed 's/^0//')" -gt 48 ]; do sleep 0.5; done
	start_daemon --listen nfv9-udp://127.0.0.1:0 --flush-ms 200
	NOW=$(date +%s)
	"$B/cgnlog-gen" --seed 54 --subscribers 100 --pool 198.20.0.0/29 \
	    --events 400 --duration 4s \
	    --start "$(date -u -d "@$NOW" +%Y-%m-%dT%H:%M:%SZ)" \
	    --format nfv9-nel --per-datagram 10 --out "$T/gap.pcap" 2>/dev/null
	# sent at the pace of its own clock: the device shows no skew
	"$B/cgnlog-replay" --rate 10 $1 "$T/gap.pcap" \
	    "udp://127.0.0.1:$(port 1)" >/dev/null
	# the collector must run over the hole for it to be one
	while [ "$(date +%s)" -le $((NOW + 4)) ]; do sleep 0.2; done
	# the parser's own counters reach the daemon's (SIGUSR1 prints them)
	kill -USR1 "$DPID"
	i=0
	while ! grep -q '^cgnlogd_sequence_lost_records_total' \
	    "$T/daemon.log" && [ $i -lt 250 ]; do
		sleep 0.02; i=$((i + 1))
	done
	stop_daemon
	# datagram 21 held events 2.0-2.1 s into the stream
	q lookup 198.20.0.1 65000 "$((NOW + 2))" --tolerance 0 >/dev/null
}
gap_run ""
expect "without a gap, a port nobody holds: not found" "$?" 1
gap_run "--drop 21"
expect "inside a sequence gap, a port nobody holds: no coverage" "$?" 3
counter() { sed -n "s/^cgnlogd_$1 //p" "$T/daemon.log" | tail -1; }
expect "the gap and the packet in it are counted" \
    "$(counter sequence_gaps_total) $(counter sequence_lost_records_total)" \
    "1 1"
expect "every record that came is decoded, none ignored or held" \
    "$(counter records_decoded_total) $(counter records_ignored_total)\
 $(counter data_sets_held_lost_total)" "$(counter events_parsed_total) 0 0"
finish
