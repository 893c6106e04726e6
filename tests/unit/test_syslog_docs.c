/*
 * test_syslog_docs.c - the syslog vendor bodies known from documentation
 * only (no real sample yet): Cisco IOS XR and IOS, F5, Nokia, Huawei and
 * H3C, FortiGate, PAN-OS, FD.io VPP, Vyatta/DANOS; and the vendor dispatch.
 *
 * Each test cites the document its lines follow (values are ours where the
 * document gives none). Broken and truncated lines give an exact return
 * code and no event; lines a vendor knows that map nothing give CGN_OK and
 * no event. Real-sample vendors: test_syslog_vendors.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cgn.h"
#include "fixtures.h"
#include "parser.h"
#include "tz.h"
#include "vcheck.h"

/* ---- Cisco IOS XR CGN -------------------------------------------------- */

/* Cisco IOS XR CGN configuration guide, syslog chapter: record syntax
 * [Event L4 InsideIP VRF InsideIPv6 OutsideIP InsidePort FirstPort LastPort
 * DestIP DestPort], "-" when absent, several records per datagram, the
 * header's simplified "YYYY Mon DD hh:mm:ss" time. Values from the guide's
 * example (10.0.0.1, VRF Broadband, 100.1.1.1, 2048-3071), others ours. */
