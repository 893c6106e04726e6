# lib_truth.sh - checks a store against cgnlog-gen's ground truth through
# `cgnq batch`. Sourced after lib.sh, not run.
#
# truth_check TRUTH EVERY [MIN_START_MS] - every EVERYth closed allocation
# of TRUTH that lasted 3 s or more (and began at or after MIN_START_MS) is
# asked for one second after it began. Each must come back with exactly
# one candidate, the right subscriber, as "unique", or as "no_coverage"
# when the collector was not listening at that time (a replay of old logs
# is stored, but nobody can vouch that nothing else was logged then).
# Sets TRUTH_TOTAL and TRUTH_BAD; prints up to 5 differences as comments.
truth_check() {
	awk -F'\t' -v every="$2" -v min="${3:-0}" '
	    !/^#/ && $6 != -1 && $6 - $5 >= 3000 && $5 >= min {
		if (n++ % every) next
		t = $5 + 1000
		printf "%s,%s,%d.%03d,,%s\n", $2, $3, t / 1000, t % 1000, $1
	    }' "$1" >"$T/truth_req.csv"
	TRUTH_TOTAL=$(wc -l <"$T/truth_req.csv" | tr -d ' ')
	"$B/cgnq" --store "$T/store" --format csv batch "$T/truth_req.csv" \
	    >"$T/truth_ans.csv" 2>"$T/truth_err"
	# ref (the subscriber wanted), verdict, inside; one line per candidate
	TRUTH_BAD=$(awk -F, 'NR > 1 {
		rows[$1 SUBSEP $2 SUBSEP $3 SUBSEP $4]++
		if (($5 != "unique" && $5 != "no_coverage") || $6 != $1) {
			bad++
			if (bad <= 5)
				print "# " $2 ":" $3 " at " $4 ": " $5 " " $6 \
				    ", want " $1 >"/dev/stderr"
		}
	    }
	    END {
		for (k in rows) {
			seen++
			if (rows[k] > 1) bad++
		}
		printf "%d %d\n", bad, seen
	    }' "$T/truth_ans.csv")
	TRUTH_SEEN=${TRUTH_BAD#* }
	TRUTH_BAD=${TRUTH_BAD% *}
	# a request with no answer line is an error too
	TRUTH_BAD=$((TRUTH_BAD + TRUTH_TOTAL - TRUTH_SEEN))
}
