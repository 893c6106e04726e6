#!/bin/sh
# cgnq_dst_conntrack.sh BUILD - the Linux kernel gives one public ip:port to
# two subscribers at once. Conntrack SNAT only needs the 5-tuple unique, so
# with one public port (nftables "snat to 203.0.113.1:40000") two
# subscribers talking to two servers both get 203.0.113.1:40000. cgnlogd
# reads the mappings from NFLOG (group 5, the README's rules) in the CGN
# namespace; cgnq lookup of that port while both flows live must be
# ambiguous listing both (exit 2), and with --dst each server's address must
# name its own subscriber (exit 0). Then conntrack -F: each session is
# closed by its own DESTROY event.
#
# Skips (exit 77) when not root, without ip, nft or python3, or when
# `ip netns add` fails (unprivileged containers).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_netns.sh"
netns_need cgd

# ---- the lab: two subscribers, one public port, two servers ------------
netns_lab "2 3" "2 3"

if ! in_ns "$CGN" nft -f - <<EOF
table ip cgn {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "cgn-out" ip saddr 100.64.0.0/10 meta l4proto udp snat to 203.0.113.1:40000
  }
}
table ip cgnlog {
  chain pre {
    type filter hook forward priority 0; policy accept;
    oifname "cgn-out" ct state new ct mark & 0x2 == 0 ct mark set ct mark | 0x2 log group 5 prefix "cgn-pre"
  }
  chain post {
    type filter hook postrouting priority 300; policy accept;
    oifname "cgn-out" ct state new ct mark & 0x1 == 0 ct mark set ct mark | 0x1 log group 5 prefix "cgn-new"
  }
}
EOF
then
	notok "nftables accepts SNAT to one public port and the NFLOG rules"
	finish
fi
ok "lab: SNAT of every subscriber to 203.0.113.1:40000 alone"

# a UDP server on each of the two addresses, answering "PEER ip:port"
ip netns exec "$NET" python3 -c '
import selectors, socket, sys
sel = selectors.DefaultSelector()
for a in sys.argv[1:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a, 9999))
    sel.register(s, selectors.EVENT_READ)
print("ready", flush=True)
while True:
    for key, _ in sel.select():
        data, peer = key.fileobj.recvfrom(2048)
        key.fileobj.sendto(b"PEER %s:%d" % (peer[0].encode(), peer[1]), peer)
' 198.51.100.2 198.51.100.3 >"$T/servers.out" 2>&1 &
i=0
until grep -q ready "$T/servers.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 200 ] && { notok "servers start"; cat "$T/servers.out"; finish; }
	sleep 0.02
done

cgn_collector
grep -q "two-rule mode" "$T/daemon.log" &&
    echo "# the kernel refuses conntrack on NFLOG: two-rule (pre/post) mode"

# 100.64.0.2 to the first server, 100.64.0.3 to the second: each prints
# what the server saw
in_ns "$SUB" python3 -c '
import socket, sys
for src, dst in (("100.64.0.2", "198.51.100.2"), ("100.64.0.3", "198.51.100.3")):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.bind((src, 0))
    s.sendto(b"hello", (dst, 9999))
    print(src, dst, s.recvfrom(2048)[0].decode().split()[1], flush=True)
' >"$T/flows" 2>"$T/flows.err"
MID=$(date +%s.%N | cut -c1-14)
expect "both subscribers got 203.0.113.1:40000 at once" \
    "$(awk '{ print $1 ">" $2 "=" $3 }' "$T/flows" | tr '\n' ' ')" \
    "100.64.0.2>198.51.100.2=203.0.113.1:40000 100.64.0.3>198.51.100.3=203.0.113.1:40000 "

ENDS=idle
if grep -q "session ends from conntrack DESTROY" "$T/daemon.log" &&
    command -v conntrack >/dev/null; then
	sleep 0.3		# the NFLOG messages are in before the ends
	in_ns "$CGN" conntrack -F 2>/dev/null
	ENDS=destroy
fi
sleep 0.5
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0

# look ARGS...: the answer in $T/o.json, its exit status in $RC
look() {
	q --format json lookup 203.0.113.1 40000 "$MID" --tolerance 0 "$@" \
	    >"$T/o.json" 2>"$T/err"
	RC=$?
}
# the verdict and each interval's inside>dst, or with an argument each
# interval's end_how
said() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d["intervals"]
if len(sys.argv) > 2:
    print(" ".join(sorted(x["end_how"] for x in i)))
else:
    print(d["verdict"], " ".join(sorted("%s>%s" % (x["inside"],
        x.get("dst", "-")) for x in i)))' "$T/o.json" "$@"
}
look
expect "both at once, no --dst: exit 2" "$RC" 2
expect "both at once, no --dst: ambiguous, both listed" "$(said)" \
    "ambiguous 100.64.0.2>198.51.100.2 100.64.0.3>198.51.100.3"
if [ "$ENDS" = destroy ]; then
	expect "each session closed by its own DESTROY" "$(said end_how)" \
	    "logged logged"
else
	echo "# no conntrack DESTROY events here: the sessions end by idle"
fi
look --dst 198.51.100.2:9999
expect "--dst the first server: exit 0" "$RC" 0
expect "--dst the first server: its subscriber" "$(said)" \
    "unique 100.64.0.2>198.51.100.2"
look --dst 198.51.100.3
expect "--dst the second server: exit 0" "$RC" 0
expect "--dst the second server: its subscriber" "$(said)" \
    "unique 100.64.0.3>198.51.100.3"
finish