static void
cisco_xr_several_records_per_datagram(void **state)
{
	const char *line = "<134>1 2011 May 31 10:30:45 11.1.1.1 - - NAT44 -"
	    " [UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
	    "[UserbasedW - 10.0.0.2 Broadband - 100.1.1.1 - 3072 4095 - -]"
	    "[Portblockrunout - 10.0.0.4 Broadband - 100.1.1.1 - - - - -]"
	    "[SessionbasedAD 6 10.0.0.3 Broadband - 100.1.1.2 40000 1024 -"
	    " 192.0.2.9 80]";
	const int64_t t = 1306837845000LL;
	const struct want w[3] = {
		{ CGN_EV_PBA_ALLOC, "10.0.0.1", 0, "100.1.1.1", 2048, 3071, 0,
		    t, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		{ CGN_EV_PBA_RELEASE, "10.0.0.2", 0, "100.1.1.1", 3072, 4095,
		    0, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL },
		{ CGN_EV_SESSION_CREATE, "10.0.0.3", 40000, "100.1.1.2", 1024,
		    1024, 6, t, CGN_TS_UTC, 0, "192.0.2.9", 80, 0, NULL },
	};

	(void)state;
	expect_events(line, RX_2026_07_01, NULL, w, 3);
}

static void
cisco_xr_broken_records_drop_the_whole_datagram(void **state)
{
	static const char *const bad[] = {
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 3071 2048 - -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 - - -]",
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
		    "[UserbasedW - 10.0.0.x Broadband - 100.1.1.1 - 2048 3071"
		    " - -]",
	};
	static const char *const trunc[] = {
		"[UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
		    "[UserbasedW - 10.0.0.2 Broad",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived("<134>1 2011 May 31 10:30:45 11.1.1.1 - - NAT44 -"
	    " [UserbasedA - 10.0.0.1 Broadband - 100.1.1.1 - 2048 3071 - -]"
	    "[SessionbasedW 17 10.0.0.3 Broadband - 100.1.1.2 4 1024 - - -]");
}

/* ---- Cisco IOS / IOS XE ------------------------------------------------ */

/* ipSpace.net "NAT translation logging" (2008): %IPNAT-6-NAT_CREATED/
 * DELETED with proto, inside local, inside global, outside local, outside
 * global; the IOS "datetime msec show-timezone" stamp before the tag. */
static void
cisco_ios_nat_created_and_deleted(void **state)
{
	const struct want cr = { CGN_EV_SESSION_CREATE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 6, 1782820800503LL, CGN_TS_UTC, 0,
	    "10.17.3.2", 80, 0, NULL };
	const struct want de = { CGN_EV_SESSION_DELETE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 6, RX_2026_07_01, CGN_TS_RX, 0,
	    "10.17.3.2", 80, 0, NULL };

	(void)state;
	expect_events("<189>45: router1: *Jun 30 12:00:00.503 UTC:"
	    " %IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800"
	    " 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80", RX_2026_07_01,
	    NULL, &cr, 1);
	/* the blog's form: a time of day only, so the receive time */
	expect_events("12:18:47.751: %IPNAT-6-NAT_DELETED: Deleted tcp"
	    " 10.0.0.1:43800 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80",
	    RX_2026_07_01, NULL, &de, 1);
}

static void
cisco_ios_local_stamp_uses_device_zone_and_bad_lines(void **state)
{
	/* 14:00:00.503 CEST = 12:00:00.503Z */
	const struct want cr = { CGN_EV_SESSION_CREATE, "10.0.0.1", 43800,
	    "10.17.3.32", 1024, 1024, 17, 1782820800503LL, CGN_TS_LOCAL, 0,
	    "10.17.3.2", 53, 0, NULL };
	static const char *const bad[] = {
		"%IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800"
		    " 10.17.3.32 192.168.0.1:80 10.17.3.2:80",
		"%IPNAT-6-NAT_CREATED: Created xyz 10.0.0.1:43800"
		    " 10.17.3.32:1024 192.168.0.1:80 10.17.3.2:80",
	};
	static const char *const trunc[] = {
		"%IPNAT-6-NAT_CREATED: Created tcp 10.0.0.1:43800",
	};
	static const char *const ok[] = {
		"%IPNAT-4-ADDR_ALLOC_FAILURE: Address allocation failed",
	};
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	expect_events("<189>46: r1: Jun 30 2026 14:00:00.503:"
	    " %IPNAT-6-CREATED: udp 10.0.0.1:43800 10.17.3.32:1024"
	    " 192.168.0.1:53 10.17.3.2:53", RX_2026_07_01, tz, &cr, 1);
	tz_free(tz);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	expect_rc(ok, NELEM(ok), CGN_OK);
}

/* ---- F5 BIG-IP LSN ----------------------------------------------------- */

/* techdocs.f5.com "Using CGNAT translation modes" (BIG-IP 15.0), NAPT log
 * examples: the same LSN_ADD in Splunk key=value, quoted-concatenated and
 * local tmm renderings, route domains, an IPv6 client "addr.port". */
static void
f5_documented_renderings(void **state)
{
	/* Mar 27 11:17:39 in 2026 (nearest the receive time), UTC */
	const int64_t t = 1774610259000LL;
	const struct want add = { CGN_EV_SESSION_CREATE, "10.10.10.1", 33950,
	    "5.5.5.1", 10000, 10000, 0, t, CGN_TS_UTC, 0, NULL, 0, 0, NULL };
	struct want del = add, rd = add, v6 = add;
	struct want tmm = add;

	(void)state;
	del.type = CGN_EV_SESSION_DELETE;
	rd.inside_port = 59187;
	rd.vrf = 11;
	v6.inside = "2701:1:12:123:1234:432:43:100";
	v6.inside_port = 39900;
	tmm.ts = 1774610597000LL;	/* 11:23:17 */
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_ADD\","
	    "cli=\"10.10.10.1: 33950\",nat=\"5.5.5.1:10000\"", RX_2026_07_01,
	    NULL, &add, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 \"LSN_ADD\""
	    "\"10.10.10.1: 33950\"\"5.5.5.1:10000\"", RX_2026_07_01, NULL,
	    &add, 1);
	expect_events("Mar 27 11:23:17 localhost info tmm[32683]: \"LSN_ADD\""
	    "\"10.10.10.1:33950\"\"5.5.5.1:10000\"", RX_2026_07_01, NULL,
	    &tmm, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_DELETE\","
	    "cli=\"10.10.10.1: 33950\",nat=\"5.5.5.1:10000\"", RX_2026_07_01,
	    NULL, &del, 1);
	expect_events("Mar 27 11:17:39 10.10.21.200 lsn_event=\"LSN_ADD\","
	    "cli=\"10.10.10.1%11: 59187\",nat=\"5.5.5.1%22:10000\"",
	    RX_2026_07_01, NULL, &rd, 1);
	expect_events("Mar 27 11:17:39 10.10.10.200 lsn_event=\"LSN_ADD\","
	    "cli=\"2701: 1:12:123:1234:432:43:100.39900\","
	    "nat=\"5.5.5.1:10000\"", RX_2026_07_01, NULL, &v6, 1);
}

