#!/bin/sh
# syslog_end_to_end.sh BUILD - the first whole path: a real syslog client
# (util-linux logger) and cgnlog-replay send Juniper port-block logs to
# cgnlogd over UDP and TCP; after SIGTERM, cgnq must give the exact holder
# for ground-truth intervals (inside, at both edges, just outside), and a
# malformed line must be counted, kept and survived.
. "$(dirname "$0")/lib.sh"

command -v logger >/dev/null || skip_all "logger (util-linux) is not installed"

# a past hour of traffic: 300 subscribers on a /28, 512-port blocks
START=$(date -u -d '-3 hours' +%Y-%m-%dT%H:00:00Z)
"$B/cgnlog-gen" --seed 42 --subscribers 300 --pool 192.0.2.0/28 \
    --events 6000 --duration 1h --start "$START" --format juniper \
    --out "$T/udp.log" --truth "$T/truth.tsv" 2>/dev/null
"$B/cgnlog-gen" --seed 43 --subscribers 100 --pool 198.18.0.0/29 \
    --events 2000 --duration 1h --start "$START" --format juniper-text \
    --out "$T/tcp.log" --truth "$T/truth_tcp.tsv" 2>/dev/null

start_daemon --listen syslog-udp://127.0.0.1:0 \
    --listen syslog-tcp://127.0.0.1:0 --flush-ms 200
UP=$(port 1)
TP=$(port 2)

# logger, RFC 5424 over UDP: a Juniper RT_NAT allocation in structured data
NOW=$(date +%s)
E=$(printf '%x' "$NOW")
logger --rfc5424 -n 127.0.0.1 -P "$UP" -d -t RT_NAT \
    --msgid RT_SRC_NAT_PBA_ALLOC --sd-id junos@2636.1.1.1.2.129 \
    --sd-param 'internal-ip="100.64.9.9"' --sd-param 'block-port-low="2048"' \
    --sd-param 'block-port-high="2559"' \
    --sd-param 'reflexive-ip="198.51.100.77"' \
    --sd-param "epoch-time-64=\"$E\"" 'port block allocated'
# logger, RFC 3164 over TCP: the RT_NAT text form, then its release
logger --rfc3164 -n 127.0.0.1 -P "$TP" -T -t RT_NAT \
    "RT_SRC_NAT_PBA_ALLOC: Subscriber 100.64.9.10 used/maximum [1/4] blocks, allocates port block [4096-4607] from 198.51.100.77 in source pool p lsys_id: 0 epoch 0x$E"
E2=$(printf '%x' $((NOW + 1)))
logger --rfc3164 -n 127.0.0.1 -P "$TP" -T -t RT_NAT \
    "RT_SRC_NAT_PBA_RELEASE: Subscriber 100.64.9.10 used/maximum [0/4] blocks, releases port block [4096-4607] from 198.51.100.77 in source pool p lsys_id: 0 epoch 0x$E2"
# a line no vendor parser knows: counted, kept, and the daemon goes on
logger -n 127.0.0.1 -P "$UP" -d "this is not a NAT log e2e-marker-1"
# a later good message must still be stored
logger --rfc5424 -n 127.0.0.1 -P "$UP" -d -t RT_NAT \
    --msgid RT_SRC_NAT_PBA_ALLOC --sd-id junos@2636.1.1.1.2.129 \
    --sd-param 'internal-ip="100.64.9.11"' --sd-param 'block-port-low="8192"' \
    --sd-param 'block-port-high="8703"' \
    --sd-param 'reflexive-ip="198.51.100.77"' \
    --sd-param "epoch-time-64=\"$E\"" 'port block allocated'

"$B/cgnlog-replay" --rate 50000 "$T/udp.log" "udp://127.0.0.1:$UP" >"$T/r1"
"$B/cgnlog-replay" --rate 20000 "$T/tcp.log" "tcp://127.0.0.1:$TP" >"$T/r2"
expect "replay sent every UDP line" "$(sed 's/.*sent=\([0-9]*\).*/\1/' "$T/r1")" "$(wc -l <"$T/udp.log" | tr -d ' ')"
sleep 0.3
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0

