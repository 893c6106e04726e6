#!/bin/sh
# pcap_netflow.sh BUILD - every IPFIX / NetFlow v9 capture in
# ../shared/fixtures/real/netflow/, and one generated capture of each binary
# format cgnlog-gen writes (an hour of port blocks or sessions), ingested
# through pcap-file://, gives the same messages, events and rejects as its
# datagrams sent over UDP by cgnlog-replay to a live cgnlogd; and cgnq gives
# the same answers from both stores (verdict, holder, ports, start and end
# and how they are known; not the device, which is the capture's exporter
# address in one and 127.0.0.1 in the other, nor coverage and clock skew,
# which follow the receive times: capture times in one, now in the other): for
# every event the parser finds in a fixture (build/ipfix_dump), and for
# every 30th interval of a generated capture's ground truth.
. "$(dirname "$0")/lib.sh"

dir="$(dirname "$0")/../../../shared/fixtures/real/netflow"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real/netflow"
[ -d "$dir" ] || skip_all "SKIP: ../shared/fixtures/real/netflow is absent"

stored() {
	sed -n 's/.*stopped: \([0-9]*\) messages received, \([0-9]*\) events stored, \([0-9]*\) rejected.*/\1 \2 \3/p' "$1"
}

[ -x "$B/ipfix_dump" ] || skip_all "SKIP: $B/ipfix_dump is not built"


# both NAME FILE LOOKUPS - ingest FILE both ways and compare; LOOKUPS holds
# "public port epoch_ms" lines to ask both stores
both() {
	name=$1
	"$B/cgnlogd" --store "$T/$name.file" --listen "pcap-file://$2" \
	    2>"$T/$name.file.log"
	rc=$?
	FILE=$(stored "$T/$name.file.log")
	start_daemon --listen "ipfix-udp://127.0.0.1:0?parser=auto" \
	    --flush-ms 200
	"$B/cgnlog-replay" --rate 20000 "$2" "udp://127.0.0.1:$(port 1)" \
	    >/dev/null 2>>"$T/daemon.log"
	sleep 0.3
	stop_daemon
	mv "$T/daemon.log" "$T/$name.udp.log"
	rm -rf "$T/$name.udp"
	mv "$T/store" "$T/$name.udp"
	UDP=$(stored "$T/$name.udp.log")
	expect "$name: pcap-file:// exits 0" "$rc" 0
	expect "$name: messages, events, rejects as over UDP ($UDP)" \
	    "$FILE" "$UDP"
	bad=0
	n=0
	while read -r out plo ts; do
		n=$((n + 1))
		t=$(printf '%d.%03d' $((ts / 1000)) $((ts % 1000)))
		a=$("$B/cgnq" --store "$T/$name.file" --format csv lookup "$out" \
		    "$plo" "$t" 2>&1 | cut -d, -f1-9,11-14)
		b=$("$B/cgnq" --store "$T/$name.udp" --format csv lookup "$out" \
		    "$plo" "$t" 2>&1 | cut -d, -f1-9,11-14)
		# an allocation still open when the capture ends: its end is
		# what the daemon's clock makes of it at close (the capture's
		# receive times say the device has been silent since; over UDP
		# it was heard just now), so only its start is compared
		case "$a" in
		*,no_coverage,*)
			a=$(echo "$a" | cut -d, -f1-11)
			b=$(echo "$b" | cut -d, -f1-11) ;;
		esac
		if [ "$a" != "$b" ]; then
			bad=$((bad + 1))
			[ $bad -le 5 ] && echo "# $out:$plo at $t: file '$a', udp '$b'"
		fi
	done <"$3"
	[ "$n" -gt 0 ] &&
	    expect "$name: cgnq answers alike ($n lookups), differences" \
	    "$bad" 0
}

for f in "$dir"/*.pcap; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .pcap)
	"$B/ipfix_dump" "$f" 2>/dev/null | awk 'NF == 9 { print $5, $6, $3 }' |
	    sort -u >"$T/$name.ev"
	both "$name" "$f" "$T/$name.ev"
done

START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
for fmt in ipfix-pba ipfix-session nfv9-nel; do
	"$B/cgnlog-gen" --seed 11 --subscribers 300 --pool 192.0.2.0/28 \
	    --events 3000 --duration 1h --start "$START" --format "$fmt" \
	    --out "$T/gen-$fmt.pcap" --truth "$T/gen-$fmt.tsv" 2>/dev/null ||
	    { notok "cgnlog-gen --format $fmt"; continue; }
	awk -F'\t' '!/^#/ && NR % 30 == 0 && $6 != -1 { printf "%s %s %.0f\n", $2, $3, ($5 + $6) / 2 }' \
	    "$T/gen-$fmt.tsv" >"$T/gen-$fmt.ev"
	both "gen-$fmt" "$T/gen-$fmt.pcap" "$T/gen-$fmt.ev"
done
finish
