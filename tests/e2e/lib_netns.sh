# lib_netns.sh - the Linux-as-CGN lab shared by linux_cgn.sh and
# cgnq_dst_conntrack.sh: three network namespaces (subscribers, the CGN,
# the internet) joined by veth pairs. Sourced after lib.sh, not run.
#   netns_need TAG        skip (77) unless root with ip, nft, python3 and a
#                         working `ip netns add`; sets SUB, CGN, NET
#   netns_lab "A.." "B.." build the lab: subscribers 100.64.0.A/24 behind
#                         the CGN's 100.64.0.1, servers 198.51.100.B/24
#                         beside its 198.51.100.1, 203.0.113.0/29 routed
#                         back to it; forwarding and conntrack timestamps on
#   in_ns NS CMD...       run CMD in NS (never background a shell function:
#                         $! would be a subshell, and a background sh
#                         ignores SIGINT)
# The namespaces and what runs in them go at exit.

netns_need() {
	[ "$(id -u)" = 0 ] ||
		skip_all "SKIP: needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN for ip netns)"
	command -v ip >/dev/null || skip_all "SKIP: iproute2 'ip' is not installed"
	command -v nft >/dev/null || skip_all "SKIP: nftables 'nft' is not installed"
	command -v python3 >/dev/null || skip_all "SKIP: python3 is not installed"
	P="$1$$-"		# unique per run: parallel runs do not meet
	SUB=${P}sub
	CGN=${P}cgn
	NET=${P}net
	if ! err=$(ip netns add "${P}probe" 2>&1); then
		skip_all "SKIP: ip netns add failed: $err"
	fi
	ip netns del "${P}probe"
	trap 'ns_down; cleanup' EXIT
}

ns_down() {
	for ns in "$SUB" "$CGN" "$NET"; do
		pids=$(ip netns pids "$ns" 2>/dev/null)
		# shellcheck disable=SC2086
		[ -n "$pids" ] && kill $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
}

in_ns() { ns=$1; shift; ip netns exec "$ns" "$@"; }

netns_lab() {
	ip netns add "$SUB" && ip netns add "$CGN" && ip netns add "$NET" ||
		{ notok "namespaces are created"; finish; }
	for ns in "$SUB" "$CGN" "$NET"; do ip -n "$ns" link set lo up; done
	ip -n "$SUB" link add sub0 type veth peer name cgn-in netns "$CGN"
	ip -n "$NET" link add net0 type veth peer name cgn-out netns "$CGN"
	for a in $1; do ip -n "$SUB" addr add 100.64.0.$a/24 dev sub0; done
	ip -n "$SUB" link set sub0 up
	ip -n "$SUB" route add default via 100.64.0.1
	ip -n "$CGN" addr add 100.64.0.1/24 dev cgn-in
	ip -n "$CGN" addr add 198.51.100.1/24 dev cgn-out
	ip -n "$CGN" link set cgn-in up
	ip -n "$CGN" link set cgn-out up
	for a in $2; do ip -n "$NET" addr add 198.51.100.$a/24 dev net0; done
	ip -n "$NET" link set net0 up
	ip -n "$NET" route add 203.0.113.0/29 via 198.51.100.1
	in_ns "$CGN" sysctl -qw net.ipv4.ip_forward=1
	in_ns "$CGN" sysctl -qw net.netfilter.nf_conntrack_timestamp=1 2>/dev/null
}

# cgn_collector: cgnlogd in the CGN namespace on NFLOG group 5 (store
# $T/store, log $T/daemon.log, pid DPID); a collector that does not bind
# ends the test
cgn_collector() {
	rm -f "$T/ports"
	ip netns exec "$CGN" "$B/cgnlogd" --store "$T/store" --port-file "$T/ports" \
	    --listen nflog://5 --flush-ms 200 2>>"$T/daemon.log" &
	DPID=$!
	i=0
	while [ ! -s "$T/ports" ]; do
		i=$((i + 1))
		if [ $i -gt 500 ] || ! kill -0 "$DPID" 2>/dev/null; then
			notok "cgnlogd binds nflog://5"
			cat "$T/daemon.log"
			exit 1
		fi
		sleep 0.01
	done
}
