# cgnlog - one non-recursive Makefile. See README.md.
#
#   make            build/cgnlogd build/cgnq build/cgnlog-gen build/cgnlog-replay
#   make run        build and start the collector with its embedded default
#   make test       unit + end-to-end tests (SAN=1: under ASan and UBSan)
#   make deps       install missing Debian packages (apt-get)
#   make fuzz       run every fuzz target for FUZZ_SECONDS
#   make bench      every benchmark (make bench-NAME for one)
#   make install    PREFIX=/usr/local [DESTDIR=] (tools/install.sh)

PREFIX  ?= /usr/local
CC      ?= cc
SAN     ?=
FUZZ_SECONDS ?= 60

# Libraries, found with pkg-config; the Debian packages that provide them.
PKGS     = libpcap libnetfilter_log libmnl zlib sqlite3 libdeflate libzstd inih
TESTPKGS = cmocka
DEBS     = pkg-config libpcap-dev libnetfilter-log-dev libmnl-dev \
           libnetfilter-conntrack-dev zlib1g-dev libsqlite3-dev \
           libdeflate-dev libzstd-dev libinih-dev libcmocka-dev bsdutils python3 \
           tshark
# the Linux-as-CGN test (tests/e2e/linux_cgn.sh) and the capture tests
DEBS    += nftables iproute2 conntrack tcpdump procps
# man page lint (tests/e2e/install.sh)
DEBS    += mandoc
FUZZDEBS = clang libclang-rt-14-dev
BENCHDEBS = rsyslog nfdump liblognorm-dev libfixbuf-dev

ifeq ($(SAN),1)
BUILD   ?= build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
           -fno-omit-frame-pointer
OPT      = -O1 -g
else
BUILD   ?= build
SANFLAGS =
OPT      = -O2 -g
endif

CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(SANFLAGS) -Wall -Wextra -Werror \
           -Wshadow -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral \
           -Iparser -Istore -Icollector -Iquery -Itools \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDFLAGS += $(SANFLAGS)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

PARSER  = parser/addr.o parser/parser.o parser/syslog.o \
          parser/syslog_fields.o parser/syslog_juniper.o parser/timeconv.o \
          parser/tz.o parser/ipfix.o parser/nfv9.o parser/tmpl.o \
          parser/nat_ie.o parser/pkt.o
# syslog vendor bodies (one file per vendor, a row each in syslog.c)
PARSER += parser/syslog_vutil.o parser/syslog_cisco_asa.o \
          parser/syslog_a10.o parser/syslog_nfware.o parser/syslog_6wind.o \
          parser/syslog_netscreen.o parser/syslog_cisco_xr.o \
          parser/syslog_cisco_ios.o parser/syslog_f5.o parser/syslog_nokia.o \
          parser/syslog_huawei.o parser/syslog_fortigate.o \
          parser/syslog_paloalto.o parser/syslog_vpp.o parser/syslog_vyatta.o
PARSER += parser/nflog.o parser/nflog_pair.o parser/tcpreasm.o
STORE   = store/codec.o store/codec_enc.o store/codec_dec.o store/merge.o \
          store/pair.o store/pair_tab.o store/reader.o store/runmerge.o \
          store/shard.o store/strtab.o store/verify.o store/writer.o \
          store/wresume.o store/wdir.o store/wshard.o
COLLECT = collector/acl.o collector/config.o collector/framing.o collector/listen.o collector/log.o \
          collector/loop.o collector/reject.o collector/ring.o \
          collector/stats.o collector/tcp.o collector/tzload.o \
          collector/udp.o collector/file_in.o collector/wthread.o \
          collector/url.o collector/nflog_in.o collector/pcap_in.o collector/ipfix_tcp.o
COLLECT += collector/live.o collector/priv.o collector/spool.o \
           collector/spool_rec.o collector/spool_crc.o
COLLECT += collector/metrics.o collector/devstat.o
QUERY   = query/args.o query/arf.o query/audit.o query/lookup.o \
          query/output.o query/timearg.o
