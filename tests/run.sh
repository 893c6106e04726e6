#!/bin/sh
# run.sh BUILD - run every unit test program and end-to-end script, and
# end with one line: "N passed, M failed, K skipped".
#
# Every program speaks TAP: "ok N - name", "not ok N - name",
# "ok N # SKIP reason". Unit tests are cmocka programs (TAP output through
# CMOCKA_MESSAGE_OUTPUT); e2e scripts print the same. A program that dies
# without reporting a failure counts as one; exit 77 without output is a
# skip, its last line the reason.
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
out=$(mktemp)
total=$(mktemp)
trap 'rm -f "$out" "$total"' EXIT INT TERM
: >"$total"

run() {
	name=$1
	shift
	start=$(date +%s)
	CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$out" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	awk -v name="$name" -v rc="$rc" -v secs="$secs" '
		/^(not )?ok / && /# [Ss][Kk][Ii][Pp]/ { s++; sub(/^(not )?ok [0-9]* *-? */, ""); print "SKIP " name ": " $0; next }
		/^ok / { p++; next }
		/^not ok / { f++; print "FAIL " name ": " $0; next }
		{ last = $0; lines[++n] = $0 }
		END {
			if (rc == 77 && p + f + s == 0) { s = 1; print "SKIP " name ": " last }
			else if (rc != 0 && f == 0) {
				f = 1; print "FAIL " name ": exit status " rc " without a failed test; last output:"
				for (i = (n > 15 ? n - 15 : 1); i <= n; i++) print "    " lines[i]
			}
			if (f > 0) for (i = (n > 30 ? n - 30 : 1); i <= n; i++) print "    | " lines[i]
			printf "%-28s %4d passed %3d failed %3d skipped  (%ds)\n", name, p, f, s, secs
			printf "%d %d %d\n", p, f, s >> "/dev/stderr"
		}' "$out" 2>>"$total"
}

for t in "$BUILD"/test_*; do
	[ -x "$t" ] || continue
	run "unit/$(basename "$t")" "$t"
done
for f in tests/fuzz/fixtures_*.sh; do
	[ -f "$f" ] || continue
	run "fixtures/$(basename "$f" .sh)" sh "$f" "$BUILD"
done
for e in tests/e2e/*.sh; do
	case "$e" in */lib.sh|*/lib_*.sh) continue ;; esac	# sourced
	run "e2e/$(basename "$e" .sh)" sh "$e" "$BUILD"
done
awk '{ p += $1; f += $2; s += $3 } END { printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 }' "$total"
