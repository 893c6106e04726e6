#!/bin/sh
# linux_cgn.sh BUILD - the Linux kernel as the CGN. Three network
# namespaces made here (subscriber, CGN, internet) joined by veth pairs;
# nftables SNATs the subscribers to 203.0.113.1-4, ports 20000-29999, and
# logs each new flow to NFLOG group 5 before SNAT ("cgn-pre") and after it
# ("cgn-new"), with the README's rules. cgnlogd reads nflog://5 in the CGN
# namespace; 120 TCP and UDP flows cross; every mapping the servers saw
# must come back from cgnq exactly (holder address and port, public side,
# start within 1 s). Then conntrack -F: the DESTROY events must close every
# session as "logged". The same NFLOG messages, captured by tcpdump on
# group 6, must give the same answers through pcap-file://.
#
# Skips (exit 77) when not root, without ip, nft or python3, or when
# `ip netns add` fails (unprivileged containers). Where the kernel refuses
# to attach conntrack to NFLOG it runs the two-rule mode and says so.
. "$(dirname "$0")/lib.sh"
H=$(cd "$(dirname "$0")/linux_cgn" && pwd)

. "$(dirname "$0")/lib_netns.sh"
netns_need cgn

# ---- the lab ----------------------------------------------------------
t0=$(date +%s%N)
netns_lab "2 3 4 5" "2"

# The README's rules (both modes), plus a copy of each log statement to
# group 6 for the capture.
if ! in_ns "$CGN" nft -f - <<EOF
table ip cgn {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "cgn-out" ip saddr 100.64.0.0/10 meta l4proto { tcp, udp } snat to 203.0.113.1-203.0.113.4:20000-29999 persistent
    oifname "cgn-out" ip saddr 100.64.0.0/10 snat to 203.0.113.1-203.0.113.4 persistent
  }
}
table ip cgnlog {
  chain pre {
    type filter hook forward priority 0; policy accept;
    oifname "cgn-out" ct state new ct mark & 0x2 == 0 ct mark set ct mark | 0x2 log group 5 prefix "cgn-pre" log group 6 queue-threshold 1 prefix "cgn-pre"
  }
  chain post {
    type filter hook postrouting priority 300; policy accept;
    oifname "cgn-out" ct state new ct mark & 0x1 == 0 ct mark set ct mark | 0x1 log group 5 prefix "cgn-new" log group 6 queue-threshold 1 prefix "cgn-new"
  }
}
EOF
then
	notok "nftables accepts the NAT and NFLOG rules"
	finish
fi
ok "lab: 3 namespaces, veth, nftables SNAT to 203.0.113.1-4:20000-29999 ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"

ip netns exec "$NET" python3 "$H/servers.py" 198.51.100.2 8080 9999 \
    "$T/server.log" >"$T/servers.out" 2>&1 &
i=0
until grep -q ready "$T/servers.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -gt 200 ] && { notok "servers start"; cat "$T/servers.out"; finish; }
	sleep 0.02
done

CAP=
if command -v tcpdump >/dev/null; then
	ip netns exec "$CGN" tcpdump -n -U -i nflog:6 -w "$T/nflog.pcap" \
	    2>"$T/tcpdump.err" &
	CAP=$!
	i=0
	until grep -q listening "$T/tcpdump.err" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 200 ] && break
		sleep 0.02
	done
fi

# ---- the collector in the CGN namespace --------------------------------
cgn_collector
ok "cgnlogd binds nflog://5 in the CGN namespace"
if grep -q "two-rule mode" "$T/daemon.log"; then
	MODE=two-rule
	echo "# SKIP (partial): kernel refuses NFULNL_CFG_F_CONNTRACK; running the two-rule (pre/post) mode"
	grep "refuses" "$T/daemon.log" | sed 's/^/# /'
else
	MODE=conntrack
	echo "# the kernel attaches conntrack to NFLOG: conntrack mode"
fi
if grep -q "session ends from conntrack DESTROY" "$T/daemon.log"; then
	ENDS=destroy
else
	ENDS=idle
	echo "# no conntrack DESTROY events here: sessions end by idle timeout"
fi

# a group another listener holds (tcpdump, group 6): a clear refusal
if [ -n "$CAP" ]; then
	if ip netns exec "$CGN" "$B/cgnlogd" --store "$T/x" --listen nflog://6 \
	    >"$T/busy.log" 2>&1; then
		notok "binding a group tcpdump holds fails"
	else
		grep -q "another listener" "$T/busy.log" &&
		    ok "binding a group tcpdump holds fails, and says why" ||
		    { notok "binding a busy group says why"; cat "$T/busy.log"; }
	fi
