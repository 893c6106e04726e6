#!/bin/sh
# cgnq_ground_truth.sh BUILD - cgnq against cgnlog-gen's ground truth, on a
# store with everything that makes a lookup hard: port blocks reused after
# a hold-down, 3% of releases lost, a device clock 4 s ahead of the
# collector, a 6-minute collector outage and a 3-minute stretch where the
# device's stream lost messages (recorded as a device gap).
#
# Each true interval is asked at its middle and near both ends, at the
# time a reporter with a correct clock would give (the device's time minus
# its skew); each rest between two holders of a block is asked at its
# middle. Every answer is checked against the truth: no unique answer may
# name the wrong subscriber, no "not found" may hide a holder, a holder in
# a gap is never answered without the gap, and every verdict occurs.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"

START=2026-11-27T08:00:00Z
S=1795766400000			# $START in ms
SKEW=4000			# device clock ahead of the collector
O1=$((S + 1200000 - 1))		# collector down 08:20 to 08:26 (its clock)
O2=$((S + 1560000 - 1))
G1=$((S + 2400000))		# the device's stream lost 08:40 to 08:43
G2=$((S + 2580000))

"$B/cgnlog-gen" --seed 7 --subscribers 400 --pool 192.0.2.0/28 \
    --events 8000 --duration 1h --start "$START" --lost-releases 0.03 \
    --out "$T/log.txt" --truth "$T/truth.tsv" 2>/dev/null
"$B/cgnq_mkstore" --store "$T/store" --skew "$SKEW" --outage "$O1,$O2" \
    --device-gap "$G1,$G2" "$T/log.txt" >"$T/mk" || {
	notok "cgnq_mkstore builds the store"
	finish
}
expect "the outage and the device gap dropped lines" \
    "$(sed 's/.*dropped_outage=\([0-9]*\) dropped_gap=\([0-9]*\)/\1 \2/' "$T/mk" |
    awk '{ print ($1 > 100 && $2 > 50) ? "yes" : "no" }')" yes

# the requests: ref kind(h: a holder, n: nobody) inside time
python3 - "$T/truth.tsv" "$SKEW" "$T/req.csv" "$T/exp.tsv" <<'EOF'
import sys
truth, skew, req, exp = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = []
for line in open(truth):
    if line.startswith('#'):
        continue
    ins, pub, lo, hi, s, e, logged = line.split('\t')
    rows.append((pub, int(lo), int(hi), int(s), int(e), ins))