/* PBA mode (event names reconstructed, formats.md 2.4 [U]) and bad lines. */
static void
f5_port_blocks_and_bad_lines(void **state)
{
	const struct want pb = { CGN_EV_PBA_ALLOC, "10.10.10.1", 0, "5.5.5.1",
	    10000, 10511, 0, RX_2026_07_01, CGN_TS_RX, 0, NULL, 0, 0, NULL };
	static const char *const bad[] = {
		"lsn_event=\"LSN_ADD\",cli=\"10.10.10.1\","
		    "nat=\"5.5.5.1:10000\"",
		"lsn_event=\"LSN_ADD\",cli=\"10.10.10.1:1\"",
		"\"LSN_ADD\"\"10.10.10.1:1\"\"5.5.5.999:10000\"",
		"lsn_event=\"LSN_PB_ALLOCATED\",cli=\"10.10.10.1\","
		    "nat=\"5.5.5.1:10511-10000\"",
	};
	static const char *const ok[] = {
		"lsn_event=\"LSN_INBOUND_ADD\",cli=\"10.10.10.1:1\","
		    "nat=\"5.5.5.1:10000\"",
	};

	(void)state;
	expect_events("lsn_event=\"LSN_PB_ALLOCATED\",cli=\"10.10.10.1\","
	    "nat=\"5.5.5.1:10000-10511\"", RX_2026_07_01, NULL, &pb, 1);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(ok, NELEM(ok), CGN_OK);
	prefixes_are_survived("\"LSN_ADD\"\"10.10.10.1: 33950\""
	    "\"5.5.5.1:10000\"");
}

/* ---- Nokia SR OS ------------------------------------------------------- */

/* 7750 SR ISA/ESA guide "Syslog flow logging": 3164 header, "<prefix>:
 * <seq> NAT [<MDA>]:", several events per message, each "LSN44 SADD <Year>
 * <Mon> <Day> <hh:mm:ss:cs> <TZ>"; the fields after the time are our
 * reconstruction (see syslog_nokia.c). */
static void
nokia_flow_log_two_events_with_local_times(void **state)
{
	const char *line = "<134>Jun 30 14:00:01 192.0.2.1 TMNX: 1234 NAT"
	    " [1/1]: LSN44 SADD 2026 Jun 30 14:00:00:25 CEST TCP 10.1.1.2"
	    " 1024 203.0.113.5 4096 192.0.2.80 80 LSN44 SDEL 2026 Jun 30"
	    " 14:00:01:50 CEST UDP 10.1.1.3 5000 203.0.113.5 4097"
	    " 192.0.2.81 53";
	/* 14:00:00.25 CEST = 12:00:00.250Z */
	const struct want w[2] = {
		{ CGN_EV_SESSION_CREATE, "10.1.1.2", 1024, "203.0.113.5", 4096,
		    4096, 6, 1782820800250LL, CGN_TS_LOCAL, 0, "192.0.2.80",
		    80, 0, NULL },
		{ CGN_EV_SESSION_DELETE, "10.1.1.3", 5000, "203.0.113.5", 4097,
		    4097, 17, 1782820801500LL, CGN_TS_LOCAL, 0, "192.0.2.81",
		    53, 0, NULL },
	};
	struct cgn_tz *tz = NULL;

	(void)state;
	assert_int_equal(tz_parse_posix("CET-1CEST,M3.5.0,M10.5.0/3", &tz),
	    CGN_OK);
	expect_events(line, RX_2026_07_01, tz, w, 2);
	tz_free(tz);
}

