#!/bin/sh
# daemon_reload.sh BUILD - SIGHUP while cgnlogd takes a steady stream:
# the configuration is read again (a device added and removed, a broken
# file refused, the default ACL changed) and the reject file is reopened
# after rotation, and nothing sent is lost: every line stored and the
# ground truth answered. A device added by a reload is named at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_truth.sh"

START=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:00Z)
"$B/cgnlog-gen" --seed 12 --subscribers 800 --pool 192.0.2.0/26 \
    --events 30000 --duration 1h --start "$START" --format juniper \
    --out "$T/log" --truth "$T/truth.tsv" 2>/dev/null
SENT=$(wc -l <"$T/log" | tr -d ' ')

# conf yes|no [ALLOW] - the configuration file: device 127.0.0.1 is cgn-a;
# with yes, 127.0.0.2 is cgn-new
conf() {
	{
		echo "[store]"
		echo "flush = 200ms"
		echo "[collector]"
		echo "listen = syslog-tcp://127.0.0.1:0"
		echo "listen = syslog-udp://127.0.0.1:0"
		[ -n "$2" ] && echo "allow = $2"
		echo "[device 127.0.0.1]"
		echo "name = cgn-a"
		if [ "$1" = yes ]; then
			echo "[device 127.0.0.2]"
			echo "name = cgn-new"
		fi
	} >"$T/cgnlogd.conf.new"
	mv "$T/cgnlogd.conf.new" "$T/cgnlogd.conf"
}
# waitlog PATTERN COUNT - until the daemon log has COUNT such lines
waitlog() {
	i=0
	while [ "$(grep -c "$1" "$T/daemon.log")" -lt "$2" ] && [ $i -lt 250 ]; do
		sleep 0.02; i=$((i + 1))
	done
}
stat_of() { sed -n "s/^$1 //p" "$T/daemon.log" | tail -1; }

conf no
start_daemon -f "$T/cgnlogd.conf"
TP=$(port 1)
UP=$(port 2)

# 1. four reloads and a refused file during two seconds of sending
"$B/cgnlog-replay" --rate 15000 "$T/log" "tcp://127.0.0.1:$TP" >/dev/null &
RPID=$!
n=0
for name in yes no broken yes no; do
	sleep 0.35
	if [ "$name" = broken ]; then
		printf '[store]\nflush = soon\n' >"$T/cgnlogd.conf"
	else
		conf "$name"
	fi
	kill -HUP "$DPID"
	n=$((n + 1))
	waitlog 'reopened' $n
done
wait "$RPID"
expect "four reloads were taken" "$(grep -c '^<6>cgnlogd: reloaded ' "$T/daemon.log")" 4
expect "the broken file was refused, naming the line" \
    "$(grep -c "reload: $T/cgnlogd.conf:2: .*keeping the running configuration" "$T/daemon.log")" 1
conf yes
kill -HUP "$DPID"
waitlog '^<6>cgnlogd: reloaded ' 5
expect "the last reload has two devices" \
    "$(grep '^<6>cgnlogd: reloaded ' "$T/daemon.log" | tail -1 | grep -c '2 device(s)')" 1
# the device the reload added: its messages carry its name
python3 -c '
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.2", 0))
u.sendto(b"<14>1 - x RT_NAT - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.129 internal-ip=\"100.64.98.1\" block-port-low=\"1024\" block-port-high=\"1535\" reflexive-ip=\"198.51.100.251\"] x", ("127.0.0.1", int(sys.argv[1])))
' "$UP"

# 2. the reject file, rotated away, is opened again on SIGHUP
mv "$T/store/reject.log" "$T/reject.log.1"
kill -HUP "$DPID"
waitlog 'reopened' 7
printf 'no parser reads this line\n' | python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read())
s.close()' "$TP"
i=0
while [ ! -s "$T/store/reject.log" ] && [ $i -lt 100 ]; do sleep 0.02; i=$((i + 1)); done
expect "after rotation and SIGHUP the reject goes to a new reject.log" \
    "$(grep -c 'no parser reads this line' "$T/store/reject.log")" 1
expect "and not to the rotated one" \
    "$(grep -c 'no parser reads this line' "$T/reject.log.1")" 0

# 3. a default ACL that leaves 127.0.0.1 out, taken on SIGHUP
conf yes 192.0.2.0/24
kill -HUP "$DPID"
waitlog '^<6>cgnlogd: reloaded ' 7
python3 -c '
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(3):
    u.sendto(b"<14>1 - cgn1 RT_NAT - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.129 internal-ip=\"100.64.99.1\" block-port-low=\"1024\" block-port-high=\"1535\" reflexive-ip=\"198.51.100.250\"] x", ("127.0.0.1", int(sys.argv[1])))
' "$UP"
i=0
while [ "$(stat_of cgnlogd_acl_drops_total)" != 3 ] && [ $i -lt 50 ]; do
	kill -USR1 "$DPID"; sleep 0.1; i=$((i + 1))
done
expect "after the reload 127.0.0.1 is outside the ACL: 3 drops" \
    "$(stat_of cgnlogd_acl_drops_total)" 3

stop_daemon
expect "cgnlogd exits 0" "$DRC" 0
GOT=$(sed -n 's/.*received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")
expect "every line sent during the reloads was stored" "$GOT" "$((SENT + 1))"
truth_check "$T/truth.tsv" 8
expect "ground truth: $TRUTH_TOTAL allocations, wrong" "$TRUTH_BAD" 0
expect "answers carry the device's configured name" \
    "$(awk -F, 'NR > 1 && $10 != "cgn-a"' "$T/truth_ans.csv" | wc -l | tr -d ' ')" 0
TO=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:00Z)
q --format csv history --public 198.51.100.251 --from "$START" --to "$TO" \
    >"$T/o" 2>&1
expect "the device added by the reload is stored under its new name" \
    "$(grep -c '100.64.98.1,.*cgn-new' "$T/o")" 1
q --format csv history --public 198.51.100.250 --from "$START" --to "$TO" \
    >"$T/o" 2>&1
expect "the dropped allocations are stored nowhere (history answers)" \
    "$(grep -c 100.64.99.1 "$T/o") $(grep -c '^cgnq:' "$T/o")" "0 0"
finish
