#!/bin/sh
# ipfix.sh BUILD - make bench-ipfix (see ../shared/BENCHMARKING.md):
#   ipfix_parse_records_per_s     our decoder, one core, median of 7
#   fixbuf_records_per_s          libfixbuf on the same datagrams (the
#                                 evaluation behind the README's choice)
#   ceiling_records_per_s         a recvmmsg loop that only counts, fed by
#                                 the same sender: the machine's own limit
#   ipfix_udp_max_eps_zero_loss   cgnlogd, UDP into the store, searched
#   nfcapd_udp_max_eps_zero_loss  nfcapd (Debian nfdump), the same stream
#   nfdump_lookup_ms, cgnq_lookup_ms  one (public IP, port, time) lookup on
#                                 the same day of NetFlow v9 NEL data
# Zero-loss search: send at R records/s for TRIAL seconds, count what was
# stored; double R until something is lost, bisect to within 15%, confirm
# the best clean rate three times (median loss 0).
B=$(cd "${1:-build}" && pwd) || exit 1
W=$(mktemp -d /tmp/cgnlog-bench-ipfix.XXXXXX) || exit 1
TRIAL=${TRIAL:-4}
PIDS=""
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

echo "bench: workload_format=ipfix-session records_per_datagram=64"
"$B/cgnlog-gen" --format ipfix-session --seed 1 --subscribers 20000 \
    --pool 203.0.113.0/24 --events 1000000 --duration 24h \
    --start 2026-11-27T00:00:00Z --out "$W/s.pcap" 2>/dev/null
"$B/cgnlog-gen" --format ipfix-pba --seed 1 --subscribers 20000 \
    --pool 203.0.113.0/24 --events 1000000 --duration 24h \
    --start 2026-11-27T00:00:00Z --out "$W/pba.pcap" 2>/dev/null

# ---- CPU: our decoder, and libfixbuf on the same bytes --------------------
out=$("$B/bench_ipfix" parse "$W/pba.pcap" 7)
echo "bench: workload_records=$(echo "$out" | sed 's/.*records=\([0-9]*\) .*/\1/')"
echo "bench: ipfix_parse_records_per_s=$(echo "$out" | sed 's/.*median_records_per_s=\([0-9]*\).*/\1/')"
if [ -x "$B/bench_fixbuf" ]; then
	F=../shared/fixtures/real/netflow
	out=$("$B/bench_fixbuf" "$W/pba.pcap" 5)
	echo "bench: fixbuf_records_per_s=$(echo "$out" | sed -n 's/.*fixbuf_records_per_s=\([0-9]*\).*/\1/p')"
	echo "bench: fixbuf_ours_records_per_s=$(echo "$out" | sed -n 's/.*ours_records_per_s=\([0-9]*\).*/\1/p')"
else
	echo "bench: fixbuf_records_per_s=skipped (libfixbuf-dev missing)"
fi

# ---- the machine's ceiling ------------------------------------------------
sent() { sed -n 's/.*sent_records=\([0-9]*\).*/\1/p' "$1"; }
CP=$((20000 + $$ % 20000))
"$B/bench_ipfix" recv "$CP" $((TRIAL + 3)) >"$W/recv" &
RP=$!
PIDS="$PIDS $RP"
sleep 0.5
"$B/bench_ipfix" send "$W/s.pcap" 127.0.0.1 "$CP" 100000000 "$TRIAL" \
    >"$W/send"
wait "$RP"
CEIL=$(( $(sed -n 's/.*recv_records=\([0-9]*\).*/\1/p' "$W/recv") / TRIAL ))
echo "bench: ceiling_records_per_s=$CEIL"

