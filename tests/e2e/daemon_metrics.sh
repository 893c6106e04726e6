#!/bin/sh
# daemon_metrics.sh BUILD - cgnlogd's metrics endpoint, scraped and parsed
# strictly (tests/e2e/metrics_client.py), with exact counter values after
# known traffic: port-block allocations over UDP and TCP from a configured
# device with a clock 30 s slow, lines no parser reads, and a spoofed
# exporter outside a listener's allow= list, which must be counted as ACL
# drops and stored nowhere. Also: bad requests get 404/405/431, idle
# clients cannot lock a scraper out and are closed after the deadline,
# SIGUSR1 prints the endpoint's names, and --metrics binds port 0.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"
MC="python3 $(dirname "$0")/metrics_client.py"

# [collector] metrics = from the file; the device gets a name
cat >"$T/cgnlogd.conf" <<EOF
[store]
flush = 200ms
[collector]
listen = syslog-udp://127.0.0.1:0?allow=192.0.2.0/24
listen = syslog-udp://127.0.0.1:0
listen = syslog-tcp://127.0.0.1:0
metrics = 127.0.0.1:0
[device 127.0.0.1]
name = cgn-test-1
EOF
start_daemon -f "$T/cgnlogd.conf"
expect "the port file names the metrics listener" \
    "$(sed -n 4p "$T/ports" | sed 's/:[0-9]*$//')" "metrics://127.0.0.1"
ACLP=$(port 1)
UP=$(port 2)
TP=$(port 3)
MP=$(port 4)

# a slot per client, and the longest silent gives way to a new one
expect "8 idle clients do not lock a scraper out" "$($MC idle "$MP" 8)" 200
# an idle client, watched until the server closes it (the deadline)
$MC linger "$MP" 9 >"$T/linger" &
LPID=$!

# Juniper RT_NAT allocations, stamped 30 s behind our clock
alloc() {	# INSIDE PUBLIC PORTLO
	printf '<14>1 - cgn1 RT_NAT - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.129 internal-ip="%s" block-port-low="%s" block-port-high="%s" reflexive-ip="%s" epoch-time-64="%x"] e2e' \
	    "$1" "$3" "$(($3 + 511))" "$2" "$(($(date +%s) - 30))"
}
T0=$(date +%s)
python3 - "$ACLP" "$UP" "$TP" "$(alloc 100.64.77.1 198.51.100.99 1024)" \
    "$(alloc 100.64.0.1 203.0.113.5 1024)" \
    "$(alloc 100.64.0.2 203.0.113.5 1536)" \
    "$(alloc 100.64.0.3 203.0.113.5 2048)" <<'EOF'
import socket, sys, time
aclp, up, tp = (int(x) for x in sys.argv[1:4])
spoofed, good = sys.argv[4].encode(), [a.encode() for a in sys.argv[5:]]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# 5 from an exporter outside allow=192.0.2.0/24
for i in range(5):
    u.sendto(spoofed, ("127.0.0.1", aclp))
# 4 good over UDP (the first twice: a different block each time below)
for m in good + [good[0].replace(b'"1024"', b'"4096"').replace(
        b'"1535"', b'"4607"')]:
    u.sendto(m, ("127.0.0.1", up))
# 2 rejects: an impossible inside address, and what no parser reads
u.sendto(good[0].replace(b'"100.64.0.1"', b'"100.64.0.999"'),
         ("127.0.0.1", up))
u.sendto(b"\x00\x01garbage", ("127.0.0.1", up))
# 3 good over TCP, newline framed, then the connection ends
t = socket.create_connection(("127.0.0.1", tp))
for m in good:
    t.sendall(m.replace(b"203.0.113.5", b"203.0.113.6") + b"\n")
t.close()
EOF
T1=$(date +%s)

# wait until all of it is stored (flush every 200 ms)
i=0
while :; do
	$MC scrape "$MP" >"$T/m" 2>"$T/merr"
	grep -qx 'cgnlogd_events_stored_total 7' "$T/m" &&
	    grep -qx 'cgnlogd_tcp_connections_closed_total 1' "$T/m" &&
	    grep -qx 'cgnlogd_store_open_allocations 7' "$T/m" && break
	i=$((i + 1))
	[ $i -gt 50 ] && break
	sleep 0.1
done
$MC scrape "$MP" >"$T/m" 2>"$T/merr"; rc=$?
$MC raw "$MP" >"$T/m.raw"
expect "the exposition is well formed (every line parsed)" "$(cat "$T/merr")$rc" 0
v() { awk -v k="$1" '$1 == k { print $2 }' "$T/m"; }
expect "received: 5 spoofed + 7 good + 2 bad" "$(v cgnlogd_messages_received_total)" 14
expect "the spoofed exporter: 5 ACL drops" "$(v cgnlogd_acl_drops_total)" 5
expect "messages with events" "$(v cgnlogd_messages_with_events_total)" 7
expect "events parsed" "$(v cgnlogd_events_parsed_total)" 7
expect "events stored" "$(v cgnlogd_events_stored_total)" 7
expect "messages stored" "$(v cgnlogd_messages_stored_total)" 7
expect "rejected as malformed" "$(v 'cgnlogd_messages_rejected_total{reason="malformed"}')" 1
expect "rejected as unknown format" "$(v 'cgnlogd_messages_rejected_total{reason="unknown_format"}')" 1
expect "every reject reason is a series" "$(grep -c '^cgnlogd_messages_rejected_total{reason=' "$T/m")" 10
expect "rejects add up" "$(grep '^cgnlogd_messages_rejected_total{' "$T/m" | awk '{ s += $2 } END { print s }')" 2
expect "kernel drops" "$(v cgnlogd_kernel_drops_total)" 0
expect "TCP connections accepted" "$(v cgnlogd_tcp_connections_accepted_total)" 1
expect "TCP connections closed" "$(v cgnlogd_tcp_connections_closed_total)" 1
expect "store errors" "$(v cgnlogd_store_errors_total)" 0
expect "open allocations in the writer" "$(v cgnlogd_store_open_allocations)" 7
expect "the spool is empty, nothing lost" "$(v cgnlogd_spool_bytes)\
 $(v cgnlogd_spool_batches) $(v cgnlogd_messages_lost_total)" "0 0 0"
