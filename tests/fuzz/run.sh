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
	codec)
		# blocks of a small store (BENCH_STORE: the bench_store binary),
		# each with a header asking each of the three calls
		if [ -n "$BENCH_STORE" ] && [ -z "$(ls "$corpus")" ]; then
			st=$(mktemp -d /tmp/cgnlog-fuzz-codec.XXXXXX)
			BENCH_KEEP=1 "$BENCH_STORE" -n 300000 -d "$st" -q 10 \
			    -r default --no-naive >/dev/null 2>&1
			python3 - "$st" "$corpus" <<'EOF'
import glob, os, sqlite3, sys
k = 0
for f in glob.glob(sys.argv[1] + '/*/*.cgn'):
    db = sqlite3.connect(f)
    for data, alo in db.execute('SELECT data, a_lo FROM blk LIMIT 4'):
        for mode in (0, 1, 2, 5):
            hdr = bytes([mode]) + bytes(alo[:16]) + bytes([0, 0, 255, 255])
            with open(os.path.join(sys.argv[2], 'seed-%d' % k), 'wb') as o:
                o.write(hdr + bytes(data))
            k += 1
EOF
			rm -rf "$st"
		fi
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
