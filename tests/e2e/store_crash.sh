#!/bin/sh
# store_crash.sh BUILD - kill -9 at random moments while cgnlogd ingests:
# after each kill every shard must open and pass the integrity check, and
# every allocation sent more than a flush interval before the kill must be
# stored; after a final SIGTERM nothing sent may be missing.
. "$(dirname "$0")/lib.sh"

RATE=8000
CHUNK=16000
ROUNDS=4
START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
"$B/cgnlog-gen" --seed 7 --subscribers 400 --pool 192.0.2.0/28 \
    --events $((CHUNK * (ROUNDS + 1))) --duration 1h --start "$START" \
    --format juniper --out "$T/log" --truth "$T/truth.tsv" 2>/dev/null
LINES=$(wc -l <"$T/log")

# epoch seconds of line N of the log (the generator writes in time order)
line_time() {
	printf '%d\n' "0x$(sed -n "${1}p" "$T/log" |
	    sed 's/.*epoch-time-64="\([0-9a-f]*\)".*/\1/')"
}

: >"$T/safe"
a=1
r=1
while [ $r -le $ROUNDS ]; do
	sed -n "${a},$((a + CHUNK - 1))p" "$T/log" >"$T/slice"
	start_daemon --listen syslog-udp://127.0.0.1:0 --flush-ms 200
	t0=$(date +%s.%N)
	"$B/cgnlog-replay" --rate $RATE "$T/slice" "udp://127.0.0.1:$(port 1)" \
	    >/dev/null &
	RPID=$!
	# a random moment in the slice's 2 s, from a fixed seed
	delay=$(awk -v r=$r 'BEGIN { srand(1000 + r); printf "%.2f", 0.7 + rand() * 1.1 }')
	sleep "$delay"
	kill -KILL "$DPID"
	k=$(date +%s.%N)
	wait "$DPID" 2>/dev/null
	DPID=
	wait "$RPID"
	# what was sent more than a flush (0.2 s) plus a margin before the
	# kill; the margin is wide because under load (ASan, a busy machine)
	# the sender starts late and falls behind its schedule
	safe=$(awk -v t0="$t0" -v k="$k" -v rate=$RATE 'BEGIN {
	    n = int((k - t0 - 1.0) * rate); print (n > 0 ? n : 0) }')
	if [ "$safe" -gt 1 ]; then
		# the first and last second of a stretch may be shared with
		# lines sent after a kill: leave them out
		echo "$(( $(line_time "$a") + 1 )) $(( $(line_time $((a + safe - 1))) - 1 ))" \
		    >>"$T/safe"
	fi
	if "$B/cgnlog-verify" --quiet "$T/store" >"$T/verify"; then
		ok "round $r: killed after ${delay}s, every shard sound ($(tail -1 "$T/verify"))"
	else
		notok "round $r: store damaged after kill -9"
		cat "$T/verify"
	fi
	a=$((a + CHUNK))
	r=$((r + 1))
done

# the rest, then a clean stop: nothing may be missing from this part
sed -n "${a},${LINES}p" "$T/log" >"$T/slice"
start_daemon --listen syslog-udp://127.0.0.1:0 --flush-ms 200
"$B/cgnlog-replay" --rate $RATE "$T/slice" "udp://127.0.0.1:$(port 1)" \
    >/dev/null
sleep 0.3
stop_daemon
expect "cgnlogd exits 0 on SIGTERM after the crashes" "$DRC" 0
echo "$(( $(line_time "$a") + 1 )) $(line_time "$LINES")" >>"$T/safe"
"$B/cgnlog-verify" --quiet "$T/store" >/dev/null
expect "the store is sound at the end" "$?" 0

# every allocation that began inside a safe stretch and lasted 3 s or more
# is found, one second after it began, as the only holder. That second
# must be one the log reaches: past the device's last event an open
# allocation is carried into no later shard (nothing says it is still
# held), and when the log ends at a shard boundary (a run 20:00-20:59
# UTC starts it at 17:00 and ends it at 18:00) the lookup finds nothing.
LAST_MS=$(( $(line_time "$LINES") * 1000 ))
awk -v last="$LAST_MS" 'NR == FNR { lo[NR] = $1 * 1000; hi[NR] = $2 * 1000; n = NR; next }
    !/^#/ && ($6 == -1 || $6 - $5 >= 3000) && $5 + 1000 < last {
	for (i = 1; i <= n; i++)
		if ($5 >= lo[i] && $5 <= hi[i]) { print; break }
    }' "$T/safe" "$T/truth.tsv" | awk 'NR % 20 == 1' >"$T/check"
total=0
bad=0
while IFS='	' read -r in pub lo hi s e logged; do
	total=$((total + 1))
	t=$((s + 1000))
	q --format csv lookup "$pub" "$lo" "$((t / 1000))" --tolerance 0 >"$T/o"
	rc=$?
	got=$(cut -d, -f6 "$T/o")
	# stored is what this test asks: the holder is listed. Still open at
	# the end of the log and logged at a time the collector was not
	# listening (this is a replay), cgnq will not vouch for it alone
	# (no_coverage, exit 3); answered unique once its release arrived.
	if { [ "$rc" != 0 ] && [ "$rc" != 3 ]; } || [ "$got" != "$in" ]; then
		bad=$((bad + 1))
		[ $bad -le 5 ] && echo "# $pub:$lo at $t: exit $rc inside '$got', want $in"
	fi
done <"$T/check"
[ "$total" -gt 300 ] && ok "checked $total allocations sent before the kills" ||
    notok "only $total allocations to check"
expect "allocations sent a flush interval before a kill are all stored" "$bad" 0
finish
