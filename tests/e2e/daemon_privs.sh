#!/bin/sh
# daemon_privs.sh BUILD - cgnlogd opens a privileged port as root, then
# becomes an unprivileged user before it reads anything: the kernel's view
# of the process (/proc/PID/status: uids, gids, groups, capabilities), the
# store directory 0750 and its files 0640, all the user's (also files a
# root run left), a missing user refused, and one cgnlogd per store.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "SKIP: not root (the privilege drop needs root)"
NOBODY=$(getent passwd nobody | cut -d: -f3)
NOGROUP=$(getent passwd nobody | cut -d: -f4)
[ -n "$NOBODY" ] || skip_all "SKIP: no user 'nobody' on this machine"
command -v python3 >/dev/null || skip_all "SKIP: python3 is not installed"
chmod 755 "$T"	# the user must reach its store

# a free privileged port, UDP and TCP
PP=$(python3 -c '
import socket
for p in range(600, 1000):
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.bind(("127.0.0.1", p))
        u.close(); t.close()
        print(p)
        break
    except OSError:
        pass')
[ -n "$PP" ] || skip_all "SKIP: no free port below 1024"

# a fresh store made for the user: nothing in it is root's, not even the
# lock the root part of the start takes
start_daemon --user nobody --listen syslog-udp://127.0.0.1:0
stop_daemon
expect "a fresh store: no file is root's" \
    "$(find "$T/store" -user root | wc -l | tr -d ' ')" 0
rm -rf "$T/store"
# a root run: its files must become the user's later
start_daemon --user root --listen syslog-udp://127.0.0.1:0
stop_daemon
expect "a root run leaves a root-owned store" "$(stat -c %U "$T/store/reject.log")" root

start_daemon --user nobody --listen "syslog-udp://127.0.0.1:$PP" \
    --listen "syslog-tcp://127.0.0.1:$PP" --flush-ms 200
i=0
while ! grep -q 'running as nobody' "$T/daemon.log" && [ $i -lt 200 ]; do
	sleep 0.02; i=$((i + 1))
done
expect "it bound port $PP (below 1024) for UDP and TCP" \
    "$(cat "$T/ports" | tr '\n' ' ')" \
    "syslog-udp://127.0.0.1:$PP syslog-tcp://127.0.0.1:$PP "
S=/proc/$DPID/status
expect "real, effective, saved and fs uid are nobody's" \
    "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "$S")" \
    "$NOBODY $NOBODY $NOBODY $NOBODY"
expect "real, effective, saved and fs gid are nobody's group" \
    "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "$S")" \
    "$NOGROUP $NOGROUP $NOGROUP $NOGROUP"
expect "supplementary groups: its own only" \
    "$(awk '/^Groups:/ { $1 = ""; print $0 }' "$S" | tr -d ' ')" "$NOGROUP"
expect "no effective capabilities" \
    "$(awk '/^CapEff:/ { print $2 }' "$S")" 0000000000000000
expect "no permitted capabilities" \
    "$(awk '/^CapPrm:/ { print $2 }' "$S")" 0000000000000000

# it still takes traffic on the privileged port, and stores it
python3 -c '
import socket, sys, time
m = b"<14>1 - x RT_NAT - RT_SRC_NAT_PBA_ALLOC [junos@2636.1.1.1.2.129 internal-ip=\"100.64.5.1\" block-port-low=\"1024\" block-port-high=\"1535\" reflexive-ip=\"198.51.100.5\" epoch-time-64=\"%x\"] x" % int(time.time())
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(m, ("127.0.0.1", int(sys.argv[1])))
t = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
t.sendall(m.replace(b"100.64.5.1", b"100.64.5.2").replace(b"\"1024\"",
    b"\"2048\"").replace(b"\"1535\"", b"\"2559\"") + b"\n")
t.close()' "$PP"

# one cgnlogd per store
"$B/cgnlogd" --store "$T/store" --listen syslog-udp://127.0.0.1:0 \
    2>"$T/second" && rc=0 || rc=$?
expect "a second cgnlogd on the same store is refused" \
    "$rc $(grep -c "in use by another cgnlogd (pid $DPID)" "$T/second")" "1 1"

stop_daemon
expect "cgnlogd exits 0" "$DRC" 0
expect "both allocations were stored" \
    "$(sed -n 's/.*received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log" | tail -1)" 2
expect "the store directory: nobody's, 0750" \
    "$(stat -c '%U %a' "$T/store")" "nobody 750"
SHARD=$(ls "$T/store"/*.cgn | head -1)
expect "a shard: nobody's, 0640" "$(stat -c '%U %a' "$SHARD")" "nobody 640"
expect "the reject file a root run made is nobody's now" \
    "$(stat -c %U "$T/store/reject.log")" nobody
expect "no file in the store is root's" \
    "$(find "$T/store" -user root | wc -l | tr -d ' ')" 0

# an explicitly configured user that does not exist: refused
"$B/cgnlogd" --store "$T/store" --user no-such-user-cgnlog \
    --listen syslog-udp://127.0.0.1:0 2>"$T/nouser" && rc=0 || rc=$?
expect "a configured user that does not exist stops the start" \
    "$rc $(grep -c "user 'no-such-user-cgnlog' does not exist" "$T/nouser")" "1 1"
finish