SENT=$(( $(wc -l <"$T/udp.log") + $(wc -l <"$T/tcp.log") + 5 ))
GOT=$(sed -n 's/.*stopped: \([0-9]*\) messages received.*/\1/p' "$T/daemon.log")
expect "every message sent was received" "$GOT" "$SENT"
REJ=$(sed -n 's/.*events stored, \([0-9]*\) rejected.*/\1/p' "$T/daemon.log")
expect "exactly the malformed line was rejected" "$REJ" 1
if grep -q "e2e-marker-1" "$T/store/reject.log"; then
	ok "the malformed line is kept in the reject file"
else
	notok "the malformed line is kept in the reject file"
fi

# the logger messages, looked up now; with no tolerance, since a window
# reaching back before the collector started (it did, just before NOW) is
# rightly "no coverage" when that was in the minute before
q --format csv lookup 198.51.100.77 2100 "$NOW" --tolerance 0 >"$T/o"; rc=$?
expect "logger UDP allocation: unique" "$rc" 0
expect "logger UDP allocation: inside" "$(cut -d, -f6 "$T/o")" 100.64.9.9
q --format csv lookup 198.51.100.77 4607 "$NOW" --tolerance 0 >"$T/o"; rc=$?
expect "logger TCP allocation: unique" "$rc" 0
expect "logger TCP allocation: inside" "$(cut -d, -f6 "$T/o")" 100.64.9.10
expect "logger TCP release: end logged" "$(cut -d, -f14 "$T/o")" logged
q --format csv lookup 198.51.100.77 8192 "$NOW" --tolerance 0 >"$T/o"; rc=$?
expect "a message after the malformed one is stored" "$(cut -d, -f6 "$T/o")" 100.64.9.11
q lookup 198.51.100.77 3000 "$NOW" --tolerance 0 >/dev/null; rc=$?
expect "a port nobody holds, while the collector ran: not found" "$rc" 1
q lookup 198.51.100.77 2100 "$((NOW - 3600))" >/dev/null; rc=$?
expect "before the collector ran: no coverage" "$rc" 3
q lookup 198.51.100.777 2100 "$NOW" >/dev/null 2>&1; rc=$?
expect "a malformed address: exit 64" "$rc" 64
q lookup 198.51.100.77 2100 2026-11-28T10:00:00 >/dev/null 2>&1; rc=$?
expect "a time without a zone: exit 64" "$rc" 64

# ground truth: every 25th closed, logged interval, at its middle, both
# edges, and one second before it began (nobody: the block rested)
check_truth() {
	awk -F'\t' '!/^#/ && $6 != -1 && $7 == 1 && $6 - $5 >= 3000' "$1" |
	    awk 'NR % 25 == 1' >"$T/sample"
	n=0
	bad=0
	while IFS='	' read -r in pub lo hi s e logged; do
		n=$((n + 1))
		p=$(( lo + (n * 37) % (hi - lo + 1) ))
		for t in $(( (s + e) / 2 )) "$s" "$e"; do
			ts=$(printf '%d.%03d' $((t / 1000)) $((t % 1000)))
			q --format csv lookup "$pub" "$p" "$ts" --tolerance 0 >"$T/o"
			rc=$?
			got=$(cut -d, -f6 "$T/o")
			if [ "$rc" != 0 ] || [ "$got" != "$in" ]; then
				bad=$((bad + 1))
				echo "# $pub:$p at $t: exit $rc inside '$got', want 0 $in"
			fi
		done
		t=$((s - 1000))
		q lookup "$pub" "$p" "$((t / 1000))" --tolerance 0 >/dev/null
		rc=$?
		if [ "$rc" != 3 ]; then
			bad=$((bad + 1))
			echo "# $pub:$p at $t (before $s): exit $rc, want 3"
		fi
	done <"$T/sample"
	expect "$2: $n intervals checked at 4 times each, wrong answers" "$bad" 0
	[ "$n" -gt 10 ] && ok "$2: sample is large enough ($n)" || notok "$2: only $n sampled"
}
check_truth "$T/truth.tsv" "UDP ground truth"
check_truth "$T/truth_tcp.tsv" "TCP ground truth"
finish
