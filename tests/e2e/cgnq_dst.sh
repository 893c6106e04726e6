#!/bin/sh
# cgnq_dst.sh BUILD - one public ip:port held by three subscribers at once,
# for three destinations (address-and-port-dependent mapping, as Linux
# conntrack SNAT does), logged by a Juniper SRX as RT_FLOW sessions with
# their destinations and read by cgnlogd from a file, with a restart between
# the creates and the deletes. cgnq lookup without --dst must be ambiguous
# listing every holder (exit 2), never one alone; with --dst it must name the
# holder of that destination (exit 0); a delete logged without a destination
# closes the one session of its subscriber; history lists the destinations.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || skip_all "python3 is not installed"

PUB=198.51.100.9
PORT=40000
BASE=$(( $(date -u +%s) / 3600 * 3600 - 3 * 3600 ))
at() { date -u -d "@$((BASE + $1))" +%Y-%m-%dT%H:%M:%SZ; }
atj() { date -u -d "@$((BASE + $1))" +%Y-%m-%dT%H:%M:%S.000Z; }	# in JSON

# sess TYPE SECONDS INSIDE SPORT [DST DPORT]: one RFC 5424 RT_FLOW line
sess() {
	d=
	[ -n "$5" ] && d=" destination-address=\"$5\" destination-port=\"$6\""
	printf '<14>1 %s srx1 RT_FLOW - RT_FLOW_SESSION_%s [junos@2636.1.1.1.2.129 source-address="%s" source-port="%s"%s nat-source-address="%s" nat-source-port="%s" protocol-id="6"] session\n' \
	    "$(at "$2")" "$1" "$3" "$4" "$d" "$PUB" "$PORT"
}

{
	sess CREATE 0 100.64.0.1 5001 203.0.113.10 443
	sess CREATE 0 100.64.0.1 5001 203.0.113.10 443	# the same, again
	sess CREATE 60 100.64.0.2 5002 203.0.113.20 443
	sess CREATE 120 100.64.0.3 5003 203.0.113.30 80
} >"$T/creates.log"
{
	sess CLOSE 240 100.64.0.3 5003		# no destination logged
	sess CLOSE 300 100.64.0.1 5001 203.0.113.10 443
	sess CLOSE 360 100.64.0.2 5002 203.0.113.20 443
} >"$T/deletes.log"

"$B/cgnlogd" --store "$T/store" --listen "syslog-file://$T/creates.log" \
    2>>"$T/daemon.log"
expect "cgnlogd stores the creates and exits 0" "$?" 0
"$B/cgnlogd" --store "$T/store" --listen "syslog-file://$T/deletes.log" \
    2>>"$T/daemon.log"
expect "cgnlogd restarts, stores the deletes and exits 0" "$?" 0
expect "the restart took up the three open sessions" \
    "$(grep -c 'resumed 3 open allocations' "$T/daemon.log")" 1

# look TIME ARGS...: JSON answer in $T/o.json, exit status in $RC
look() {
	t=$1
	shift
	q --format json lookup "$PUB" "$PORT" "$(at "$t")" "$@" >"$T/o.json" \
	    2>"$T/err"
	RC=$?
}
# holders: verdict, then each interval's inside>dst:port in the order given
holders() {
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["verdict"], " ".join(sorted("%s>%s:%s" % (i["inside"],
    i.get("dst", "-"), i.get("dst_port", "-")) for i in d["intervals"])))' \
	    "$T/o.json"
}

look 180
expect "three at once, no --dst: exit 2" "$RC" 2
expect "three at once, no --dst: ambiguous, every holder listed" "$(holders)" \
    "ambiguous 100.64.0.1>203.0.113.10:443 100.64.0.2>203.0.113.20:443 100.64.0.3>203.0.113.30:80"
look 180 --dst 203.0.113.10
expect "--dst of the first: exit 0" "$RC" 0
expect "--dst of the first: its subscriber alone" "$(holders)" \
    "unique 100.64.0.1>203.0.113.10:443"