rows.sort()
end_of_run = max(r[3] for r in rows) + 1
with open(req, 'w') as rq, open(exp, 'w') as ex:
    n = 0
    def ask(kind, pub, port, t, ins):
        global n
        n += 1
        real = t - skew
        rq.write('%s,%d,%d.%03d,,r%d\n' % (pub, port, real // 1000,
            real % 1000, n))
        ex.write('r%d\t%s\t%s\t%d\n' % (n, kind, ins, t))
    for i, (pub, lo, hi, s, e, ins) in enumerate(rows):
        if e == -1:
            e = end_of_run
        port = lo + (s // 1000) % (hi - lo + 1)
        for t in (s + 1500, (s + e) // 2, e - 1500):
            if s + 1500 <= t <= e - 1500:
                ask('h', pub, port, t, ins)
        if i + 1 < len(rows) and rows[i + 1][:2] == (pub, lo):
            ns = rows[i + 1][3]
            if ns - e > 10000:
                ask('n', pub, port, (e + ns) // 2, '-')
EOF
"$B/cgnq" --store "$T/store" batch --tolerance 1s --format csv \
    --reason "e2e ground truth" "$T/req.csv" >"$T/ans.csv" 2>"$T/err"
expect "cgnq batch answers every request (exit 0)" "$?" 0

python3 - "$T/exp.tsv" "$T/ans.csv" "$O1" "$O2" "$G1" "$G2" \
    >"$T/result" <<'EOF'
import csv, sys
exp, ans = sys.argv[1], sys.argv[2]
o1, o2, g1, g2 = (int(x) for x in sys.argv[3:7])
want = {}
for line in open(exp):
    ref, kind, ins, t = line.rstrip('\n').split('\t')
    want[ref] = (kind, ins, int(t))
got = {}
for r in csv.DictReader(open(ans)):
    a = got.setdefault(r['ref'], {'verdict': r['verdict'], 'rows': [],
        'gaps': int(r['gaps'] or 0),
        'before': r['message'].startswith('gap before')})
    if r['inside']:
        a['rows'].append(r)
c = dict.fromkeys(['unique', 'not_found', 'ambiguous', 'no_coverage'], 0)
bad = dict.fromkeys(['missing', 'wrong_unique', 'hidden_holder',
    'gap_unreported', 'nobody_unique_logged', 'holder_not_listed'], 0)
held = uniq_ok = hidden_warned = 0
for ref, (kind, ins, t) in want.items():
    a = got.get(ref)
    if a is None:
        bad['missing'] += 1
        continue
    v = a['verdict']
    c[v] += 1
    # the collector's time of the moment: the device runs 4 s ahead
    tc = t - 4000
    in_gap = o1 <= tc <= o2 or g1 <= tc <= g2
    insides = [r['inside'] for r in a['rows']]
    if kind == 'h':
        held += 1
        if v == 'unique':
            if set(insides) != {ins}:
                bad['wrong_unique'] += 1
                print('# wrong unique', ref, ins, insides)
            else:
                uniq_ok += 1
        elif v == 'not_found' and not a['before']:
            bad['hidden_holder'] += 1
            print('# not_found hides', ref, ins)
        elif v == 'not_found':
            hidden_warned += 1
        elif v == 'ambiguous' and ins not in insides:
            bad['holder_not_listed'] += 1
            print('# ambiguous without the holder', ref, ins, insides)
        if in_gap and (v == 'unique' or v == 'not_found') and a['gaps'] == 0:
            bad['gap_unreported'] += 1
            print('# gap unreported', ref, v)
    else:
        if v == 'unique' and all(r['start_how'] == 'logged' and
                r['end_how'] == 'logged' for r in a['rows']):
            bad['nobody_unique_logged'] += 1
            print('# unique with both ends logged while nobody held', ref)
for k, n in sorted(c.items()):
    print('verdict', k, n)
for k, n in sorted(bad.items()):
    print('bad', k, n)
print('held', held)
print('hidden_warned', hidden_warned)
print('unique_share_pct', 100 * uniq_ok // max(held, 1))
EOF
grep '^#' "$T/result"
val() { awk -v k="$1" -v n="$2" '$1 == k && $2 == n { print $3 }' "$T/result"; }
for v in unique not_found ambiguous no_coverage; do
	n=$(val verdict "$v")
	if [ "${n:-0}" -gt 0 ]; then ok "verdict $v occurs ($n answers)";
	else notok "verdict $v occurs: none"; fi
done
expect "every request has an answer" "$(val bad missing)" 0
expect "unique answers naming the wrong subscriber" "$(val bad wrong_unique)" 0
expect "not_found while someone held the port, without a gap before it" \
    "$(val bad hidden_holder)" 0
expect "ambiguous answers that leave the holder out" "$(val bad holder_not_listed)" 0
expect "answers in a gap that do not report it" "$(val bad gap_unreported)" 0
expect "unique answers, both ends logged, while nobody held it" \
    "$(val bad nobody_unique_logged)" 0
SHARE=$(awk '$1 == "unique_share_pct" { print $2 }' "$T/result")
if [ "${SHARE:-0}" -ge 75 ]; then ok "holders answered unique and right: $SHARE%";
else notok "holders answered unique and right: only ${SHARE:-0}%"; fi

# the clock skew shows in stats, the outage and the device gap as gaps
"$B/cgnq" --store "$T/store" --format json stats >"$T/stats.json"
python3 -m json.tool "$T/stats.json" >/dev/null
expect "stats JSON validates with python3 -m json.tool" "$?" 0
expect "stats: the device's clock skew" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["devices"][0]
print(d["device"], d["skew_avg_ms"], d["skew_min_ms"], d["skew_max_ms"])' "$T/stats.json")" "cgn1 4000 4000 4000"
expect "stats: the collector outage and the device gap" "$(python3 -c '
import json, sys
for g in json.load(open(sys.argv[1]))["gaps"]:
    print(g["what"], g["from"], g["to"])' "$T/stats.json" | tr '\n' ' ')" \
    "collector 2026-11-27T08:20:00.000Z 2026-11-27T08:25:59.999Z device 2026-11-27T08:40:00.000Z 2026-11-27T08:43:00.000Z "
# the batch was audited with its counts
expect "the batch is in the audit log with its reason" "$("$B/cgnq" \
    --store "$T/store" --format csv audit | awk -F, 'NR > 1 { print $4, $6 }')" \
    "batch e2e ground truth"
finish