# ---- receivers --------------------------------------------------------------
# trial_cgnlogd R: prints "lost stored"
trial_cgnlogd() {
	rm -rf "$W/store" "$W/ports"
	"$B/cgnlogd" --store "$W/store" --port-file "$W/ports" \
	    --listen ipfix-udp://127.0.0.1:0 2>"$W/d.log" &
	dp=$!
	PIDS="$PIDS $dp"
	while [ ! -s "$W/ports" ]; do sleep 0.05; done
	p=$(sed 's/.*://' "$W/ports")
	"$B/bench_ipfix" send "$W/s.pcap" 127.0.0.1 "$p" "$1" "$TRIAL" \
	    >"$W/send"
	kill -TERM "$dp"
	wait "$dp"
	st=$(sed -n 's/.*stopped: [0-9]* messages received, \([0-9]*\) events stored.*/\1/p' "$W/d.log")
	# where a loss went, in messages: the kernel's socket buffer, or
	# cgnlogd's own count (a full spool)
	kd=$(sed -n 's/.* \([0-9]*\) dropped by the kernel.*/\1/p' "$W/d.log")
	ls=$(sed -n 's/.* dropped by the kernel, \([0-9]*\) lost.*/\1/p' "$W/d.log")
	echo $(( $(sent "$W/send") - ${st:-0} )) "${st:-0}" "${kd:-0}" "${ls:-0}"
}

NP=$((20000 + ($$ + 7919) % 20000))
# trial_nfcapd R
trial_nfcapd() {
	rm -rf "$W/nfc"
	mkdir -p "$W/nfc"
	nfcapd -b 127.0.0.1 -p "$NP" -w "$W/nfc" -B 33554432 \
	    >"$W/n.log" 2>&1 &
	np=$!
	PIDS="$PIDS $np"
	sleep 0.5
	"$B/bench_ipfix" send "$W/s.pcap" 127.0.0.1 "$NP" "$1" "$TRIAL" \
	    >"$W/send"
	sleep 0.5
	kill -TERM "$np"
	wait "$np"
	st=0
	for f in "$W"/nfc/nfcapd.*; do
		[ -f "$f" ] || continue
		n=$(nfdump -r "$f" -I | sed -n 's/^Flows: //p')
		st=$((st + ${n:-0}))
	done
	echo $(( $(sent "$W/send") - st )) "$st"
}

# search NAME: the best clean rate into BEST, the first lossy into LOSSY
search() {
	name=$1
	r=250000
	lo=0
	hi=0
	while [ "$r" -le $((CEIL * 2)) ]; do
		set -- $("trial_$name" "$r")
		echo "bench: trial_$name rate=$r lost=$1 stored=$2${3:+ kernel_dropped_msgs=$3 cgnlogd_lost_msgs=$4}"
		if [ "$1" -gt 0 ]; then hi=$r; break; fi
		lo=$r
		r=$((r * 2))
	done
	[ "$hi" -eq 0 ] && hi=$r
	while [ "$lo" -gt 0 ] && [ $((hi * 100)) -gt $((lo * 115)) ]; do
		r=$(( (lo + hi) / 2 ))
		set -- $("trial_$name" "$r")
		echo "bench: trial_$name rate=$r lost=$1 stored=$2${3:+ kernel_dropped_msgs=$3 cgnlogd_lost_msgs=$4}"
		if [ "$1" -gt 0 ]; then hi=$r; else lo=$r; fi
	done
	# confirm lo three times: the median loss must be 0
	while [ "$lo" -gt 0 ]; do
		l1=$("trial_$name" "$lo" | cut -d' ' -f1)
		l2=$("trial_$name" "$lo" | cut -d' ' -f1)
		l3=$("trial_$name" "$lo" | cut -d' ' -f1)
		echo "bench: confirm_$name rate=$lo lost=$l1,$l2,$l3"
		m=$(printf '%s\n%s\n%s\n' "$l1" "$l2" "$l3" | sort -n | sed -n 2p)
		[ "$m" -eq 0 ] && break
		hi=$lo
		lo=$((lo * 85 / 100))
	done
	BEST=$lo
	LOSSY=$hi
}

echo "bench: trial_seconds=$TRIAL"
search cgnlogd
CGN=$BEST
echo "bench: ipfix_udp_max_eps_zero_loss=$CGN"
echo "bench: ipfix_udp_first_lossy_eps=$LOSSY"
echo "bench: ipfix_udp_ratio_to_ceiling=$(awk -v a="$CGN" -v b="$CEIL" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
if command -v nfcapd >/dev/null 2>&1; then
	search nfcapd
	NFC=$BEST
	echo "bench: nfcapd_udp_max_eps_zero_loss=$NFC"
	echo "bench: nfcapd_udp_first_lossy_eps=$LOSSY"
	echo "bench: ipfix_udp_vs_nfcapd_ratio=$(awk -v a="$CGN" -v b="$NFC" 'BEGIN { printf "%.2f", b ? a / b : 0 }')"