look 180 --dst 203.0.113.20:443
expect "--dst with port of the second: exit 0" "$RC" 0
expect "--dst with port of the second: its subscriber alone" "$(holders)" \
    "unique 100.64.0.2>203.0.113.20:443"
look 180 --dst 203.0.113.30:80
expect "--dst of the third: exit 0" "$RC" 0
expect "--dst of the third: its subscriber alone" "$(holders)" \
    "unique 100.64.0.3>203.0.113.30:80"
look 180 --dst 203.0.113.20:80
expect "--dst of the second's address, another port: none of them" \
    "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["holders"], d["dst_excluded"])' "$T/o.json")" "0 3"

# the delete without a destination closed the third only
look 270
expect "after the third's delete without destination: exit 2" "$RC" 2
expect "after the third's delete without destination: the other two" \
    "$(holders)" \
    "ambiguous 100.64.0.1>203.0.113.10:443 100.64.0.2>203.0.113.20:443"
look 330
expect "after the first's delete: exit 0" "$RC" 0
expect "after the first's delete: the second alone, both ends logged" \
    "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
i = d["intervals"][0]
print(d["verdict"], len(d["intervals"]), i["inside"], i["dst"], i["start_how"],
    i["end_how"], i["end"])' "$T/o.json")" \
    "unique 1 100.64.0.2 203.0.113.20 logged logged $(atj 360)"

# table and CSV show the destination
q lookup "$PUB" "$PORT" "$(at 180)" --dst 203.0.113.10 >"$T/o.txt"
expect "table: the destination, matching --dst" \
    "$(grep '^  dest' "$T/o.txt" | sed 's/  */ /g')" \
    " dest 203.0.113.10 port 443 (matches --dst)"
expect "table: lines fit 80 columns" \
    "$(awk 'length > 80' "$T/o.txt" | wc -l | tr -d ' ')" 0
q --format csv lookup "$PUB" "$PORT" "$(at 180)" --dst 203.0.113.10 >"$T/o.csv"
expect "CSV: inside, then dst and dst_port last" \
    "$(tail -1 "$T/o.csv" | awk -F, '{ print $6, $(NF - 1), $NF }')" \
    "100.64.0.1 203.0.113.10 443"
echo "$PUB,$PORT,$(at 180),tcp,r1" | q batch --format csv - >"$T/b.csv"
expect "batch CSV: the header names dst and dst_port last" \
    "$(head -1 "$T/b.csv" | awk -F, '{ print $(NF - 1), $NF }')" "dst dst_port"
expect "batch CSV: each holder with its destination" \
    "$(awk -F, 'NR > 1 { print $1, $5, $6 ">" $(NF - 1) ":" $NF }' "$T/b.csv" | sort | tr '\n' ' ')" \
    "r1 ambiguous 100.64.0.1>203.0.113.10:443 r1 ambiguous 100.64.0.2>203.0.113.20:443 r1 ambiguous 100.64.0.3>203.0.113.30:80 "

# history of the public port: every session with its destination
q --format csv history --public "$PUB" --port "$PORT" --from "$(at 0)" \
    --to "$(at 600)" >"$T/h.csv"
expect "history CSV: three sessions, each with its destination" \
    "$(awk -F, 'NR > 1 { print $1 ">" $13 ":" $14 }' "$T/h.csv" | sort | tr '\n' ' ')" \
    "100.64.0.1>203.0.113.10:443 100.64.0.2>203.0.113.20:443 100.64.0.3>203.0.113.30:80 "
q history --public "$PUB" --port "$PORT" --from "$(at 0)" --to "$(at 600)" \
    >"$T/h.txt"
expect "history table: a destination line under each session" \
    "$(grep -c ' to 203\.0\.113\.[123]0 port ' "$T/h.txt")" 3

finish
