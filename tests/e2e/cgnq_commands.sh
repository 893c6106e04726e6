#!/bin/sh
# cgnq_commands.sh BUILD - every cgnq command on a store built from
# cgnlog-gen ground truth: lookup in each format (JSON validated by
# python3 -m json.tool, tables within 80 columns), every malformed
# argument refused with exit 64 and a message naming it, arf on ARF,
# X-ARF and XARF 4 reports, history both ways, stats, the audit log, and
# that cgnq writes nothing in the store but the audit log.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"

START=2026-11-27T08:00:00Z
S=1795766400000
"$B/cgnlog-gen" --seed 3 --subscribers 100 --pool 192.0.2.0/29 \
    --events 2000 --duration 30m --start "$START" --lost-releases 0.02 \
    --out "$T/log.txt" --truth "$T/truth.tsv" 2>/dev/null
"$B/cgnq_mkstore" --store "$T/store" --outage "$((S + 900000 - 1)),$((S + 1140000 - 1))" \
    "$T/log.txt" >/dev/null
Q() { "$B/cgnq" --store "$T/store" "$@"; }

# a closed interval with both ends logged, long enough, before the outage
set -- $(awk -F'\t' -v s="$S" '!/^#/ && $7 == 1 && $6 - $5 > 60000 &&
    $6 < s + 800000 { print $1, $2, $3, $5, $6; exit }' "$T/truth.tsv")
IN=$1 PUB=$2 PORT=$3 TS=$4 TE=$5
MID=$(( (TS + TE) / 2 ))
MIDS=$(printf '%d.%03d' $((MID / 1000)) $((MID % 1000)))
MIDISO=$(date -u -d "@$((MID / 1000))" +%Y-%m-%dT%H:%M:%SZ)

touch "$T/marker"
sleep 1
sums() { cat "$T"/store/*.cgn | cksum; }
SUM=$(sums)
Q lookup "$PUB" "$PORT" "$MIDS" --reason "CASE-1" >"$T/o"
expect "lookup: unique, exit 0" "$?" 0
expect "lookup: the table names the holder" "$(awk '$1 == "inside" { print $2 }' "$T/o")" "$IN"
expect "lookup: table lines fit 80 columns" "$(awk 'length > 80' "$T/o" | wc -l | tr -d ' ')" 0
Q --format json lookup "$PUB" "$PORT" "$MIDS" >"$T/o.json"
python3 -m json.tool "$T/o.json" >/dev/null
expect "lookup: JSON validates with python3 -m json.tool" "$?" 0
expect "lookup JSON: verdict, inside, both ends logged" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d["intervals"][0]
print(d["verdict"], i["inside"], i["start_how"], i["end_how"], i["vouched"])' "$T/o.json")" \
    "unique $IN logged logged True"
Q lookup "$PUB" "$PORT" "$MIDISO" --format csv >"$T/o"
expect "lookup: options after the command; CSV inside" "$(cut -d, -f6 "$T/o")" "$IN"

# in the outage (08:15 to 08:19 of the collector's clock), nobody: no coverage
Q lookup "$PUB" "$PORT" 2026-11-27T08:17:00Z >/dev/null
expect "lookup in the collector outage without a holder: exit 3" "$?" 3

# malformed arguments: exit 64 and a message naming the bad value
bad() {
	want=$1
	shift
	Q "$@" >/dev/null 2>"$T/err"
	rc=$?
	if [ "$rc" = 64 ] && grep -q -- "$want" "$T/err"; then
		ok "refused with 64: $*"
	else
		notok "refused with 64: $*: exit $rc, $(cat "$T/err")"
	fi
}
bad "'192.0.2.256' is not an IPv4 or IPv6" lookup 192.0.2.256 80 "$MIDS"
bad "is a prefix" lookup 192.0.2.0/24 80 "$MIDS"
bad "port '65536' is not a number 0-65535" lookup "$PUB" 65536 "$MIDS"
bad "port 'http' is not a number" lookup "$PUB" http "$MIDS"
bad "has no zone" lookup "$PUB" "$PORT" 2026-11-27T08:10:00
bad "has no zone" lookup "$PUB" "$PORT" "28/Nov/2026:10:15:03"
bad "no such date" lookup "$PUB" "$PORT" 2026-02-30T10:00:00Z
bad "is not RFC 3339" lookup "$PUB" "$PORT" yesterday
bad "zone 'CET' is ambiguous" lookup "$PUB" "$PORT" "Fri, 27 Nov 2026 09:10:00 CET"
bad "protocol 'tcpx'" lookup "$PUB" "$PORT" "$MIDS" --proto tcpx
bad "destination '1.2.3.4:99999'" lookup "$PUB" "$PORT" "$MIDS" --dst 1.2.3.4:99999
bad "--tolerance 'soon'" lookup "$PUB" "$PORT" "$MIDS" --tolerance soon
bad "--format 'xml'" --format xml lookup "$PUB" "$PORT" "$MIDS"
bad "lookup wants PUBLIC_IP PORT TIME" lookup "$PUB" "$PORT"
bad "--tz" lookup "$PUB" "$PORT" "$MIDS" --tz Mars/Olympus
bad "wants one of --inside IP or --public IP" history
bad "wants --from T and --to T" history --public "$PUB"
bad "unknown command 'lokup'" lokup "$PUB" "$PORT" "$MIDS"
# a zoneless time is fine with --tz
Q lookup "$PUB" "$PORT" "$(date -u -d "@$((MID / 1000))" +%Y-%m-%dT%H:%M:%S)" \
    --tz UTC --tolerance 1s >/dev/null
expect "a zoneless time with --tz UTC: unique" "$?" 0

# batch: JSON array, CSV with refs, table within 80 columns
{
	echo "ip,port,time,proto,ref"
	echo "$PUB,$PORT,$MIDS,,good-1"
	echo "$PUB,70000,$MIDS,,bad-port"
	echo "$PUB,$PORT,2026-11-27T08:17:00Z,tcp,\"in, the outage\""
	echo "# a comment"
	echo "nonsense"
} >"$T/req.csv"
Q batch --format csv "$T/req.csv" >"$T/b.csv"
expect "batch with a bad line: exit 64" "$?" 64
expect "batch CSV: one answer per request, refs kept" "$(python3 -c '
import csv, sys
print(" ".join(r["ref"] + "=" + r["verdict"] for r in csv.DictReader(open(sys.argv[1]))))' "$T/b.csv")" \
    "good-1=unique bad-port=bad_input in, the outage=no_coverage =bad_input"
Q batch --format json "$T/req.csv" >"$T/b.json"
python3 -m json.tool "$T/b.json" >/dev/null
expect "batch: JSON validates with python3 -m json.tool" "$?" 0
expect "batch JSON: the bad line says why" "$(python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))[3]["error"])' "$T/b.json")" \
    "1 field: want ip,port,time[,proto][,ref]"
Q batch --format table - <"$T/req.csv" >"$T/b.txt"
expect "batch table fits 80 columns" "$(awk 'length > 80' "$T/b.txt" | wc -l | tr -d ' ')" 0
expect "batch table: the summary" "$(tail -1 "$T/b.txt")" \
    "4 requests: 1 unique, 0 not found, 0 ambiguous, 1 no coverage, 2 bad input"

# arf: ARF (RFC 5965 + RFC 6692), X-ARF, XARF 4
ARRIVAL=$(date -u -d "@$((MID / 1000))" '+%a, %d %b %Y %H:%M:%S +0000')
cat >"$T/arf.eml" <<EOF
From: abuse@reporter.example
Date: Sat, 28 Nov 2026 09:00:00 +0000
Message-ID: <r1@reporter.example>
Subject: abuse report
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b1"

--b1
Content-Type: text/plain

This is an abuse report for an email message.

--b1
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Source-IP: $PUB
Source-Port: $PORT
Arrival-Date: $ARRIVAL

--b1--
EOF
Q arf "$T/arf.eml" --format csv --reason TICKET-7 >"$T/o"
expect "arf ARF: unique, exit 0" "$?" 0
expect "arf ARF: the holder and the Message-ID as ref" "$(cut -d, -f1,6 "$T/o")" "<r1@reporter.example>,$IN"
sed '/^Source-Port/d' "$T/arf.eml" >"$T/noport.eml"
bad "without Source-Port (RFC 6692)" arf "$T/noport.eml"
cat >"$T/xarf.eml" <<EOF
From: reports@reporter.example
Date: Sat, 28 Nov 2026 09:00:00 +0000
X-ARF: Yes
Content-Type: multipart/mixed; boundary="x"

--x
Content-Type: text/plain

Hello, a login attack came from your network.
--x
Content-Type: text/plain; name="report.txt"

Reported-From: reports@reporter.example
Category: abuse
Report-Type: login-attack
Service: ssh
Port: 22
Version: 0.2
Date: $ARRIVAL
Source-Type: ip-address
Source: $PUB
Source-Port: '$PORT'
Report-ID: 'x-77'
--x--
EOF
Q arf "$T/xarf.eml" --format csv >"$T/o"
expect "arf X-ARF: unique, the holder, Report-ID as ref" "$?:$(cut -d, -f1,6 "$T/o")" "0:x-77,$IN"
printf '{"xarf_version":"4.0.0","report_id":"u-1","timestamp":"%s",\n"source_identifier":"%s","source_port":%s,"category":"connection","type":"login_attack"}\n' \
    "$MIDISO" "$PUB" "$PORT" >"$T/x4.json"
Q arf "$T/x4.json" --format json >"$T/o.json"
expect "arf XARF 4: unique" "$?" 0
python3 -m json.tool "$T/o.json" >/dev/null
expect "arf: JSON validates" "$?" 0
echo "just some text" >"$T/junk.txt"
bad "not an abuse report" arf "$T/junk.txt"

# history both ways
Q history --inside "$IN" --from 2026-11-27T08:00:00Z --to 2026-11-27T08:30:00Z >"$T/h.txt"
expect "history --inside: exit 0" "$?" 0
expect "history --inside: table fits 80 columns" "$(awk 'length > 80' "$T/h.txt" | wc -l | tr -d ' ')" 0
TSH=$(date -u -d "@$((TS / 1000))" '+%Y-%m-%d %H:%M:%S')
if grep -q "^$TSH .* $PUB " "$T/h.txt"; then ok "history --inside lists the interval";
else notok "history --inside lists the interval from $TSH on $PUB"; cat "$T/h.txt"; fi
Q --format json history --public "$PUB" --port "$PORT" --from 2026-11-27T08:00:00Z \
    --to 2026-11-27T08:30:00Z >"$T/h.json"
python3 -m json.tool "$T/h.json" >/dev/null
expect "history --public: JSON validates" "$?" 0
expect "history --public: the holder is among the intervals" "$(python3 -c '
import json, sys
print(sys.argv[2] in [i["inside"] for i in json.load(open(sys.argv[1]))["intervals"]])' "$T/h.json" "$IN")" True
Q history --inside 10.9.9.9 --from 2026-11-27T08:01:00Z --to 2026-11-27T08:02:00Z >/dev/null
expect "history of nobody over a covered period: exit 1" "$?" 1

# stats and audit
Q stats >"$T/s.txt"
expect "stats: exit 0" "$?" 0
expect "stats: table fits 80 columns" "$(awk 'length > 80' "$T/s.txt" | wc -l | tr -d ' ')" 0
expect "stats: the outage is a gap" "$(grep -c 'collector down 2026-11-27T08:15:00Z to 2026-11-27T08:19:00Z' "$T/s.txt")" 1
Q --format csv audit >"$T/a.csv"
expect "audit: one record per lookup, batch, history and arf run" \
    "$(python3 -c '
import csv, sys
print(" ".join(sorted(set(r["cmd"] for r in csv.DictReader(open(sys.argv[1]))))))' "$T/a.csv")" \
    "arf batch history lookup"
expect "audit: the reasons are recorded" "$(awk -F, 'NR > 1 && $6 != "" { print $6 }' "$T/a.csv" | sort -u | tr '\n' ' ')" "CASE-1 TICKET-7 "
Q --format json audit | python3 -m json.tool >/dev/null
expect "audit: JSON validates" "$?" 0
expect "audit table fits 80 columns" "$(Q audit | awk 'length > 80' | wc -l | tr -d ' ')" 0
echo "garbage" >>"$T/store/audit.log"
Q audit >/dev/null 2>&1
expect "audit: a line not ours is reported (exit 65)" "$?" 65

# read-only: no shard changed; besides the audit log only SQLite's WAL
# side files (-wal, -shm) may appear, which a read-only reader of a WAL
# database creates when the collector is not running
expect "cgnq changed no shard" "$(sums)" "$SUM"
expect "cgnq wrote nothing in the store but audit.log (and WAL side files)" \
    "$(find "$T/store" -type f -newer "$T/marker" | sed 's|.*/||' |
    grep -v -e '-wal$' -e '-shm$' | sort | tr '\n' ' ')" "audit.log "
Q --audit-log /nonexistent/dir/audit.log lookup "$PUB" "$PORT" "$MIDS" >"$T/o" 2>"$T/err"
expect "an audit log that cannot be opened: exit 73, no answer" "$?:$(wc -c <"$T/o" | tr -d ' ')" "73:0"
"$B/cgnq" --store "$T/nostore" lookup "$PUB" "$PORT" "$MIDS" >/dev/null 2>&1
expect "no store: exit 66" "$?" 66
finish
