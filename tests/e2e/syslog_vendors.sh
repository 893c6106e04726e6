#!/bin/sh
# syslog_vendors.sh BUILD - every vendor syslog format of cgnlog-gen, end
# to end: cgnlog-gen -> cgnlog-replay (UDP) -> cgnlogd -> SIGTERM -> cgnq.
# One daemon takes all formats, each on its own public pool; afterwards a
# sample of each format's ground truth must come back exactly: the right
# subscriber in the middle and at both ends of its interval, with both
# ends "logged", and no coverage a second before it began. Formats that
# log sessions stand for a block by its first port (tools/gen_util.h), so
# they are looked up there; block formats at a port inside the block.
. "$(dirname "$0")/lib.sh"

# format  session(1)/block(0)  extra cgnlog-gen options
FORMATS="asa 0
asa-xlate 1
cisco-xr 0
cisco-ios 1
a10-cef 0
a10 0
f5 0
nokia 1
huawei 1
h3c 1
fortigate 0 --interim 10m
paloalto 1
vpp 1
vyatta 0
netscreen 1
nfware 0
6wind 1"

START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
i=0
echo "$FORMATS" | while read -r fmt sess extra; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	"$B/cgnlog-gen" --seed "$i" --subscribers 40 \
	    --pool "198.18.$i.0/29" --events 600 --duration 1h \
	    --start "$START" --format "$fmt" $extra \
	    --out "$T/$fmt.log" --truth "$T/$fmt.tsv" 2>/dev/null ||
	    echo "cgnlog-gen --format $fmt failed" >&2
done
cat "$T"/*.log >"$T/all.log"

start_daemon --listen syslog-udp://127.0.0.1:0 --flush-ms 200
"$B/cgnlog-replay" --rate 50000 "$T/all.log" "udp://127.0.0.1:$(port 1)" \
    >"$T/replay"
sleep 0.3
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0
SENT=$(wc -l <"$T/all.log" | tr -d ' ')
GOT=$(sed -n 's/.*stopped: \([0-9]*\) messages received.*/\1/p' "$T/daemon.log")
expect "every line of every format was received" "$GOT" "$SENT"
EV=$(sed -n 's/.*received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")
expect "every line gave one event" "$EV" "$SENT"
REJ=$(sed -n 's/.*events stored, \([0-9]*\) rejected.*/\1/p' "$T/daemon.log")
expect "no line was rejected" "$REJ" 0

# check FORMAT SESSION: up to 10 closed, logged intervals of at least 3 s
check() {
	awk -F'\t' '!/^#/ && $6 != -1 && $7 == 1 && $6 - $5 >= 3000' \
	    "$T/$1.tsv" | awk 'NR % 7 == 1' | head -10 >"$T/sample"
	n=0
	bad=0
	while IFS='	' read -r in pub lo hi s e logged; do
		n=$((n + 1))
		if [ "$2" = 1 ]; then
			p=$lo
		else
			p=$(( lo + (n * 37) % (hi - lo + 1) ))
		fi
		for t in $(( (s + e) / 2 )) "$s" "$e"; do
			ts=$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))
			q --format csv lookup "$pub" "$p" "$ts" --tolerance 0 \
			    >"$T/o"
			rc=$?
			got=$(cut -d, -f6 "$T/o")
			how=$(cut -d, -f12,14 "$T/o")
			if [ "$rc" != 0 ] || [ "$got" != "$in" ] ||
			    [ "$how" != "logged,logged" ]; then
				bad=$((bad + 1))
				echo "# $1 $pub:$p at $t: exit $rc" \
				    "inside '$got' ends '$how'," \
				    "want 0 $in logged,logged"
			fi
		done
		t=$((s - 1000))
		q lookup "$pub" "$p" "$((t / 1000))" --tolerance 0 >/dev/null
		rc=$?
		if [ "$rc" != 3 ]; then
			bad=$((bad + 1))
			echo "# $1 $pub:$p at $t (before $s): exit $rc, want 3"
		fi
	done <"$T/sample"
	if [ "$n" -ge 5 ]; then
		expect "$1: $n intervals at 4 times each, wrong answers" \
		    "$bad" 0
	else
		notok "$1: only $n intervals sampled"
	fi
}
echo "$FORMATS" | while read -r fmt sess extra; do
	check "$fmt" "$sess"
done
finish