static void
nokia_utc_designator_block_event_and_bad_lines(void **state)
{
	const struct want utc = { CGN_EV_SESSION_CREATE, "10.1.1.2", 1024,
	    "203.0.113.5", 4096, 4096, 6, 1782820800250LL, CGN_TS_UTC, 0,
	    "192.0.2.80", 80, 0, NULL };
	const struct want blk = { CGN_EV_PBA_ALLOC, "10.1.1.2", 0,
	    "203.0.113.5", 2048, 2559, 0, RX_2026_07_01, CGN_TS_RX, 0, NULL,
	    0, 0, NULL };
	static const char *const bad[] = {
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SMOD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jux 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 203.0.113.5 4096",
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024",
		/* the unspecified address where the public one goes (found by
		 * the fuzzer): no event rather than one without an outside */
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 0:: 1234",
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25 UTC TCP"
		    " 10.1.1.2 1024 0.0.0.0 4096 192.0.2.80 80",
	};
	static const char *const trunc[] = {
		"TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30",
	};

	(void)state;
	expect_events("TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30 12:00:00:25"
	    " UTC TCP 10.1.1.2 1024 203.0.113.5 4096 192.0.2.80 80",
	    RX_2026_07_01, NULL, &utc, 1);
	expect_events("TMNX: 99 Base NAT-MINOR-tmnxNatPlBlockAllocationLsn-2012"
	    " [NAT]: Map 203.0.113.5 [2048-2559] MDA 1/1 -- 10.1.1.2 vprn1",
	    RX_2026_07_01, NULL, &blk, 1);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived("TMNX: 1 NAT [1/1]: LSN44 SADD 2026 Jun 30"
	    " 12:00:00:25 UTC TCP 10.1.1.2 1024 203.0.113.5 4096 192.0.2.80"
	    " 80");
}

/* ---- Huawei and H3C ---------------------------------------------------- */

/* Huawei NetEngine 8000 F1A "CGN log" feature description, flow syslog
 * type3 examples (verbatim lines). */
static void
huawei_type3_flow_syslog_examples(void **state)
{
	const struct want a = { CGN_EV_SESSION_CREATE, "10.1.1.2", 0,
	    "172.16.1.1", 1025, 1025, 17, 1579259155000LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	/* 17:11:27 */
	const struct want n64 = { CGN_EV_SESSION_CREATE, "2001:db8:1::2:2", 0,
	    "10.11.11.100", 2048, 2048, 17, 1579281087000LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	struct want w = a;

	(void)state;
	w.type = CGN_EV_SESSION_DELETE;
	w.ts = 1579259163000LL;		/* 11:06:03 */
	expect_events("<134>1 2020 Jan 17 11:05:55 68.1.1.1 test -"
	    " NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 1025 -]",
	    RX_2026_07_01, NULL, &a, 1);
	expect_events("<134>1 2020 Jan 17 11:06:03 68.1.1.1 test -"
	    " NAT444:SessionbasedW [17 10.1.1.2 - 172.16.1.1 0 1025 -]",
	    RX_2026_07_01, NULL, &w, 1);
	expect_events("<134>1 2020 Jan 17 17:11:27 10.1.1.1 test -"
	    " NAT64:SessionbasedA [17 - 2001:DB8:1::2:2 10.11.11.100 0 2048"
	    " -]", RX_2026_07_01, NULL, &n64, 1);
}

/* HPE MSR router "Exporting NAT logs to the information center" example
 * (verbatim fields, one line as a syslog server stores it). */
static void
h3c_comware_session_log_created_and_over(void **state)
{
	const struct want cr = { CGN_EV_SESSION_CREATE, "192.168.1.6", 768,
	    "1.1.1.1", 12288, 12288, 1, 1120710003000LL, CGN_TS_UTC, 0,
	    "2.2.2.2", 768, 0, NULL };
	struct want over = cr;

	(void)state;
	over.type = CGN_EV_SESSION_DELETE;
	over.ts = 1120710009000LL;
	over.start = 1120710003000LL;
	expect_events("%@250005%Jul 7 04:20:04:72 2005 DeviceA USERLOG/7/NAT:"
	    " ICMP; 192.168.1.6:768--->1.1.1.1:12288; 2.2.2.2:768;"
	    " [2005/07/07 04:20:03-0000/00/00 00:00:00]; Operator 8: Data"
	    " flow created", RX_2026_07_01, NULL, &cr, 1);
	expect_events("%@250006%Jul 7 04:20:10:72 2005 DeviceA USERLOG/7/NAT:"
	    " ICMP; 192.168.1.6:768--->1.1.1.1:12288; 2.2.2.2:768;"
	    " [2005/07/07 04:20:03-2005/07/07 04:20:09]; Operator 1: Normal"
	    " over", RX_2026_07_01, NULL, &over, 1);
}

static void
huawei_h3c_bad_and_irrelevant_lines(void **state)
{
	static const char *const bad[] = {
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 70000 -]",
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1 0 1025 - x]",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20:03-0000/00/00 00:00:00];"
		    " Operator 8: Data flow created",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20-0000/00/00 00:00:00];"
		    " Operator 8: Data flow created",
	};
	static const char *const trunc[] = {
		"NAT444:SessionbasedA [17 10.1.1.2 - 172.16.1.1",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;",
	};
	static const char *const ok[] = {
		"NAT444:Portblockrunout [17 10.1.1.2 - 172.16.1.1 - - -]",
		"USERLOG/7/NAT: ICMP; 192.168.1.6:768--->1.1.1.1:12288;"
		    " 2.2.2.2:768; [2005/07/07 04:20:03-0000/00/00 00:00:00];"
		    " Operator 6: Active data flow timeout",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	expect_rc(ok, NELEM(ok), CGN_OK);
	prefixes_are_survived(bad[2]);
}

