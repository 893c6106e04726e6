#!/bin/sh
# ipfix_tshark.sh BUILD - Wireshark's dissector as the oracle for the IPFIX
# and NetFlow v9 parsers: every real netflow fixture pcap and a generated
# stream of each binary cgnlog-gen format are decoded by tshark and by our
# parser (build/ipfix_dump), and the NAT events must agree record by
# record: type (natEvent), time, inside, outside, port range.
. "$(dirname "$0")/lib.sh"
command -v tshark >/dev/null 2>&1 ||
	skip_all "tshark is not installed (make deps installs it)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
dir="$(dirname "$0")/../../../shared/fixtures/real/netflow"
[ -n "$CGN_SHARED" ] && dir="$CGN_SHARED/fixtures/real/netflow"
files=""
[ -d "$dir" ] && files=$(ls "$dir"/*.pcap)
for f in ipfix-pba ipfix-session nfv9-nel; do
	"$B/cgnlog-gen" --format "$f" --seed 7 --subscribers 500 \
	    --pool 198.51.100.0/28 --events 3000 --duration 2h \
	    --start 2026-11-28T08:00:00Z --out "$T/$f.pcap" 2>/dev/null ||
		notok "cgnlog-gen --format $f"
	files="$files $T/$f.pcap"
done
# shellcheck disable=SC2086
python3 "$(dirname "$0")/ipfix_tshark.py" "$B/ipfix_dump" $files ||
	TAPFAILED=1
[ -d "$dir" ] || echo "ok $(($(echo $files | wc -w) + 1)) # SKIP" \
    "../shared/fixtures/real/netflow is absent"
finish
