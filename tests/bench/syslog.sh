#!/bin/sh
# syslog.sh BUILD - make bench-syslog: the highest UDP rate at which
# nothing is lost, for cgnlogd (parsing and storing every line), for a bare
# recvmmsg counter (the machine's own ceiling, sender on the same cores)
# and for rsyslog writing the lines to a file; then TCP throughput.
#
# ../shared/BENCHMARKING.md: paced sender (cgnlog-replay), a trial of
# TRIAL seconds at rate R, loss = sent - what arrived where it matters (in
# the store for cgnlogd); double R until a trial loses, bisect until the
# clean and lossy rates are within 5% (the targets are ratios of 0.9 and
# 1.5: a coarser step hides them), confirm the clean rate three times
# (median loss must be 0). Then one trial each at a rate all of them keep
# up with (EFF_RATE), for the receiver's CPU time per line: what it costs,
# whichever of the two processes on the two cores is the limit.
# The sender is SYSLOG_SENDERS threads of cgnlog-replay (default 2, each
# its own socket): one thread's system calls top out near 250,000
# datagrams/s on loopback, below what the receivers take.
# The workload moves forward in time as a device's stream does: one file
# of Juniper JSERVICES lines, 2 M a simulated day, long enough for the
# fastest trial (MAX_RATE lines/s for TRIAL seconds: the climb asks no
# more than that), and every trial at rate R sends its first R x TRIAL
# lines, once. Going round a one-day file instead sent the same device
# times again every few seconds: each round wrote into shards the last
# one had sealed, and every reseal compacted a whole shard again, a cost
# no real exporter causes. All three receivers get the same lines at the
# same rate. The bench prints whether a trial wrapped all the same, and
# how often cgnlogd said it reopened a sealed shard.
# Environment: SYSLOG_TRIAL_SECONDS (default 30), SYSLOG_START_RATE
# (default 50000), SYSLOG_MAX_RATE (default 600000: above what the two
# senders reach here, so the climb still finds the sender's limit),
# SYSLOG_SENDERS (default 2), SYSLOG_SKIP_RSYSLOG=1.
B=$(cd "${1:-build}" && pwd)
TRIAL=${SYSLOG_TRIAL_SECONDS:-30}
SENDERS=${SYSLOG_SENDERS:-2}
START=${SYSLOG_START_RATE:-50000}
MAXRATE=${SYSLOG_MAX_RATE:-600000}
EFF_RATE=100000
HZ=$(getconf CLK_TCK)
T=$(mktemp -d /tmp/cgnlog-bench-syslog.XXXXXX)
trap 'kill $PIDS 2>/dev/null; rm -rf "$T"' EXIT INT TERM
PIDS=

# about 120-byte lines, as a Juniper MS-MPC logs its port blocks: 2 M
# events a simulated day (a few lines fewer: exhausted pools), days enough
# for MAXRATE x TRIAL lines (about 2.3 s of cgnlog-gen per million)
DAYS=$((MAXRATE * TRIAL / 2000000 + 1))
"$B/cgnlog-gen" --seed 1 --subscribers 200000 --pool 100.128.0.0/22 \
    --events $((DAYS * 2000000)) --duration "${DAYS}d" --format jservices \
    --out "$T/lines" 2>/dev/null
LINES=$(wc -l <"$T/lines")
BYTES=$(wc -c <"$T/lines")
echo "bench: syslog_workload_lines=$LINES"
echo "bench: syslog_workload_simulated_days=$DAYS"
echo "bench: syslog_workload_mean_line_bytes=$((BYTES / LINES))"
echo "bench: syslog_search_max_rate=$MAXRATE"
echo "bench: syslog_trial_seconds=$TRIAL"
echo "bench: syslog_sender_threads=$SENDERS"