/* ---- FortiGate --------------------------------------------------------- */

/* FortiOS Log Message Reference: 22015 LOG_ID_IPPOOLPBA_CREATE (nat, saddr,
 * poolname, portbegin, portend), 22016 DEALLOCATE (+duration), traffic
 * logs (srcip, srcport, transip, transport, trandisp=snat). The line
 * shape is formats.md 2.7's [U]; values ours. */
static void
fortigate_pba_and_snat_traffic(void **state)
{
	const struct want cr = { CGN_EV_PBA_ALLOC, "100.64.12.34", 0,
	    "198.51.100.7", 20480, 20607, 0, 1718186694123LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	const struct want de = { CGN_EV_PBA_RELEASE, "100.64.12.34", 0,
	    "198.51.100.7", 20480, 20607, 0, 1718179494000LL, CGN_TS_UTC,
	    1718179494000LL - 3600000, NULL, 0, 0, NULL };
	const struct want tr = { CGN_EV_SESSION_DELETE, "10.0.0.7", 40000,
	    "203.0.113.7", 2222, 2222, 6, 1782828000000LL, CGN_TS_UTC,
	    1782828000000LL - 65000, "192.0.2.80", 443, 0, NULL };

	(void)state;
	/* eventtime in nanoseconds wins over date/time/tz */
	expect_events("<189>date=2024-06-12 time=10:04:54"
	    " eventtime=1718186694123456789 tz=\"+0200\" logid=\"0100022015\""
	    " type=\"event\" subtype=\"system\" level=\"notice\" vd=\"root\""
	    " logdesc=\"IP pool PBA created\" nat=198.51.100.7"
	    " saddr=\"100.64.12.34\" poolname=\"cgn-pool\" portbegin=20480"
	    " portend=20607", RX_2026_07_01, NULL, &cr, 1);
	/* no eventtime: date/time at tz +0200 */
	expect_events("date=2024-06-12 time=10:04:54 tz=\"+0200\""
	    " logid=\"0100022016\" type=\"event\" subtype=\"system\""
	    " nat=198.51.100.7 saddr=\"100.64.12.34\" poolname=\"cgn-pool\""
	    " portbegin=20480 portend=20607 duration=3600", RX_2026_07_01,
	    NULL, &de, 1);
	expect_events("date=2026-06-30 time=14:00:00 logid=\"0000000013\""
	    " type=\"traffic\" subtype=\"forward\" srcip=10.0.0.7"
	    " srcport=40000 dstip=192.0.2.80 dstport=443 proto=6"
	    " action=\"close\" trandisp=\"snat\" transip=203.0.113.7"
	    " transport=2222 duration=65", RX_2026_07_01, NULL, &tr, 1);
}

static void
fortigate_irrelevant_and_bad_lines(void **state)
{
	static const char *const ok[] = {
		"date=2026-06-30 time=14:00:00 logid=\"0000000013\""
		    " type=\"traffic\" srcip=10.0.0.7 srcport=40000"
		    " action=\"deny\" trandisp=\"noop\"",
		"date=2026-06-30 time=14:00:00 logid=\"0100032001\""
		    " type=\"event\" subtype=\"system\""
		    " logdesc=\"Admin login\"",
		"logid=\"0419016384\" type=\"utm\" subtype=\"ips\"",
	};
	static const char *const bad[] = {
		"logid=\"0100022015\" type=\"event\" nat=198.51.100.7"
		    " saddr=\"100.64.12.34\" portbegin=20607 portend=20480",
		"logid=\"0100022015\" type=\"event\" nat=198.51.100.7"
		    " saddr=\"100.64.12.34\" portbegin=20480",
		"date=2026-06-30 time=14:00 logid=\"0100022015\""
		    " type=\"event\" nat=198.51.100.7 saddr=\"100.64.12.34\""
		    " portbegin=20480 portend=20607",
		"logid=\"0000000013\" type=\"traffic\" srcip=10.0.0.7"
		    " srcport=40000 trandisp=\"snat\" transip=203.0.113.7"
		    " proto=6",
	};

	(void)state;
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[0]);
}

