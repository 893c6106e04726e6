#!/bin/sh
# fixtures_syslog.sh BUILD - every real syslog fixture, line by line,
# through the syslog fuzz target's checks (no crash, well-formed events).
B=${1:-build}
dir="$(dirname "$0")/../../../shared/fixtures/real/syslog"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real/syslog"
if [ ! -d "$dir" ]; then
	echo "ok 1 # SKIP ../shared/fixtures/real/syslog is absent"
	exit 0
fi
n=0
for f in "$dir"/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	if out=$("$B/fuzz_syslog_replay" -l "$f" 2>&1); then
		echo "ok $n - $(basename "$f"): $out"
	else
		echo "not ok $n - $(basename "$f"): $out"
	fi
done