# cgnq's commands (they exit on bad input, so unit tests link QUERY only)
QCMDS   = query/batch.o query/history.o query/stats.o
TOOLS   = tools/gensim.o tools/gen_juniper.o tools/gen_ipfix.o
# cgnlog-gen's syslog vendor formats
TOOLS  += tools/gen_cisco.o tools/gen_a10.o tools/gen_f5.o tools/gen_nokia.o \
          tools/gen_huawei.o tools/gen_fortigate.o tools/gen_paloalto.o \
          tools/gen_vpp.o tools/gen_vyatta.o tools/gen_netscreen.o \
          tools/gen_nfware.o tools/gen_6wind.o

BINS    = $(BUILD)/cgnlogd $(BUILD)/cgnq $(BUILD)/cgnlog-gen \
          $(BUILD)/cgnlog-replay $(BUILD)/cgnlog-verify
UNITS   = $(patsubst tests/unit/%.c,$(BUILD)/%,$(wildcard tests/unit/test_*.c))

obj = $(addprefix $(BUILD)/obj/,$(1))

all: $(BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

$(BUILD)/cgnlogd: $(call obj,collector/cgnlogd.o $(COLLECT) $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgnq: $(call obj,query/cgnq.o $(QCMDS) $(QUERY) collector/tzload.o $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgnlog-gen: $(call obj,tools/cgngen.o $(TOOLS) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgnlog-verify: $(call obj,tools/cgnverify.o $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/cgnlog-replay: $(call obj,tools/cgnreplay.o collector/url.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TESTLIBS = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

# the parser's tests, a program per module, share ptest.c; the IPFIX and
# v9 ones also flowmsg.c (messages built byte by byte)
PTESTS = parser timeconv tz syslog syslog_juniper syslog_memo pkt addr
FTESTS = ipfix ipfix_damage nfv9 flow_fixtures
$(PTESTS:%=$(BUILD)/test_%): $(BUILD)/test_%: $(call obj,tests/unit/test_%.o tests/unit/ptest.o tests/unit/prng.o tests/unit/fixtures.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(FTESTS:%=$(BUILD)/test_%): $(BUILD)/test_%: $(call obj,tests/unit/test_%.o tests/unit/flowmsg.o tests/unit/ptest.o tests/unit/prng.o tests/unit/fixtures.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_syslog_vendors: $(call obj,tests/unit/test_syslog_vendors.o tests/unit/vcheck.o tests/unit/fixtures.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_syslog_docs: $(call obj,tests/unit/test_syslog_docs.o tests/unit/vcheck.o tests/unit/fixtures.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

# the store's tests, a program per part, share stest.c
STESTS = codec pair pair_sess pair_churn merge store store_ops store_retry \
         store_seek
$(STESTS:%=$(BUILD)/test_%): $(BUILD)/test_%: $(call obj,tests/unit/test_%.o tests/unit/stest.o tests/unit/prng.o $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_collector: $(call obj,tests/unit/test_collector.o $(COLLECT) $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_metrics: $(call obj,tests/unit/test_metrics.o $(COLLECT) $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_spool: $(call obj,tests/unit/test_spool.o tests/unit/spool_batches.o tests/unit/ptest.o tests/unit/prng.o tests/unit/fixtures.o collector/spool.o collector/spool_rec.o collector/spool_crc.o collector/ring.o collector/log.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_spool_rec: $(call obj,tests/unit/test_spool_rec.o tests/unit/spool_batches.o tests/unit/ptest.o tests/unit/prng.o tests/unit/fixtures.o collector/spool_rec.o collector/ring.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/test_query: $(call obj,tests/unit/test_query.o $(QUERY) collector/tzload.o $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

# libnetfilter_conntrack builds the reference conntrack messages
NFCTLIBS = $(shell pkg-config --libs libnetfilter_conntrack libmnl 2>/dev/null)
$(BUILD)/test_nflog: $(call obj,tests/unit/test_nflog.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(NFCTLIBS) $(TESTLIBS)

$(BUILD)/test_pcap: $(call obj,tests/unit/test_pcap.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(TESTLIBS)

# the tshark oracle's view of our parsers (tests/e2e/ipfix_tshark.sh)
$(BUILD)/ipfix_dump: $(call obj,tests/e2e/ipfix_dump.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The fuzz targets, built with a plain main() that replays files: make test
# runs every parser over every real fixture this way.
FUZZERS = syslog ipfix nfv9
FUZZERS += nflog pkt
$(BUILD)/fuzz_%_replay: $(call obj,tests/fuzz/fuzz_%.o tests/fuzz/replay_main.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.PRECIOUS: $(BUILD)/obj/%.o

# ---- dependencies -----------------------------------------------------------

# Installs what is missing (Debian/Ubuntu, as root); a no-op when all is there.
deps:
	@sh tools/deps.sh $(DEBS)

deps-fuzz:
	@sh tools/deps.sh $(FUZZDEBS)

deps-bench:
	@sh tools/deps.sh $(BENCHDEBS)

# make run / make test first make sure pkg-config finds every library, then
# build in a second make so the flags are computed with them present.
have-libs:
	@pkg-config --exists $(PKGS) $(TESTPKGS) 2>/dev/null || $(MAKE) deps

# ---- the two commands -------------------------------------------------------

run: have-libs
	@$(MAKE) --no-print-directory all
	./$(BUILD)/cgnlogd

test: have-libs
	@$(MAKE) --no-print-directory test-build
	@sh tests/run.sh $(BUILD)

test-build: $(BINS) $(UNITS) $(foreach f,$(FUZZERS),$(BUILD)/fuzz_$(f)_replay) \
            $(BUILD)/ipfix_dump
test-build: $(BUILD)/cgnq_mkstore

# ---- fuzzing ----------------------------------------------------------------

FUZZCC = clang
FUZZFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
            -D_GNU_SOURCE -Iparser
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(PARSER:.o=.c)
	@mkdir -p build/fuzz
	$(FUZZCC) $(FUZZFLAGS) -o $@ $^

# The store's block decoder: shards are the store's own files, but a damaged
# one must not crash a reader. Its own rule (store sources, compression
# libraries); its seeds are the blocks of a store bench_store builds.
STOREFUZZ = codec
build/fuzz/fuzz_codec: tests/fuzz/fuzz_codec.c store/codec.c store/codec_enc.c \
    store/codec_dec.c parser/addr.c
	@mkdir -p build/fuzz
	$(FUZZCC) $(FUZZFLAGS) -Istore -o $@ $^ -lz -ldeflate -lzstd

fuzz: deps-fuzz have-libs
	@$(MAKE) --no-print-directory $(foreach f,$(FUZZERS) $(STOREFUZZ),build/fuzz/fuzz_$(f)) \
	    $(BUILD)/bench_store
	@BENCH_STORE=$(BUILD)/bench_store sh tests/fuzz/run.sh $(FUZZ_SECONDS) \
	    $(FUZZERS) $(STOREFUZZ)

# ---- benchmarks -------------------------------------------------------------

bench: bench-store bench-query bench-lognorm bench-ipfix bench-syslog bench-daemon \
       bench-spool

# UDP zero-loss rate and TCP throughput, beside a bare recvmmsg counter
# and rsyslog (Debian package, installed by deps-bench)
bench-syslog: have-libs deps-bench
	@$(MAKE) --no-print-directory $(BUILD)/cgnlogd $(BUILD)/cgnlog-gen \
	    $(BUILD)/cgnlog-replay
	@sh tests/bench/syslog.sh $(BUILD)

# cgnlogd under a 10-second burst as fast as a sender goes: lost, spool,
# peak memory (DAEMON_BURST_SECONDS=)
bench-daemon: have-libs
	@$(MAKE) --no-print-directory $(BUILD)/cgnlogd $(BUILD)/cgnlog-gen \
	    $(BUILD)/cgnlog-replay
	@sh tests/bench/daemon.sh $(BUILD)

# the overload spool's record: bytes and CPU per event (no daemon, no disk)
bench-spool: have-libs
	@$(MAKE) --no-print-directory $(BUILD)/bench_spool
	@./$(BUILD)/bench_spool

$(BUILD)/bench_spool: $(call obj,tests/bench/bench_spool.o collector/spool.o collector/spool_rec.o collector/spool_crc.o collector/ring.o collector/log.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

bench-store: have-libs
	@$(MAKE) --no-print-directory $(BUILD)/bench_store $(BUILD)/cgnlog-gen
	@sh tests/bench/store.sh $(BUILD)

bench-ipfix: have-libs
	@$(MAKE) --no-print-directory $(BUILD)/bench_ipfix $(BUILD)/cgnlogd \
	    $(BUILD)/cgnq $(BUILD)/cgnlog-gen $(BUILD)/cgnlog-replay
	@sh tools/deps.sh $(BENCHDEBS)
	@$(MAKE) --no-print-directory $(BUILD)/bench_fixbuf
	@sh tests/bench/ipfix.sh $(BUILD)

$(BUILD)/bench_ipfix: $(call obj,tests/bench/bench_ipfix.o $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# libfixbuf, measured against our decoder (the evaluation the README cites)
FIXBUF = $(shell pkg-config --cflags --libs libfixbuf 2>/dev/null)
$(BUILD)/bench_fixbuf: tests/bench/bench_fixbuf.c $(call obj,$(PARSER))
	@echo "LD $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(FIXBUF) $(LDLIBS)

$(BUILD)/bench_store: $(call obj,tests/bench/bench_store.o query/lookup.o $(TOOLS) $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# liblognorm rulebases against our vendor parsers, on one core. Only this
# benchmark links liblognorm (Debian liblognorm-dev); the product does not.
bench-lognorm: have-libs
	@pkg-config --exists lognorm 2>/dev/null || $(MAKE) deps-bench
	@$(MAKE) --no-print-directory $(BUILD)/bench_lognorm
	@./$(BUILD)/bench_lognorm

$(BUILD)/obj/tests/bench/bench_lognorm.o: CFLAGS += $(shell pkg-config --cflags lognorm 2>/dev/null)
$(BUILD)/bench_lognorm: $(call obj,tests/bench/bench_lognorm.o $(TOOLS) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) $(shell pkg-config --libs lognorm 2>/dev/null)

# cgnq batch over a store built from cgnlog-gen ground truth (mkstore.c:
# also used by the cgnq e2e tests)
bench-query: have-libs
	@$(MAKE) --no-print-directory $(BUILD)/cgnq $(BUILD)/cgnq_mkstore \
	    $(BUILD)/cgnlog-gen
	@sh tests/bench/query.sh $(BUILD)

$(BUILD)/cgnq_mkstore: $(call obj,tests/bench/mkstore.o $(STORE) $(PARSER))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ---- install ----------------------------------------------------------------

# Programs, man pages, the systemd unit, an example configuration (never
# over an existing one); on the system itself as root, the user cgnlog and
# STATEDIR (0750, its). Staged with DESTDIR=, no user is created.
SYSCONFDIR ?= /etc
STATEDIR   ?= /var/lib/cgnlog
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
MANDIR     ?= $(PREFIX)/share/man
install: all
	@BUILD=$(BUILD) PREFIX=$(PREFIX) DESTDIR=$(DESTDIR) \
	    SYSCONFDIR=$(SYSCONFDIR) STATEDIR=$(STATEDIR) \
	    SYSTEMDDIR=$(SYSTEMDDIR) MANDIR=$(MANDIR) sh tools/install.sh

clean:
	rm -rf build

.PHONY: all run test test-build deps deps-fuzz deps-bench have-libs fuzz \
        bench bench-daemon bench-store bench-query bench-lognorm bench-ipfix \
        bench-spool install clean