/* ---- Palo Alto --------------------------------------------------------- */

/* PAN-OS TRAFFIC syslog, default field order (Palo Alto "Traffic Log
 * Fields"); values ours. */
#define PAN_HEAD "<14>Jun 30 14:00:00 PA-VM 1,2026/06/30 14:00:00," \
	"007051000113358,TRAFFIC,"
#define PAN_MID ",2049,2026/06/30 14:00:00,10.0.0.7,192.0.2.80,"
#define PAN_TAIL ",192.0.2.80,\"rule, one\",,,ssl,vsys1,trust,untrust," \
	"ethernet1/2,ethernet1/1,fwd,2026/06/30 14:00:00,1234,1,40000,443," \
	"2222,443,0x400019,tcp,allow,5000,2000,3000,20,2026/06/30 13:58:55," \
	"65,any,0,8837,0x0,10.0.0.0-10.255.255.255,United States,0,12,8"

static void
paloalto_traffic_end_start_and_no_nat(void **state)
{
	const struct want end = { CGN_EV_SESSION_DELETE, "10.0.0.7", 40000,
	    "203.0.113.7", 2222, 2222, 6, 1782828000000LL, CGN_TS_UTC,
	    1782827935000LL, "192.0.2.80", 443, 0, NULL };
	struct want start = end;
	static const char *const ok[] = {
		PAN_HEAD "drop" PAN_MID "203.0.113.7" PAN_TAIL,
		PAN_HEAD "end" PAN_MID "0.0.0.0" PAN_TAIL,
		"<14>Jun 30 14:00:00 PA-VM 1,2026/06/30 14:00:00,0070510,"
		    "THREAT,url,2049,x",
	};
	static const char *const bad[] = {
		PAN_HEAD "end" PAN_MID "203.0.113.777" PAN_TAIL,
		"1,2026/06/30 14:00:00,007051000113358,TRAFFIC,end,2049,"
		    "2026/06/30 14:00,10.0.0.7,192.0.2.80,203.0.113.7"
		    PAN_TAIL,
	};
	static const char *const trunc[] = {
		"1,2026/06/30 14:00:00,007051000113358,TRAFFIC,end,2049,x,y",
	};

	(void)state;
	start.type = CGN_EV_SESSION_CREATE;
	start.ts = 1782827935000LL;	/* its Start Time */
	start.start = 0;
	expect_events(PAN_HEAD "end" PAN_MID "203.0.113.7" PAN_TAIL,
	    RX_2026_07_01, NULL, &end, 1);
	expect_events(PAN_HEAD "start" PAN_MID "203.0.113.7" PAN_TAIL,
	    RX_2026_07_01, NULL, &start, 1);
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	expect_rc(trunc, NELEM(trunc), CGN_ETRUNC);
	prefixes_are_survived(PAN_HEAD "end" PAN_MID "203.0.113.7" PAN_TAIL);
}

/* ---- FD.io VPP --------------------------------------------------------- */

/* FDio/vpp src/plugins/nat/lib/nat_syslog.c: APP-NAME NAT, MSGID APMADD/
 * APMDEL (SD-ID napmap) and SADD/SDEL (nsess), parameters in its order. */
