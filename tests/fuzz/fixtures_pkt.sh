#!/bin/sh
# fixtures_pkt.sh BUILD - the packet decoder's fuzz target over every real
# fixture file (the captures among them are whole pcap files: to this
# target, frames of garbage that must be survived).
B=${1:-build}
dir="$(dirname "$0")/../../../shared/fixtures/real"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real"
if [ ! -d "$dir" ]; then
	echo "ok 1 # SKIP ../shared/fixtures/real is absent"
	exit 0
fi
n=0
for f in "$dir"/netflow/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if out=$("$B/fuzz_pkt_replay" "$f" 2>&1); then
		echo "ok $n - $(basename "$f") survives: $out"
	else
		echo "not ok $n - $(basename "$f"): $out"
	fi
done
