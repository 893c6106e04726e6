#!/bin/sh
# run.sh SECONDS TARGET... - run each libFuzzer target for SECONDS, seeded
# from the real fixtures, and report executions and crashes per target.
secs=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
shared="$top/../shared/fixtures/real"
status=0
for t in "$@"; do
	corpus="$top/build/fuzz/corpus-$t"
	mkdir -p "$corpus"
	case $t in
	syslog)
		# one seed per fixture line
		if [ -d "$shared/syslog" ]; then
			i=0
			cat "$shared"/syslog/* | while IFS= read -r line; do
				i=$((i + 1))
				printf '%s' "$line" >"$corpus/fixture-$i"
			done
		fi
		# and one per documented vendor form (ours, in the repository)
		i=0
		while IFS= read -r line; do
			i=$((i + 1))
			printf '%s' "$line" >"$corpus/vendor-$i"
		done <"$top/tests/fuzz/seeds_syslog.txt"
		;;
	*)
		[ -d "$shared/netflow" ] && cp "$shared"/netflow/*.dat "$corpus/" 2>/dev/null
		;;
	esac
	log="$top/build/fuzz/$t.log"
	dict=
	[ -f "$top/tests/fuzz/$t.dict" ] && dict="-dict=$top/tests/fuzz/$t.dict"
	# shellcheck disable=SC2086
	"$top/build/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
	    -artifact_prefix="$top/build/fuzz/$t-" $dict "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	echo "fuzz: target=$t seconds=$secs executions=${execs:-0} exit=$rc"
	if [ $rc -ne 0 ]; then
		status=1
		tail -30 "$log"
	fi
done
exit $status
