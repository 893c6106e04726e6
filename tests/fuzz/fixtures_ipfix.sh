#!/bin/sh
# fixtures_ipfix.sh BUILD - every real netflow fixture file (raw exports
# and pcaps alike: a pcap is garbage to these parsers and must be
# survived) through the IPFIX and NetFlow v9 fuzz targets' checks, in
# name order through one state, so data may come before its template.
B=${1:-build}
dir="$(dirname "$0")/../../../shared/fixtures/real/netflow"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real/netflow"
if [ ! -d "$dir" ]; then
	echo "ok 1 # SKIP ../shared/fixtures/real/netflow is absent"
	exit 0
fi
n=0
for t in ipfix nfv9; do
	n=$((n + 1))
	if out=$("$B/fuzz_${t}_replay" "$dir"/* 2>&1); then
		echo "ok $n - $t: every netflow fixture: $out"
	else
		echo "not ok $n - $t: $out"
	fi
	for f in "$dir"/*; do
		n=$((n + 1))
		if out=$("$B/fuzz_${t}_replay" "$f" 2>&1); then
			echo "ok $n - $t: $(basename "$f"): $out"
		else
			echo "not ok $n - $t: $(basename "$f"): $out"
		fi
	done
done
