#!/bin/sh
# query.sh BUILD - make bench-query: cgnq batch throughput on one core.
#
# cgnlog-gen simulates six hours of a CGN (20,000 subscribers on a /24,
# 512-port blocks, port reuse, 1% of releases lost); cgnq_mkstore feeds it
# through the syslog parser and the store writer; 50,000 requests at
# random moments of random ground-truth intervals (random ports of their
# blocks, random order, as a court order's lines come) go to one
# `cgnq batch`. Printed: lookups per second of the process's CPU time (one
# core: cgnq is single-threaded) and of wall-clock time, and how many
# answers named the wrong subscriber (must be 0).
B=$(cd "${1:-build}" && pwd) || exit 1
T=$(mktemp -d /tmp/cgnq-bench.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
N=${BENCH_QUERIES:-50000}

"$B/cgnlog-gen" --seed 11 --subscribers 20000 --pool 198.51.100.0/24 \
    --events 400000 --duration 6h --start 2026-11-26T00:00:00Z \
    --lost-releases 0.01 --out "$T/log.txt" --truth "$T/truth.tsv" \
    2>/dev/null || exit 1
"$B/cgnq_mkstore" --store "$T/store" "$T/log.txt" >/dev/null || exit 1
python3 - "$B/cgnq" "$T" "$N" <<'EOF'
import random, resource, subprocess, sys, time
cgnq, t, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(1)
rows = [l.rstrip('\n').split('\t') for l in open(t + '/truth.tsv')
        if not l.startswith('#')]
want = {}
with open(t + '/req.csv', 'w') as f:
    for i in range(n):
        ins, pub, lo, hi, s, e, _ = random.choice(rows)
        s, e = int(s), int(e)
        if e < 0:
            e = s + 60000
        at = random.randint(s, e)
        f.write('%s,%d,%d.%03d,,q%d\n' % (pub, random.randint(int(lo),
            int(hi)), at // 1000, at % 1000, i))
        want['q%d' % i] = ins
before = resource.getrusage(resource.RUSAGE_CHILDREN)
w0 = time.monotonic()
out = subprocess.run([cgnq, '--store', t + '/store', '--format', 'csv',
    '--audit-log', t + '/audit.log', 'batch', '--tolerance', '0',
    t + '/req.csv'], stdout=subprocess.PIPE, check=True).stdout
wall = time.monotonic() - w0
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
wrong = unique = 0
for line in out.decode().splitlines()[1:]:
    f = line.split(',')
    if f[4] == 'unique':
        unique += 1
        if f[5] != want[f[0]]:
            wrong += 1
print('bench: batch_lookups=%d' % n)
print('bench: batch_lookups_per_s=%d' % (n / cpu))
print('bench: batch_lookups_per_s_wall=%d' % (n / wall))
print('bench: batch_unique=%d' % unique)
print('bench: batch_wrong_unique=%d' % wrong)
EOF