fi
if [ "$MODE" = two-rule ]; then
	ip netns exec "$CGN" "$B/cgnlogd" --store "$T/x" \
	    --listen "nflog://7?ct=yes" >"$T/ctyes.log" 2>&1
	expect "ct=yes on a kernel that refuses: cgnlogd does not start" \
	    "$?" 1
fi

# ---- traffic -----------------------------------------------------------
t1=$(date +%s%N)
if ! in_ns "$SUB" python3 "$H/traffic.py" 120 198.51.100.2 8080 9999 \
    100.64.0.2 100.64.0.3 100.64.0.4 100.64.0.5 >"$T/traffic.log" \
    2>"$T/traffic.err"; then
	notok "120 flows cross the CGN"
	cat "$T/traffic.err"
	finish
fi
expect "120 flows cross the CGN ($(( ($(date +%s%N) - t1) / 1000000 )) ms)" \
    "$(wc -l <"$T/traffic.log" | tr -d ' ')" 120
changed=$(awk '$3 != $5' "$T/traffic.log" | wc -l | tr -d ' ')
expect "SNAT changed every source port (so the mapping is visible)" \
    "$changed" 120

if [ "$ENDS" = destroy ] && command -v conntrack >/dev/null; then
	sleep 0.3		# the NFLOG messages are in before the ends
	in_ns "$CGN" conntrack -F 2>/dev/null
	ENDHOW=logged
else
	[ "$ENDS" = destroy ] &&
	    echo "# conntrack (conntrack-tools) is not installed: ends not forced"
	ENDHOW=-
fi
sleep 0.5
stop_daemon
expect "cgnlogd exits 0 on SIGTERM" "$DRC" 0
[ -n "$CAP" ] && kill -TERM "$CAP" 2>/dev/null && wait "$CAP" 2>/dev/null
sed -n 's/^[^:]*: nflog:\/\/5: \(.* overruns\)$/# \1/p' "$T/daemon.log"
REJ=$(sed -n 's/.*events stored, \([0-9]*\) rejected.*/\1/p' "$T/daemon.log")
expect "no NFLOG message was rejected" "$REJ" 0

# ---- every mapping the servers saw -------------------------------------
out=$(TAPN=$TAPN python3 "$H/check.py" "$B/cgnq" "$T/store" "$T/server.log" \
    "$T/traffic.log" "$ENDHOW")
echo "$out" | grep -v '^checked '
echo "$out" | grep -q '^not ok' && TAPFAILED=$((TAPFAILED + 1))
TAPN=$((TAPN + 1))
n=$(echo "$out" | sed -n 's/^checked //p')
[ "${n:-0}" -ge 100 ] && ok "at least 100 distinct flows were checked ($n)" ||
    notok "only ${n:-0} flows were checked"
if [ "$MODE" = two-rule ]; then
	unp=$(sed -n 's/.* \([0-9]*\) unpaired, \([0-9]*\) ambiguous.*/\1 \2/p' \
	    "$T/daemon.log" | tail -1)
	expect "two-rule mode: no half unpaired or ambiguous" "$unp" "0 0"
fi

# ---- the same messages from a capture (tcpdump -i nflog:6) --------------
if [ -n "$CAP" ] && [ -s "$T/nflog.pcap" ]; then
	"$B/cgnlogd" --store "$T/store2" --listen "pcap-file://$T/nflog.pcap" \
	    >>"$T/pcap.log" 2>&1
	expect "cgnlogd ingests the NFLOG capture and exits 0" "$?" 0
	out=$(TAPN=$TAPN python3 "$H/check.py" "$B/cgnq" "$T/store2" \
	    "$T/server.log" "$T/traffic.log" -)
	echo "$out" | grep -v '^checked ' | sed 's/mapping/mapping, from the capture,/'
	echo "$out" | grep -q '^not ok' && TAPFAILED=$((TAPFAILED + 1))
	TAPN=$((TAPN + 1))
	sed -n 's/.*\(NFLOG: .*\)/# capture: \1/p' "$T/pcap.log"
else
	echo "# no tcpdump: the capture half is not run"
fi

echo "# total $(( ($(date +%s%N) - t0) / 1000000 )) ms"
finish