D='{device="cgn-test-1"}'
expect "messages of the device" "$(v "cgnlogd_device_messages_total$D")" 7
expect "events of the device" "$(v "cgnlogd_device_events_total$D")" 7
expect "one device only: the spoofed messages are not a device" \
    "$(grep -c '^cgnlogd_device_messages_total{' "$T/m")" 1
SEEN=$(v "cgnlogd_device_last_seen_timestamp_seconds$D")
expect "last seen during the sending ($T0-$T1 s, got $SEEN)" \
    "$(awk -v s="$SEEN" -v a="$T0" -v b="$T1" 'BEGIN { print (s >= a && s < b + 1) }')" 1
SKEW=$(v "cgnlogd_device_clock_skew_seconds$D")
expect "clock skew about -30 s (got $SKEW)" \
    "$(awk -v s="$SKEW" 'BEGIN { print (s > -32 && s <= -30) }')" 1
expect "flushes are counted" "$(awk -v s="$(v cgnlogd_store_flushes_total)" 'BEGIN { print (s > 0) }')" 1
expect "resident memory is shown" "$(awk -v s="$(v cgnlogd_resident_memory_bytes)" 'BEGIN { print (s > 1000000) }')" 1

# every family on the endpoint is documented in cgnlogd(8)
MAN=$(dirname "$0")/../../collector/cgnlogd.8
UNDOC=
for f in $(sed -n 's/^# TYPE cgnlogd_\([^ ]*\) .*/\1/p' "$T/m.raw"); do
	grep -qw "$f" "$MAN" || UNDOC="$UNDOC $f"
done
expect "every metric is in cgnlogd.8" "$UNDOC" ""

# SIGUSR1 prints the same names and values
kill -USR1 "$DPID"
i=0
while ! grep -q '^cgnlogd_acl_drops_total' "$T/daemon.log" && [ $i -lt 100 ]; do
	sleep 0.02; i=$((i + 1))
done
expect "SIGUSR1: the endpoint's name and value" \
    "$(grep '^cgnlogd_acl_drops_total' "$T/daemon.log")" "cgnlogd_acl_drops_total 5"
expect "SIGUSR1: rejects by reason" \
    "$(grep -c '^cgnlogd_messages_rejected_total{reason=' "$T/daemon.log")" 10

# what other requests get
expect "GET / is 404" "$($MC status "$MP" 'GET / HTTP/1.1\r\n\r\n')" "404 14"
expect "POST is 405" "$($MC status "$MP" 'POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n')" "405 23"
expect "HTTP/2.0 is 505" "$($MC status "$MP" 'GET /metrics HTTP/2.0\r\n\r\n')" "505 31"
expect "a malformed request line is 400" "$($MC status "$MP" 'GET /metrics\r\n\r\n')" "400 16"
expect "HEAD has no body" "$($MC status "$MP" 'HEAD /metrics HTTP/1.1\r\n\r\n')" "200 0"
BIG=$(head -c 5000 /dev/zero | tr '\0' 'a')
expect "a header over 4 KiB is 431" "$($MC status "$MP" "GET /metrics HTTP/1.1\r\nX: $BIG\r\n\r\n")" "431 36"

# the spoofed allocations are stored nowhere, the good ones are; the
# period starts an hour before this store existed: "none, with gaps" (3)
F=$((T0 - 3600))
TO=$((T1 + 60))
q --format csv history --public 198.51.100.99 --from "$F" --to "$TO" \
    >"$T/o" 2>&1; rc=$?
expect "cgnq: no interval of the spoofed public address" \
    "$rc $(grep -c 100.64.77.1 "$T/o")" "3 0"
q --format csv history --inside 100.64.77.1 --from "$F" --to "$TO" \
    >"$T/o" 2>&1; rc=$?
expect "cgnq: no interval of the spoofed inside address" \
    "$rc $(grep -c 198.51.100.99 "$T/o")" "3 0"
expect "the spoofed messages are not in the reject file" \
    "$(grep -c 100.64.77.1 "$T/store/reject.log")" 0
q --format csv history --public 203.0.113.6 --from "$F" --to "$TO" \
    >"$T/o"; rc=$?
expect "cgnq: the 3 TCP allocations are stored" \
    "$rc $(grep -c '^[^#]*100\.64\.0\.[123],' "$T/o")" "0 3"

wait "$LPID"
expect "an idle client is closed after the deadline (5-6 s)" \
    "$(awk '{ print ($1 >= 5 && $1 <= 7) }' "$T/linger")" 1

stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0

# --metrics on the command line, port 0
start_daemon --listen syslog-udp://127.0.0.1:0 --metrics 127.0.0.1:0
MP=$(port 2)
expect "--metrics: the port file's second line" "$(url 2)" "metrics://127.0.0.1:$MP"
$MC scrape "$MP" >"$T/m" 2>"$T/merr"; rc=$?
expect "--metrics: scraped, well formed" "$(cat "$T/merr")$rc" 0
expect "--metrics: nothing received yet" "$(v cgnlogd_messages_received_total)" 0
stop_daemon
expect "cgnlogd exits 0 on SIGTERM (second run)" "$DRC" 0

finish