static void
vpp_apmadd_sdel_and_dslite(void **state)
{
	const int64_t t = 1782820800123LL;
	const struct want ap = { CGN_EV_SESSION_CREATE, "100.64.1.2", 53124,
	    "198.51.100.7", 20481, 20481, 6, t, CGN_TS_UTC, 0, NULL, 0, 7,
	    NULL };
	const struct want sd = { CGN_EV_SESSION_DELETE, "100.64.1.2", 53124,
	    "198.51.100.7", 20481, 20481, 17, t, CGN_TS_UTC, 0, "192.0.2.53",
	    53, 0, NULL };
	const struct want ds = { CGN_EV_SESSION_CREATE, "2001:db8::b4", 1000,
	    "198.51.100.7", 20482, 20482, 6, t, CGN_TS_UTC, 0, NULL, 0, 0,
	    "192.168.1.2" };

	(void)state;
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 APMADD"
	    " [napmap SSUBIX=\"0\" SVLAN=\"7\" IATYP=\"IPv4\""
	    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20481\" PROTO=\"6\"]",
	    RX_2026_07_01, NULL, &ap, 1);
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 SDEL"
	    " [nsess SSUBIX=\"0\" SVLAN=\"0\" IATYP=\"IPv4\""
	    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20481\" PROTO=\"17\""
	    " XDADDR=\"192.0.2.53\" XDPORT=\"53\"]", RX_2026_07_01, NULL, &sd,
	    1);
	expect_events("<134>1 2026-06-30T12:00:00.123Z cgn1 NAT 1234 APMADD"
	    " [napmap SSUBIX=\"1\" SV6ENC=\"2001:db8::b4\" IATYP=\"IPv4\""
	    " ISADDR=\"192.168.1.2\" ISPORT=\"1000\" XATYP=\"IPv4\""
	    " XSADDR=\"198.51.100.7\" XSPORT=\"20482\" PROTO=\"6\"]",
	    RX_2026_07_01, NULL, &ds, 1);
}