else
	echo "bench: nfcapd_udp_max_eps_zero_loss=skipped (nfdump missing)"
fi

# ---- one lookup on a day of data ----------------------------------------
# Debian's nfdump 1.7.1 drops portRangeStart/End from IPFIX, so both get
# the day as NetFlow v9 NEL (natEvent 1/2 with port blocks).
echo "bench: lookup_workload=nfv9-nel events=400000 duration=24h"
"$B/cgnlog-gen" --format nfv9-nel --seed 9 --subscribers 20000 \
    --pool 203.0.113.0/24 --events 400000 --duration 24h \
    --start 2026-11-27T00:00:00Z --out "$W/day.pcap" \
    --truth "$W/day.tsv" 2>/dev/null
rm -rf "$W/store" "$W/ports" "$W/nfc"
mkdir -p "$W/nfc"
"$B/cgnlogd" --store "$W/store" --port-file "$W/ports" \
    --listen nfv9-udp://127.0.0.1:0 2>"$W/d.log" &
dp=$!
PIDS="$PIDS $dp"
nfcapd -b 127.0.0.1 -p "$NP" -w "$W/nfc" -B 33554432 -t 86400 \
    >"$W/n.log" 2>&1 &
np=$!
PIDS="$PIDS $np"
while [ ! -s "$W/ports" ]; do sleep 0.05; done
sleep 0.5
"$B/cgnlog-replay" --rate 20000 "$W/day.pcap" \
    "udp://127.0.0.1:$(sed 's/.*://' "$W/ports")" >/dev/null
"$B/cgnlog-replay" --rate 20000 "$W/day.pcap" "udp://127.0.0.1:$NP" \
    >/dev/null
sleep 0.5
kill -TERM "$dp" "$np"
wait "$dp" "$np"

# 20 closed intervals from the truth, each asked at its middle
awk -F'\t' '!/^#/ && $6 != -1 && $6 - $5 > 2000' "$W/day.tsv" |
    awk 'NR % 997 == 1' | head -20 >"$W/q"
now_ms() { date +%s%3N; }
nf_ms=""
cq_ms=""
nf_bad=0
cq_bad=0
while IFS='	' read -r in pub lo hi s e logged; do
	t=$(( (s + e) / 2 ))
	p=$(( (lo + hi) / 2 ))
	# nfdump: the block's events on that address, the last one at or
	# before t decides (an add: its holder; a delete: nobody)
	tt="$(date -u -d "@$((t / 1000))" '+%Y-%m-%d %H:%M:%S').$(printf %03d $((t % 1000)))"
	t0=$(now_ms)
	got=$(TZ=UTC nfdump -R "$W/nfc" -q -N -o 'fmt:%tevt %nevt %sa' \
	    "src nip $pub and pblock start <= $p and pblock end >= $p" |
	    awk -v t="$tt" '($1 " " $2) <= t { ev = $3; who = $4 }
		END { print (ev == "ADD" || ev == "1" ? who : "-") }')
	t1=$(now_ms)
	nf_ms="$nf_ms $((t1 - t0))"
	[ "$got" = "$in" ] || nf_bad=$((nf_bad + 1))
	ts=$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))
	t0=$(now_ms)
	got=$("$B/cgnq" --store "$W/store" --format csv lookup "$pub" "$p" \
	    "$ts" --tolerance 0 | cut -d, -f6)
	t1=$(now_ms)
	cq_ms="$cq_ms $((t1 - t0))"
	[ "$got" = "$in" ] || cq_bad=$((cq_bad + 1))
done <"$W/q"
median() { echo "$@" | tr ' ' '\n' | grep . | sort -n |
    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "bench: lookups=$(wc -l <"$W/q" | tr -d ' ')"
echo "bench: nfdump_lookup_ms=$(median $nf_ms)"
echo "bench: nfdump_wrong_answers=$nf_bad"
echo "bench: cgnq_lookup_ms=$(median $cq_ms)"
echo "bench: cgnq_wrong_answers=$cq_bad"
