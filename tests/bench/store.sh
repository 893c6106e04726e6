#!/bin/sh
# store.sh BUILD - make bench-store: the store benchmark with a simulated
# day (BENCH_EVENTS, default 10 million events). Prints bench: lines.
B=${1:-build}
N=${BENCH_EVENTS:-10000000}
dir=${BENCH_DIR:-/tmp}
echo "bench: store_benchmark_started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
start=$(date +%s)
"$B/bench_store" -n "$N" -d "$dir" -q 10000
rc=$?
echo "bench: store_benchmark_seconds=$(( $(date +%s) - start ))"
exit $rc
