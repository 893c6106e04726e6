/*
 * test_pkt.c - unit tests for the frame decoder (parser/pkt.c): Ethernet
 * with QinQ tags and padding, Linux cooked, raw IPv4 and IPv6 with
 * extension headers, down to the UDP payload; cuts, fragments, an unknown
 * link type; and the frame of a real pcap fixture.
 *
 * Expected values are written out as literals (computed independently of
 * the code under test), never derived from it. Fixtures are read from
 * ../shared/fixtures/real at run time (fixtures.c); the tests that need
 * them skip when the folder is absent.
 * Not here: pcap files and capture (test_pcap.c), NFLOG (test_nflog.c).
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
#include "pkt.h"
#include "ptest.h"

/* ---- frames (pkt.c) ----------------------------------------------------- */

static void
pkt_fixture_pcaps_decode_to_udp_payloads(void **state)
{
	uint8_t *buf;
	size_t len;
	struct pkt k;

	(void)state;
	need_fixtures();
	buf = (uint8_t *)fx_read("netflow/ipfix_nokia_bras_lsn.pcap", &len);
	assert_non_null(buf);
	/* 24-byte file header, 16-byte record header, then the frame */
	assert_true(len > 40);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, buf + 40,
	    (size_t)(buf[32] | buf[33] << 8), &k), CGN_OK);
	assert_int_equal(k.ipver, 4);
	assert_int_equal(k.proto, 17);
	assert_addr(&k.src, "192.0.2.1");
	assert_addr(&k.dst, "192.0.2.2");
	assert_int_equal(k.sport, 40000);
	assert_int_equal(k.dport, 4739);
	assert_int_equal(k.paylen, 152);
	assert_int_equal(k.payload[0], 0);
	assert_int_equal(k.payload[1], 10);
	free(buf);
}

/* An IPv4/UDP datagram with payload "abc". */
static size_t
udp4(uint8_t *p, size_t pad)
{
	static const uint8_t ip[] = { 0x45, 0, 0, 31, 0, 0, 0, 0, 64, 17, 0,
	    0, 10, 0, 0, 1, 10, 0, 0, 2, 0x13, 0x88, 0x12, 0x83, 0, 11, 0, 0,
	    'a', 'b', 'c' };

	memcpy(p, ip, sizeof(ip));
	memset(p + sizeof(ip), 0xee, pad);	/* Ethernet padding */
	return sizeof(ip) + pad;
}

static void
pkt_vlan_tags_sll_and_raw_frames(void **state)
{
	uint8_t f[128];
	struct pkt k;
	size_t n;

	(void)state;
	/* QinQ: 802.1ad tag 100, 802.1Q tag 200 */
	memset(f, 0, 12);
	memcpy(f + 12, "\x88\xa8\x00\x64\x81\x00\x00\xc8\x08\x00", 10);
	n = 22 + udp4(f + 22, 15);
	assert_int_equal(pkt_decode(PKT_LINK_ETHERNET, f, n, &k), CGN_OK);
	assert_int_equal(k.nvlan, 2);
	assert_int_equal(k.vlan[0], 100);
	assert_int_equal(k.vlan[1], 200);
	assert_int_equal(k.sport, 5000);
	assert_int_equal(k.dport, 4739);
	assert_int_equal(k.paylen, 3);	/* not the padding */
	assert_memory_equal(k.payload, "abc", 3);
	/* Linux cooked: protocol at bytes 14-15 */
	memset(f, 0, 16);
	f[14] = 0x08;
	n = 16 + udp4(f + 16, 0);
	assert_int_equal(pkt_decode(PKT_LINK_LINUX_SLL, f, n, &k), CGN_OK);
	assert_addr(&k.dst, "10.0.0.2");
	assert_int_equal(k.paylen, 3);
	n = udp4(f, 0);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_OK);
	assert_int_equal(k.paylen, 3);
	/* cut inside the UDP header, inside the IP header */
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, 24, &k), CGN_ETRUNC);
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, 10, &k), CGN_ETRUNC);
	/* a fragment: no transport */
	f[6] = 0x20;
	assert_int_equal(pkt_decode(PKT_LINK_RAW, f, n, &k), CGN_OK);
	assert_int_equal(k.fragment, 1);
	assert_null(k.payload);
	assert_int_equal(pkt_decode(999, f, n, &k), CGN_EINVAL);
}

static void
pkt_ipv6_skips_extension_headers(void **state)
{
	uint8_t f[128];
	struct pkt k;

	(void)state;
	memset(f, 0, sizeof(f));
	f[0] = 0x60;
	f[5] = 8 + 8 + 3;	/* payload length */
	f[6] = 0;		/* hop-by-hop first */
	f[7] = 64;
	f[23] = 1;		/* ::1 -> ::2 */
	f[39] = 2;
	f[40] = 17;		/* hop-by-hop: next UDP, 8 bytes */
	memcpy(f + 48, "\x11\x11\x08\x07\x00\x0b\x00\x00" "abc", 11);
	assert_int_equal(pkt_decode(PKT_LINK_IPV6, f, 59, &k), CGN_OK);
	assert_int_equal(k.ipver, 6);
	assert_addr(&k.src, "::1");
	assert_int_equal(k.proto, 17);
	assert_int_equal(k.dport, 2055);
	assert_int_equal(k.paylen, 3);
	assert_memory_equal(k.payload, "abc", 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pkt_fixture_pcaps_decode_to_udp_payloads),
		cmocka_unit_test(pkt_vlan_tags_sll_and_raw_frames),
		cmocka_unit_test(pkt_ipv6_skips_extension_headers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