static void
vpp_bad_lines(void **state)
{
	static const char *const bad[] = {
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 APMADD [napmap"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" PROTO=\"6\"]",
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 APMXXX [napmap"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" XSPORT=\"1\" PROTO=\"6\"]",
		"<134>1 2026-06-30T12:00:00Z cgn1 NAT 1 SADD [nsess"
		    " ISADDR=\"100.64.1.2\" ISPORT=\"53124\""
		    " XSADDR=\"198.51.100.7\" XSPORT=\"1\" PROTO=\"6\"]",
	};

	(void)state;
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[2]);
}

/* ---- AT&T Vyatta / DANOS ----------------------------------------------- */

/* danos/vyatta-dataplane src/npf/cgnat/cgn_log_rte.c format strings
 * (PB_ALLOCATED, PB_RELEASED, SESSION_CREATE; times in microseconds). */
static void
vyatta_blocks_and_sessions_with_microsecond_times(void **state)
{
	const struct want al = { CGN_EV_PBA_ALLOC, "100.64.1.2", 0,
	    "198.51.100.7", 1024, 1151, 0, 1718186694123LL, CGN_TS_UTC, 0,
	    NULL, 0, 0, NULL };
	const struct want re = { CGN_EV_PBA_RELEASE, "100.64.1.2", 0,
	    "198.51.100.7", 1024, 1151, 0, 1718190294654LL, CGN_TS_UTC,
	    1718186694123LL, NULL, 0, 0, NULL };
	const struct want se = { CGN_EV_SESSION_CREATE, "100.64.1.2", 53124,
	    "198.51.100.7", 1030, 1030, 6, 1718186694123LL, CGN_TS_UTC, 0,
	    "8.8.8.8", 443, 0, NULL };

	(void)state;
	expect_events("<133>Jun 12 10:04:54 vr1 dataplane[1]: CGNAT:"
	    " PB_ALLOCATED subs-addr=100.64.1.2 policy=POL1"
	    " pub-addr=198.51.100.7 pool=POOL1 port=1024-1151"
	    " start-time=1718186694123456", RX_2026_07_01, NULL, &al, 1);
	expect_events("CGNAT: PB_RELEASED subs-addr=100.64.1.2 policy=POL1"
	    " pub-addr=198.51.100.7 pool=POOL1 port=1024-1151"
	    " start-time=1718186694123456 end-time=1718190294654321",
	    RX_2026_07_01, NULL, &re, 1);
	expect_events("CGNAT: SESSION_CREATE ifname=dp0p1 session-id=12.1"
	    " proto=6 dir=out addr=100.64.1.2->8.8.8.8 port=53124->443"
	    " cgn-addr=198.51.100.7 cgn-port=1030 state=OP[1]"
	    " start-time=1718186694123456", RX_2026_07_01, NULL, &se, 1);
}

static void
vyatta_irrelevant_and_bad_lines(void **state)
{
	static const char *const ok[] = {
		"CGNAT: SESSION_CLEAR desc=\"clear\" count=1234 time=17181",
		"CGNAT: PB_FULL pub-addr=198.51.100.7 blocks=8/8",
		"CGNAT: SESSION_ACTIVE ifname=dp0p1 session-id=12.1 proto=6"
		    " dir=out addr=100.64.1.2->8.8.8.8 port=53124->443"
		    " cgn-addr=198.51.100.7 cgn-port=1030",
	};
	static const char *const bad[] = {
		"CGNAT: PB_ALLOCATED subs-addr=100.64.1.2 pub-addr=198.51.100.7"
		    " port=1151-1024 start-time=1718186694123456",
		"CGNAT: PB_ALLOCATED subs-addr=100.64.1.2 pub-addr=198.51.100.7"
		    " port=1024-1151 start-time=17x",
		"CGNAT: SESSION_CREATE proto=6 addr=100.64.1.2 port=53124->443"
		    " cgn-addr=198.51.100.7 cgn-port=1030",
	};

	(void)state;
	expect_rc(ok, NELEM(ok), CGN_OK);
	expect_rc(bad, NELEM(bad), CGN_EMALFORMED);
	prefixes_are_survived(bad[0]);
}

/* ---- dispatch ---------------------------------------------------------- */

static void
lines_no_vendor_claims_are_unknown(void **state)
{
	static const char *const t[] = {
		"hello world",
		"<14>Jun 30 22:44:25 host sshd[1]: Accepted publickey",
		"<14>1 2026-11-28T10:15:03Z host app - - - hello",
		"Oct 10 2018 12:34:56 localhost kernel: eth0 link up",
		"<14>Jun 30 22:44:25 host app: NAT is on; ports 1024-2047",
		"<14>Jun 30 22:44:25 host app: the EXTERNAL link is up",
		"<14>Jun 30 22:44:25 host app: CGNAT: pool is fine",
		"<14>Jun 30 22:44:25 host app: a,SYSTEM,b",
	};

	(void)state;
	expect_rc(t, NELEM(t), CGN_EUNKNOWN);
}

/* ---- main ------------------------------------------------------------- */

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cisco_xr_several_records_per_datagram),
		cmocka_unit_test(
		    cisco_xr_broken_records_drop_the_whole_datagram),
		cmocka_unit_test(cisco_ios_nat_created_and_deleted),
		cmocka_unit_test(
		    cisco_ios_local_stamp_uses_device_zone_and_bad_lines),
		cmocka_unit_test(f5_documented_renderings),
		cmocka_unit_test(f5_port_blocks_and_bad_lines),
		cmocka_unit_test(nokia_flow_log_two_events_with_local_times),
		cmocka_unit_test(
		    nokia_utc_designator_block_event_and_bad_lines),
		cmocka_unit_test(huawei_type3_flow_syslog_examples),
		cmocka_unit_test(h3c_comware_session_log_created_and_over),
		cmocka_unit_test(huawei_h3c_bad_and_irrelevant_lines),
		cmocka_unit_test(fortigate_pba_and_snat_traffic),
		cmocka_unit_test(fortigate_irrelevant_and_bad_lines),
		cmocka_unit_test(paloalto_traffic_end_start_and_no_nat),
		cmocka_unit_test(vpp_apmadd_sdel_and_dslite),
		cmocka_unit_test(vpp_bad_lines),
		cmocka_unit_test(
		    vyatta_blocks_and_sessions_with_microsecond_times),
		cmocka_unit_test(vyatta_irrelevant_and_bad_lines),
		cmocka_unit_test(lines_no_vendor_claims_are_unknown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
