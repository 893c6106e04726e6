#!/bin/sh
# fixtures_nflog.sh BUILD - the nflog fuzz target's checks over every real
# fixture. None of them is NFLOG: to this decoder they are garbage, which
# it must refuse cleanly (real NFLOG captures are made and checked by
# tests/e2e/linux_cgn.sh).
B=${1:-build}
dir="$(dirname "$0")/../../../shared/fixtures/real"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real"
n=0
if [ -d "$dir" ]; then
	for f in "$dir"/*/*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if out=$("$B/fuzz_nflog_replay" "$f" 2>&1); then
			echo "ok $n - $(basename "$f") survives: $out"
		else
			echo "not ok $n - $(basename "$f"): $out"
		fi
	done
else
	n=$((n + 1))
	echo "ok $n # SKIP ../shared/fixtures/real is absent"
fi
