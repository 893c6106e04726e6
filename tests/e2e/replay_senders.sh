#!/bin/sh
# replay_senders.sh BUILD - cgnlog-replay --senders: several sending
# threads, each on its own socket, deliver every line once between them,
# and a listener with two SO_REUSEPORT receive threads stores them all.
. "$(dirname "$0")/lib.sh"

"$B/cgnlog-gen" --seed 7 --subscribers 500 --pool 192.0.2.0/28 \
    --events 20000 --duration 1h --format juniper --out "$T/log" 2>/dev/null
N=$(wc -l <"$T/log" | tr -d ' ')

start_daemon --listen 'syslog-udp://127.0.0.1:0?threads=2' --flush-ms 200
"$B/cgnlog-replay" --senders 3 --rate 40000 "$T/log" \
    "udp://127.0.0.1:$(port 1)" >"$T/r"
expect "three senders sent every line once" \
    "$(sed 's/.*sent=\([0-9]*\).*/\1/' "$T/r")" "$N"
sleep 0.3
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0
expect "every line was received and stored" \
    "$(sed -n 's/.*stopped: \([0-9]*\) messages received, \([0-9]*\) events stored.*/\1 \2/p' "$T/daemon.log")" \
    "$N $N"
expect "--senders 0 is a usage error" \
    "$("$B/cgnlog-replay" --senders 0 "$T/log" udp://127.0.0.1:9 2>/dev/null; echo $?)" 64
expect "--senders over TCP is a usage error" \
    "$("$B/cgnlog-replay" --senders 2 "$T/log" tcp://127.0.0.1:9 2>/dev/null; echo $?)" 64
finish
