#!/bin/sh
# daemon_overload.sh BUILD - a store writer slower than the network: the
# writer pauses per batch (CGNLOGD_TEST_WRITER_DELAY_US, standing in for a
# slow disk) while a sender goes as fast as it can over TCP (no kernel
# loss, so every line sent must be stored). The ring fills, batches go to
# the spool, nothing is dropped; SIGTERM drains the spool: every message
# stored, the spool empty, the ground truth answered. Then kill -9 in the
# middle of a drain: the next start stores what the spool still held; and
# with a damaged record there, passes it over, says so and exits 1.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_truth.sh"

START=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:00Z)
"$B/cgnlog-gen" --seed 11 --subscribers 1000 --pool 192.0.2.0/26 \
    --events 40000 --duration 1h --start "$START" --format juniper \
    --out "$T/log" --truth "$T/truth.tsv" 2>/dev/null
SENT=$(wc -l <"$T/log" | tr -d ' ')

# a small ring, so that the spool takes over at once
cat >"$T/cgnlogd.conf" <<EOF
[store]
flush = 200ms
[collector]
listen = syslog-tcp://127.0.0.1:0
ring_batches = 4
EOF

stat_of() { sed -n "s/^$1 //p" "$T/daemon.log" | tail -1; }
stopped() { sed -n "s/.*stopped: .*received, \([0-9]*\) events stored.*/\1/p" \
    "$T/daemon.log" | tail -1; }

# 1. a slow writer, a fast sender, a clean stop
export CGNLOGD_TEST_WRITER_DELAY_US=20000
start_daemon -f "$T/cgnlogd.conf"
unset CGNLOGD_TEST_WRITER_DELAY_US
"$B/cgnlog-replay" --rate 0 "$T/log" "tcp://127.0.0.1:$(port 1)" >/dev/null
kill -USR1 "$DPID"
i=0
while [ -z "$(stat_of cgnlogd_spooled_batches_total)" ] && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1))
done
SPOOLED=$(stat_of cgnlogd_spooled_batches_total)
expect "the writer fell behind: batches went to the spool" \
    "$(awk -v n="$SPOOLED" 'BEGIN { print (n > 10) }')" 1
expect "nothing was dropped for want of room" \
    "$(stat_of cgnlogd_spool_dropped_messages_total)" 0
stop_daemon
expect "cgnlogd exits 0 after draining the spool" "$DRC" 0
expect "every line sent was stored" "$(stopped)" "$SENT"
expect "the spool is empty (its header only)" \
    "$(wc -c <"$T/store/spool" | tr -d ' ')" 72
truth_check "$T/truth.tsv" 10
expect "ground truth: $TRUTH_TOTAL allocations answered, wrong" \
    "$TRUTH_BAD" 0
"$B/cgnlog-verify" --quiet "$T/store" >/dev/null
expect "the store is sound" "$?" 0

# a fresh store, a slow writer, the whole log sent, then kill -9 while the
# spool drains
kill_while_spooling() {
	rm -rf "$T/store"
	: >"$T/daemon.log"
	export CGNLOGD_TEST_WRITER_DELAY_US=20000
	start_daemon -f "$T/cgnlogd.conf"
	unset CGNLOGD_TEST_WRITER_DELAY_US
	"$B/cgnlog-replay" --rate 0 "$T/log" "tcp://127.0.0.1:$(port 1)" >/dev/null
	sleep 0.5
	kill -KILL "$DPID"
	wait "$DPID" 2>/dev/null
	DPID=
}

# 2. kill -9 while the spool drains, the sender done: the ring is empty by
# then, and what the writer read from the spool but had not yet flushed is
# read again, so nothing at all may be missing
kill_while_spooling
LEFT=$(wc -c <"$T/store/spool" | tr -d ' ')
expect "the killed daemon left batches in the spool" \
    "$(awk -v n="$LEFT" 'BEGIN { print (n > 100000) }')" 1
start_daemon -f "$T/cgnlogd.conf"
i=0	# said after the port file is written
while ! grep -q 'batches from before' "$T/daemon.log" && [ $i -lt 200 ]; do
	sleep 0.02; i=$((i + 1))
done
expect "the next start says what the spool holds" \
    "$(grep -c 'batches from before: they are stored first' "$T/daemon.log")" 1
stop_daemon
expect "cgnlogd exits 0 after taking the spool up" "$DRC" 0
expect "the spool is empty after that" \
    "$(wc -c <"$T/store/spool" | tr -d ' ')" 72
truth_check "$T/truth.tsv" 10
expect "ground truth after the kill: $TRUTH_TOTAL allocations, wrong" \
    "$TRUTH_BAD" 0
"$B/cgnlog-verify" --quiet "$T/store" >/dev/null
expect "the store is sound after the kill" "$?" 0

# 3. the same, then the first record still to read is damaged (the disk's
# fault): it is passed over and said, the rest is stored, and cgnlogd
# exits 1 because its messages are lost
kill_while_spooling
# the header's last 8 bytes: where reading resumes; a record there is
# "CGS4", two lengths, then its payload's checksum, which stops matching
AT=$(od -A n -t u8 -j 64 -N 8 "$T/store/spool" | tr -d ' ')
printf '\000\377\377' | dd of="$T/store/spool" bs=1 seek=$((AT + 12)) \
    conv=notrunc 2>/dev/null
start_daemon -f "$T/cgnlogd.conf"
i=0
while ! grep -q 'a damaged record' "$T/daemon.log" && [ $i -lt 200 ]; do
	sleep 0.02; i=$((i + 1))
done
stop_daemon
expect "a damaged spool record is said" \
    "$(grep -c "a damaged record ([0-9]* bytes at $AT" "$T/daemon.log")" 1
expect "and counted at the stop" \
    "$(grep -c '1 spool records were damaged' "$T/daemon.log")" 1
expect "cgnlogd exits 1: messages were lost" "$DRC" 1
STORED=$(stopped)
expect "the records after it are stored" \
    "$(awk -v n="${STORED:-0}" 'BEGIN { print (n > 0) }')" 1
finish
