#!/bin/sh
# daemon_faults.sh BUILD - the store's disk fails under cgnlogd and comes
# back: full (a 4 MiB tmpfs filled up), and the store directory removed.
# Full: one clear log line, the flushes retried, what arrives meanwhile
# kept (memory, then the spool on another filesystem), one line when
# writing works again. Removed: made again, said, and what comes after is
# stored. In the end the store is sound and the ground truth answered.
# (A filesystem remounted read-only under open files cannot be made here:
# the kernel refuses while files are open for writing; it fails the same
# flush path as a full disk.)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_truth.sh"

[ "$(id -u)" = 0 ] || skip_all "SKIP: not root (the test mounts a tmpfs)"
SMALL="$T/small"
mkdir "$SMALL"
mount -t tmpfs -o size=4m tmpfs "$SMALL" 2>/dev/null ||
    skip_all "SKIP: cannot mount a tmpfs here (no CAP_SYS_ADMIN?)"
trap 'umount -l "$SMALL" 2>/dev/null; cleanup' EXIT

START=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:00Z)
"$B/cgnlog-gen" --seed 13 --subscribers 600 --pool 192.0.2.0/26 \
    --events 24000 --duration 1h --start "$START" --format juniper \
    --out "$T/log" --truth "$T/truth.tsv" 2>/dev/null
SENT=$(wc -l <"$T/log" | tr -d ' ')
split -n l/4 -d "$T/log" "$T/part."	# part.00 .01 .02 .03

cat >"$T/cgnlogd.conf" <<EOF
[store]
root = $SMALL/store
flush = 200ms
[collector]
listen = syslog-tcp://127.0.0.1:0
ring_batches = 8
spool = $T/spool.bin
reject = $T/reject.log
EOF

# waitlog PATTERN COUNT - until the daemon log has COUNT such lines (10 s)
waitlog() {
	i=0
	while [ "$(grep -c "$1" "$T/daemon.log")" -lt "$2" ] && [ $i -lt 500 ]; do
		sleep 0.02; i=$((i + 1))
	done
	[ "$(grep -c "$1" "$T/daemon.log")" -ge "$2" ]
}
send() { "$B/cgnlog-replay" --rate 20000 "$1" "tcp://127.0.0.1:$TP" >/dev/null; }

"$B/cgnlogd" -f "$T/cgnlogd.conf" --port-file "$T/ports" 2>>"$T/daemon.log" &
DPID=$!
i=0
while [ ! -s "$T/ports" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
TP=$(port 1)

# 1. disk full
send "$T/part.00"
sleep 0.5
dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null
send "$T/part.01"
waitlog 'taking nothing new until it works again' 1
expect "disk full: one clear line" \
    "$(grep -c 'taking nothing new until it works again' "$T/daemon.log")" 1
expect "disk full: the line names the cause" \
    "$(grep 'taking nothing new' "$T/daemon.log" | grep -c 'disk is full')" 1
sleep 1.5	# retries meanwhile: still one line
expect "disk full: no line per retry" \
    "$(grep -c 'taking nothing new' "$T/daemon.log")" 1
kill -USR1 "$DPID"
waitlog '^cgnlogd_spool_batches ' 1
expect "disk full: what arrived waits in the spool" \
    "$(sed -n 's/^cgnlogd_spool_batches //p' "$T/daemon.log" | awk '{ print ($1 > 0) }')" 1
rm -f "$SMALL/filler"
waitlog 'store: writing again after' 1
expect "space is back: it says it writes again" "$?" 0

# 2. more while it writes again
send "$T/part.02"

# all of it is in the store now (cgnq reads while cgnlogd writes)
sleep 0.6
ln -s "$SMALL/store" "$T/store"
L3=$(head -1 "$T/part.03" | sed 's/.*epoch-time-64="\([0-9a-f]*\)".*/\1/')
L3=$(( $(printf '%d' "0x$L3") * 1000 ))
awk -F'\t' -v to="$L3" '/^#/ || ($6 != -1 && $6 < to)' "$T/truth.tsv" \
    >"$T/truth012.tsv"
truth_check "$T/truth012.tsv" 5
expect "ground truth through the full disk: $TRUTH_TOTAL, wrong" \
    "$TRUTH_BAD" 0

# 3. the store directory removed while cgnlogd runs
rm -rf "$SMALL/store"
send "$T/part.03"
waitlog 'vanished: made it again' 1
expect "a removed store directory is made again, and said" "$?" 0

stop_daemon
expect "cgnlogd exits 0 (nothing was lost)" "$DRC" 0
expect "nothing counted as lost" \
    "$(sed -n 's/.*stopped: .*, \([0-9]*\) lost$/\1/p' "$T/daemon.log")" 0
expect "the spool is empty" "$(wc -c <"$T/spool.bin" | tr -d ' ')" 72
"$B/cgnlog-verify" --quiet "$SMALL/store" >/dev/null
expect "the store is sound" "$?" 0
expect "every line was given to the store" \
    "$(sed -n 's/.*received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")" \
    "$SENT"
# what was stored before the removal went with it; what was sent after
awk -F'\t' -v from="$L3" '/^#/ || ($5 >= from + 1000 && $6 != -1)' \
    "$T/truth.tsv" >"$T/truth3.tsv"
truth_check "$T/truth3.tsv" 3
expect "ground truth of what was sent after the removal: $TRUTH_TOTAL, wrong" \
    "$TRUTH_BAD" 0
finish