wait_file() {
	i=0
	while [ ! -s "$1" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
}

# prefix N: $T/trial holds the workload's first N lines (cgnlog-replay
# reads its whole file before it sends: a trial loads only what it sends).
# A trial wanting more lines than the workload has goes round it: noted in
# $T/wrapped.
prefix() {
	[ "$(cat "$T/trial.n" 2>/dev/null)" = "$1" ] && return
	if [ "$1" -gt "$LINES" ]; then
		echo "$1" >>"$T/wrapped"
		cp "$T/lines" "$T/trial"
	else
		head -n "$1" "$T/lines" >"$T/trial"
	fi
	echo "$1" >"$T/trial.n"
}

# replay RATE URL: send RATE x TRIAL lines; sets SENT and GOT_RATE (the
# rate the sender reached: at loopback it tops out near a few hundred
# thousand datagrams/s on 2 cores, and a trial above that only runs longer)
replay() {
	prefix $(($1 * TRIAL))
	out=$("$B/cgnlog-replay" --senders "$SENDERS" --rate "$1" \
	    --duration "$TRIAL" "$T/trial" "$2")
	SENT=$(echo "$out" | sed 's/.*sent=\([0-9]*\).*/\1/')
	GOT_RATE=$(echo "$out" | sed 's/.*rate=\([0-9]*\).*/\1/')
}

# cpu PID: the process's user + system CPU so far, in clock ticks
cpu() {
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# trial_NAME RATE -> prints "sent lost achieved_rate cpu_ticks"
trial_cgnlogd() {
	rm -rf "$T/store" "$T/ports"
	"$B/cgnlogd" --store "$T/store" --port-file "$T/ports" \
	    --listen syslog-udp://127.0.0.1:0 2>"$T/daemon.log" &
	p=$!
	PIDS="$p"
	wait_file "$T/ports"
	port=$(sed 's/.*://' "$T/ports")
	replay "$1" "udp://127.0.0.1:$port"
	sleep 1
	c=$(cpu "$p")
	kill -TERM "$p"
	wait "$p"
	stored=$(sed -n 's/.*stopped: [0-9]* messages received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")
	grep -c 'reopened sealed shard' "$T/daemon.log" >>"$T/reopened"
	echo "$SENT $((SENT - ${stored:-0})) $GOT_RATE $c"
}

trial_bare() {
	rm -f "$T/bport"
	"$T/udpcount" "$T/bport" >"$T/bare.out" &
	p=$!
	PIDS="$p"
	wait_file "$T/bport"
	replay "$1" "udp://127.0.0.1:$(cat "$T/bport")"
	sleep 0.5
	c=$(cpu "$p")
	kill -TERM "$p"
	wait "$p"
	got=$(sed 's/received=\([0-9]*\).*/\1/' "$T/bare.out")
	echo "$SENT $((SENT - ${got:-0})) $GOT_RATE $c"
}

trial_rsyslog() {
	port=$(( 20000 + $$ % 20000 ))
	rm -f "$T/rs.out" "$T/rs.pid"
	cat >"$T/rs.conf" <<EOF
global(workDirectory="$T")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="$port" rcvbufSize="4m")
*.* action(type="omfile" file="$T/rs.out")
EOF
	rsyslogd -n -f "$T/rs.conf" -i "$T/rs.pid" 2>"$T/rs.err" &
	p=$!
	PIDS="$p"
	sleep 1
	replay "$1" "udp://127.0.0.1:$port"
	# let it write what it holds: until the file stops growing
	last=-1
	while :; do
		sleep 1
		now=$(wc -l <"$T/rs.out" 2>/dev/null || echo 0)
		[ "$now" = "$last" ] && break
		last=$now
	done
	c=$(cpu "$p")
	kill -TERM "$p"
	wait "$p"
	got=$(wc -l <"$T/rs.out" 2>/dev/null || echo 0)
	echo "$SENT $((SENT - got)) $GOT_RATE $c"
}

# search NAME: the zero-loss rate, as "best first_lossy sender_limited".
# A clean trial whose sender fell short of the rate asked (under 90%) ends
# the climb: from there on the figure is the sender's limit, not the
# receiver's. Either way the best clean rate is confirmed by three more
# trials (the median must lose nothing; near the sender's limit one trial
# can lose and the next not), and the figure is the lower of the rate
# asked and the median rate the sender reached in them.
median3() {
	printf '%s\n%s\n%s\n' "$1" "$2" "$3" | sort -n | sed -n 2p
}

search() {
	name=$1
	good=0
	bad=0
	capped=0
	r=$START
	while [ $r -le $MAXRATE ] && [ $capped -eq 0 ]; do
		set -- $(trial_$name $r)
		echo "bench-trial: $name rate=$r sent=$1 lost=$2 reached=$3" >&2
		if [ "$2" -gt 0 ]; then bad=$r; break; fi
		good=$r
		[ $(($3 * 100)) -lt $((r * 90)) ] && capped=1
		# doubling, but the last step asks MAXRATE itself
		[ $r -lt $MAXRATE ] && [ $((r * 2)) -gt $MAXRATE ] &&
		    r=$((MAXRATE / 2))
		r=$((r * 2))
	done
	while [ $capped -eq 0 ] && [ $bad -gt 0 ] && [ $good -gt 0 ] &&
	    [ $(( (bad - good) * 100 / good )) -gt 5 ]; do
		r=$(( (good + bad) / 2 ))
		set -- $(trial_$name $r)
		echo "bench-trial: $name rate=$r sent=$1 lost=$2 reached=$3" >&2
		if [ "$2" -gt 0 ]; then bad=$r; continue; fi
		good=$r
		[ $(($3 * 100)) -lt $((r * 90)) ] && capped=1
	done
	while [ $good -gt 0 ]; do
		set -- $(trial_$name $good) $(trial_$name $good) \
		    $(trial_$name $good)
		med=$(median3 "$2" "$6" "${10}")
		got=$(median3 "$3" "$7" "${11}")
		echo "bench-trial: $name confirm rate=$good lost=$2,$6,${10} reached=$3,$7,${11}" >&2
		capped=0
		[ $((got * 100)) -lt $((good * 90)) ] && capped=1
		[ "$got" -lt "$good" ] && good=$got
		if [ "$med" -eq 0 ]; then
			echo "$good $bad $capped"
			return
		fi
		bad=$good
		good=$(( good * 95 / 100 ))
	done
	echo "0 $bad 0"
}

# efficiency NAME: the receiver's CPU microseconds per line at EFF_RATE
# (the lines it took, so a lossy trial is not flattered)
efficiency() {
	name=$1
	set -- $(trial_$name $EFF_RATE)
	echo "bench-trial: $name efficiency rate=$EFF_RATE sent=$1 lost=$2 cpu_ticks=$4" >&2
	awk -v t="$4" -v hz="$HZ" -v n="$(( $1 - $2 ))" \
	    'BEGIN { printf "%.2f", (n > 0 ? t / hz * 1e6 / n : 0) }'
}

gcc -O2 -o "$T/udpcount" "$(dirname "$0")/udpcount.c" || exit 1

set -- $(search bare)
bare=$1
echo "bench: bare_udp_max_eps_zero_loss=$1"
echo "bench: bare_udp_first_lossy_eps=$2"
echo "bench: bare_udp_sender_limited=$3"
echo "bench: bare_udp_cpu_us_per_line=$(efficiency bare)"
set -- $(search cgnlogd)
ours=$1
echo "bench: syslog_udp_max_eps_zero_loss=$1"
echo "bench: syslog_udp_first_lossy_eps=$2"
echo "bench: syslog_udp_sender_limited=$3"
ourcpu=$(efficiency cgnlogd)
echo "bench: syslog_udp_cpu_us_per_line=$ourcpu"
if [ -z "$SYSLOG_SKIP_RSYSLOG" ] && command -v rsyslogd >/dev/null; then
	set -- $(search rsyslog)
	rs=$1
	echo "bench: rsyslog_udp_max_eps_zero_loss=$1"
	echo "bench: rsyslog_udp_first_lossy_eps=$2"
	echo "bench: rsyslog_udp_sender_limited=$3"
	rscpu=$(efficiency rsyslog)
	echo "bench: rsyslog_udp_cpu_us_per_line=$rscpu"
	# lines per CPU second, ours over rsyslog's: the ratio of what each
	# could take if it had the cores to itself
	echo "bench: syslog_vs_rsyslog_cpu_efficiency=$(awk -v a="$ourcpu" -v b="$rscpu" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }')"
	[ "$rs" -gt 0 ] && echo "bench: syslog_vs_rsyslog_ratio=$(awk -v a="$ours" -v b="$rs" 'BEGIN { printf "%.2f", a / b }')"
else
	echo "bench: rsyslog_udp_max_eps_zero_loss=skipped (SYSLOG_SKIP_RSYSLOG is set, or rsyslogd is not installed: make deps-bench)"
fi
[ "$bare" -gt 0 ] && echo "bench: syslog_vs_bare_ratio=$(awk -v a="$ours" -v b="$bare" 'BEGIN { printf "%.2f", a / b }')"
touch "$T/wrapped" "$T/reopened"
echo "bench: syslog_workload_wrapped_trials=$(wc -l <"$T/wrapped")"
echo "bench: syslog_udp_sealed_shards_reopened=$(awk '{ n += $1 } END { print n + 0 }' "$T/reopened")"

# TCP: as fast as the stream goes (TCP pushes back, nothing is lost), one
# simulated day of it
rm -rf "$T/store" "$T/ports"
"$B/cgnlogd" --store "$T/store" --port-file "$T/ports" \
    --listen syslog-tcp://127.0.0.1:0 2>"$T/daemon.log" &
p=$!
PIDS="$p"
wait_file "$T/ports"
prefix 2000000
t0=$(date +%s.%N)
"$B/cgnlog-replay" "$T/trial" "tcp://127.0.0.1:$(sed 's/.*://' "$T/ports")" >/dev/null
kill -TERM "$p"
wait "$p"
t1=$(date +%s.%N)
stored=$(sed -n 's/.*stopped: [0-9]* messages received, \([0-9]*\) events stored.*/\1/p' "$T/daemon.log")
echo "bench: syslog_tcp_lines=$(wc -l <"$T/trial")"
echo "bench: syslog_tcp_stored=$stored"
echo "bench: syslog_tcp_eps=$(awk -v n="$stored" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')"
