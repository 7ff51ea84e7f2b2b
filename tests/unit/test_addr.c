/* SPDX-License-Identifier: MIT */
/* addr.c: IPv4, CIDR and MAC parsing, formatting and pool arithmetic. */
#include <errno.h>

#include "unit.h"

#include "nsrun/addr.h"

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

static struct nsrun_prefix prefix_of(const char *s)
{
	struct nsrun_prefix p;

	if (nsrun_prefix_parse(s, &p, false) < 0)
		fail_msg("test setup: bad prefix %s", s);
	return p;
}

static uint32_t host_of(const char *s)
{
	struct nsrun_addr a = addr_of(s);

	return nsrun_addr_v4_host(&a);
}

/* ---- nsrun_addr_parse ---------------------------------------------------- */

struct addr_row {
	const char *name;
	const char *in;
	int rc;
	uint32_t want;               /* host order, when rc == 0 */
};

static const struct addr_row addr_rows[] = {
	{ "all zero", "0.0.0.0", 0, 0 },
	{ "all ones", "255.255.255.255", 0, 0xffffffffu },
	{ "private", "10.47.0.2", 0, IP4(10, 47, 0, 2) },
	{ "every octet distinct", "1.2.3.4", 0, IP4(1, 2, 3, 4) },
	{ "octets 0 and 255", "0.255.0.255", 0, IP4(0, 255, 0, 255) },
	{ "leading zero first octet", "01.2.3.4", -EINVAL, 0 },
	{ "leading zero inner octet", "192.168.001.1", -EINVAL, 0 },
	{ "double zero", "10.00.0.1", -EINVAL, 0 },
	{ "octet 256", "256.1.1.1", -ERANGE, 0 },
	{ "octet 999 last", "1.2.3.999", -ERANGE, 0 },
	{ "octet 2^32", "1.2.3.4294967296", -ERANGE, 0 },
	{ "very long octet", "1.2.3.99999999999999999999999", -ERANGE, 0 },
	{ "three octets", "1.2.3", -EINVAL, 0 },
	{ "two octets", "1.2", -EINVAL, 0 },
	{ "one number", "7", -EINVAL, 0 },
	{ "one big number", "16909060", -ERANGE, 0 },
	{ "trailing dot", "1.2.3.", -EINVAL, 0 },
	{ "leading dot", ".1.2.3", -EINVAL, 0 },
	{ "empty octet", "1..2.3", -EINVAL, 0 },
	{ "five octets", "1.2.3.4.5", -EINVAL, 0 },
	{ "trailing junk", "1.2.3.4x", -EINVAL, 0 },
	{ "trailing prefix", "1.2.3.4/24", -EINVAL, 0 },
	{ "trailing newline", "1.2.3.4\n", -EINVAL, 0 },
	{ "leading space", " 1.2.3.4", -EINVAL, 0 },
	{ "trailing space", "1.2.3.4 ", -EINVAL, 0 },
	{ "inner space", "1. 2.3.4", -EINVAL, 0 },
	{ "plus sign", "+1.2.3.4", -EINVAL, 0 },
	{ "minus sign", "1.2.-3.4", -EINVAL, 0 },
	{ "hex octet", "0x1.2.3.4", -EINVAL, 0 },
	{ "ipv6", "::1", -EINVAL, 0 },
	{ "empty", "", -EINVAL, 0 },
};

static void addr_parse(void **state)
{
	const struct addr_row *row = *state;
	struct nsrun_addr a;

	memset(&a, 0xa5, sizeof(a));
	assert_int_equal(nsrun_addr_parse(row->in, &a), row->rc);
	if (row->rc == 0) {
		assert_int_equal(a.family, AF_INET);
		assert_int_equal(nsrun_addr_v4_host(&a), row->want);
	}
}

static void addr_parse_null(void **state)
{
	struct nsrun_addr a;

	(void)state;
	assert_int_equal(nsrun_addr_parse(NULL, &a), -EINVAL);
}

static void addr_format_round_trip(void **state)
{
	static const char *const in[] = { "0.0.0.0", "255.255.255.255", "10.47.0.2",
					  "192.168.1.10" };
	char buf[NSRUN_ADDR_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct nsrun_addr a = addr_of(in[i]);

		nsrun_addr_format(&a, buf);
		assert_string_equal(buf, in[i]);
	}
}

static void addr_v4_helpers(void **state)
{
	struct nsrun_addr a = nsrun_addr_v4(IP4(10, 47, 0, 2));

	(void)state;
	assert_int_equal(a.family, AF_INET);
	/* Stored in network byte order, as the kernel wants it. */
	assert_memory_equal(&a.u.v4.s_addr, "\x0a\x2f\x00\x02", 4);
	assert_int_equal(nsrun_addr_v4_host(&a), IP4(10, 47, 0, 2));
}

static void addr_cmp_order(void **state)
{
	struct nsrun_addr lo = addr_of("9.255.255.255"), hi = addr_of("10.0.0.0");
	struct nsrun_addr six = { .family = AF_INET6 };

	(void)state;
	/* Numeric, not byte-wise in host order. */
	assert_true(nsrun_addr_cmp(&lo, &hi) < 0);
	assert_true(nsrun_addr_cmp(&hi, &lo) > 0);
	assert_int_equal(nsrun_addr_cmp(&lo, &lo), 0);
	assert_true(nsrun_addr_equal(&hi, &hi));
	assert_false(nsrun_addr_equal(&lo, &hi));
	/* AF_INET sorts before AF_INET6. */
	assert_true(nsrun_addr_cmp(&hi, &six) < 0);
	assert_true(nsrun_addr_cmp(&six, &lo) > 0);
	assert_false(nsrun_addr_equal(&six, &lo));
}

/* ---- nsrun_prefix_parse -------------------------------------------------- */

struct prefix_row {
	const char *name;
	const char *in;
	bool require_network;
	int rc;
	uint32_t addr;
	unsigned int len;
};

static const struct prefix_row prefix_rows[] = {
	{ "/8 network", "10.0.0.0/8", true, 0, IP4(10, 0, 0, 0), 8 },
	{ "/16 network", "10.47.0.0/16", true, 0, IP4(10, 47, 0, 0), 16 },
	{ "/0", "0.0.0.0/0", true, 0, 0, 0 },
	{ "/32 host", "1.2.3.4/32", true, 0, IP4(1, 2, 3, 4), 32 },
	{ "/25 upper half", "192.168.1.128/25", true, 0, IP4(192, 168, 1, 128), 25 },
	{ "host bits set, network required", "10.47.0.1/16", true, -EDOM, 0, 0 },
	{ "host bits set, allowed", "10.47.0.1/16", false, 0, IP4(10, 47, 0, 1), 16 },
	{ "odd /15", "10.47.0.0/15", true, -EDOM, 0, 0 },
	{ "/25 host bit", "192.168.1.129/25", true, -EDOM, 0, 0 },
	{ "/0 with an address", "1.0.0.0/0", true, -EDOM, 0, 0 },
	{ "/0 with an address, allowed", "1.0.0.0/0", false, 0, IP4(1, 0, 0, 0), 0 },
	{ "length 33", "1.2.3.4/33", false, -ERANGE, 0, 0 },
	{ "length 100", "1.2.3.4/100", false, -ERANGE, 0, 0 },
	{ "no length", "10.0.0.0", false, -EINVAL, 0, 0 },
	{ "empty length", "10.0.0.0/", false, -EINVAL, 0, 0 },
	{ "leading zero length", "10.0.0.0/08", false, -EINVAL, 0, 0 },
	{ "negative length", "10.0.0.0/-8", false, -EINVAL, 0, 0 },
	{ "junk after length", "10.0.0.0/8x", false, -EINVAL, 0, 0 },
	{ "space after slash", "10.0.0.0/ 8", false, -EINVAL, 0, 0 },
	{ "trailing space", "10.0.0.0/8 ", false, -EINVAL, 0, 0 },
	{ "two slashes", "10.0.0.0//8", false, -EINVAL, 0, 0 },
	{ "second length", "10.0.0.0/8/8", false, -EINVAL, 0, 0 },
	{ "no address", "/8", false, -EINVAL, 0, 0 },
	{ "bad address", "10.0.0/8", false, -EINVAL, 0, 0 },
	{ "octet out of range", "10.0.0.256/24", false, -ERANGE, 0, 0 },
	{ "empty", "", false, -EINVAL, 0, 0 },
};

static void prefix_parse(void **state)
{
	const struct prefix_row *row = *state;
	struct nsrun_prefix p;

	assert_int_equal(nsrun_prefix_parse(row->in, &p, row->require_network), row->rc);
	if (row->rc == 0) {
		assert_int_equal(p.addr.family, AF_INET);
		assert_int_equal(nsrun_addr_v4_host(&p.addr), row->addr);
		assert_int_equal(p.len, row->len);
	}
}

static void prefix_parse_null(void **state)
{
	struct nsrun_prefix p;

	(void)state;
	assert_int_equal(nsrun_prefix_parse(NULL, &p, false), -EINVAL);
	assert_int_equal(nsrun_prefix_parse(NULL, &p, true), -EINVAL);
}

static void prefix_format_round_trip(void **state)
{
	static const char *const in[] = { "10.47.0.0/16", "0.0.0.0/0", "192.168.1.10/24",
					  "1.2.3.4/32" };
	char buf[NSRUN_PREFIX_STRLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		struct nsrun_prefix p = prefix_of(in[i]);

		nsrun_prefix_format(&p, buf);
		assert_string_equal(buf, in[i]);
	}
}

/* ---- nsrun_addr_parse_maybe_prefix ---------------------------------------- */

struct maybe_row {
	const char *name;
	const char *in;
	int rc;
	uint32_t addr;
	unsigned int len;            /* 99: left alone */
};

static const struct maybe_row maybe_rows[] = {
	{ "bare address", "10.47.0.2", 0, IP4(10, 47, 0, 2), 99 },
	{ "with /16", "10.47.0.2/16", 0, IP4(10, 47, 0, 2), 16 },
	{ "with /0", "10.47.0.2/0", 0, IP4(10, 47, 0, 2), 0 },
	{ "with /32", "10.47.0.2/32", 0, IP4(10, 47, 0, 2), 32 },
	{ "length 33", "10.47.0.2/33", -ERANGE, 0, 99 },
	{ "empty length", "10.47.0.2/", -EINVAL, 0, 99 },
	{ "junk instead of slash", "10.47.0.2:16", -EINVAL, 0, 99 },
	{ "junk after length", "10.47.0.2/16 ", -EINVAL, 0, 99 },
	{ "leading zero length", "10.47.0.2/016", -EINVAL, 0, 99 },
	{ "bad address", "10.47.0/16", -EINVAL, 0, 99 },
	{ "empty", "", -EINVAL, 0, 99 },
};

static void addr_parse_maybe_prefix(void **state)
{
	const struct maybe_row *row = *state;
	unsigned int len = 99;
	struct nsrun_addr a;

	assert_int_equal(nsrun_addr_parse_maybe_prefix(row->in, &a, &len), row->rc);
	assert_int_equal(len, row->len);
	if (row->rc == 0)
		assert_int_equal(nsrun_addr_v4_host(&a), row->addr);
}

static void addr_parse_maybe_prefix_null(void **state)
{
	unsigned int len = 99;
	struct nsrun_addr a;

	(void)state;
	assert_int_equal(nsrun_addr_parse_maybe_prefix(NULL, &a, &len), -EINVAL);
	assert_int_equal(len, 99);
}

/* ---- prefix arithmetic ---------------------------------------------------- */

struct arith_row {
	const char *name;
	const char *in;              /* any address of the subnet, with its length */
	const char *network, *broadcast;
};

static const struct arith_row arith_rows[] = {
	{ "/0", "1.2.3.4/0", "0.0.0.0/0", "255.255.255.255" },
	{ "/8", "10.1.2.3/8", "10.0.0.0/8", "10.255.255.255" },
	{ "/16", "10.47.99.3/16", "10.47.0.0/16", "10.47.255.255" },
	{ "/24", "192.168.1.10/24", "192.168.1.0/24", "192.168.1.255" },
	{ "/25 upper", "192.168.1.200/25", "192.168.1.128/25", "192.168.1.255" },
	{ "/30", "10.0.0.6/30", "10.0.0.4/30", "10.0.0.7" },
	{ "/31", "10.0.0.7/31", "10.0.0.6/31", "10.0.0.7" },
	{ "/32", "10.0.0.7/32", "10.0.0.7/32", "10.0.0.7" },
};

static void prefix_network_broadcast(void **state)
{
	const struct arith_row *row = *state;
	struct nsrun_prefix p = prefix_of(row->in), net;
	struct nsrun_addr brd;
	char buf[NSRUN_PREFIX_STRLEN];

	net = nsrun_prefix_network(&p);
	nsrun_prefix_format(&net, buf);
	assert_string_equal(buf, row->network);
	brd = nsrun_prefix_broadcast(&p);
	nsrun_addr_format(&brd, buf);
	assert_string_equal(buf, row->broadcast);
	/* The subnet holds its own network and broadcast addresses. */
	assert_true(nsrun_prefix_contains(&p, &net.addr));
	assert_true(nsrun_prefix_contains(&p, &brd));
}

static void prefix_contains(void **state)
{
	struct nsrun_prefix p24 = prefix_of("192.168.1.10/24"), p0 = prefix_of("0.0.0.0/0");
	struct nsrun_prefix p32 = prefix_of("10.0.0.7/32");
	struct nsrun_addr a = addr_of("192.168.1.0"), b = addr_of("192.168.1.255");
	struct nsrun_addr below = addr_of("192.168.0.255"), above = addr_of("192.168.2.0");
	struct nsrun_addr six = { .family = AF_INET6 };

	(void)state;
	assert_true(nsrun_prefix_contains(&p24, &a));
	assert_true(nsrun_prefix_contains(&p24, &b));
	assert_false(nsrun_prefix_contains(&p24, &below));
	assert_false(nsrun_prefix_contains(&p24, &above));
	assert_false(nsrun_prefix_contains(&p24, &six));
	assert_true(nsrun_prefix_contains(&p0, &below));
	assert_true(nsrun_prefix_contains(&p0, &b));
	assert_false(nsrun_prefix_contains(&p0, &six));
	assert_true(nsrun_prefix_contains(&p32, &p32.addr));
	a = addr_of("10.0.0.6");
	assert_false(nsrun_prefix_contains(&p32, &a));
}

struct first_host_row {
	const char *name;
	const char *in;
	int rc;
	const char *want;
};

static const struct first_host_row first_host_rows[] = {
	{ "/8", "10.0.0.0/8", 0, "10.0.0.1" },
	{ "/16 default", "10.47.0.0/16", 0, "10.47.0.1" },
	{ "/24", "192.168.7.0/24", 0, "192.168.7.1" },
	{ "/30", "10.0.0.4/30", 0, "10.0.0.5" },
	{ "host bits ignored", "10.47.3.9/16", 0, "10.47.0.1" },
	{ "/31 has no room", "10.0.0.0/31", -ERANGE, NULL },
	{ "/32 has no room", "10.0.0.0/32", -ERANGE, NULL },
};

static void prefix_first_host(void **state)
{
	const struct first_host_row *row = *state;
	struct nsrun_prefix p = prefix_of(row->in);
	struct nsrun_addr a = addr_of("9.9.9.9");
	char buf[NSRUN_ADDR_STRLEN];

	assert_int_equal(nsrun_prefix_first_host(&p, &a), row->rc);
	nsrun_addr_format(&a, buf);
	assert_string_equal(buf, row->want ? row->want : "9.9.9.9");
}

static void prefix_first_host_bad_family(void **state)
{
	struct nsrun_prefix p = { .addr = { .family = AF_INET6 }, .len = 64 };
	struct nsrun_prefix p33 = prefix_of("10.0.0.0/8");
	struct nsrun_addr a;

	(void)state;
	assert_int_equal(nsrun_prefix_first_host(&p, &a), -EAFNOSUPPORT);
	p33.len = 33;
	assert_int_equal(nsrun_prefix_first_host(&p33, &a), -EAFNOSUPPORT);
}

/* ---- pools ---------------------------------------------------------------- */

struct pool_row {
	const char *name;
	const char *gw;              /* the bridge's address/len */
	const char *first, *last;    /* host range, gateway included */
	uint64_t size;
	const char *in[4], *out[6];  /* addresses the pool has / has not */
};

static const struct pool_row pool_rows[] = {
	{ "/0", "0.0.0.1/0", "0.0.0.1", "255.255.255.254", 0xfffffffdu,
	  { "0.0.0.2", "128.0.0.0", "255.255.255.254" },
	  { "0.0.0.0", "0.0.0.1", "255.255.255.255" } },
	{ "/8", "10.0.0.1/8", "10.0.0.1", "10.255.255.254", (1u << 24) - 3,
	  { "10.0.0.2", "10.128.0.0", "10.255.255.254" },
	  { "10.0.0.0", "10.0.0.1", "10.255.255.255", "11.0.0.1", "9.255.255.254" } },
	{ "/16 default", "10.47.0.1/16", "10.47.0.1", "10.47.255.254", 65533,
	  { "10.47.0.2", "10.47.1.0", "10.47.255.254" },
	  { "10.47.0.0", "10.47.0.1", "10.47.255.255", "10.48.0.1" } },
	{ "/24 gateway at the start", "192.168.1.1/24", "192.168.1.1", "192.168.1.254", 253,
	  { "192.168.1.2", "192.168.1.254" },
	  { "192.168.1.0", "192.168.1.1", "192.168.1.255" } },
	{ "/24 gateway in the middle", "192.168.1.10/24", "192.168.1.1", "192.168.1.254", 253,
	  { "192.168.1.1", "192.168.1.9", "192.168.1.11", "192.168.1.254" },
	  { "192.168.1.0", "192.168.1.10", "192.168.1.255", "192.168.2.1" } },
	{ "/24 gateway at broadcast-1", "192.168.1.254/24", "192.168.1.1", "192.168.1.254", 253,
	  { "192.168.1.1", "192.168.1.253" },
	  { "192.168.1.0", "192.168.1.254", "192.168.1.255" } },
	{ "/30", "10.0.0.1/30", "10.0.0.1", "10.0.0.2", 1,
	  { "10.0.0.2" },
	  { "10.0.0.0", "10.0.0.1", "10.0.0.3", "10.0.0.4" } },
	{ "/30 gateway last", "10.0.0.2/30", "10.0.0.1", "10.0.0.2", 1,
	  { "10.0.0.1" },
	  { "10.0.0.0", "10.0.0.2", "10.0.0.3" } },
	/* RFC 3021: both addresses of a /31 are hosts; one is the gateway. */
	{ "/31 gateway low", "10.0.0.6/31", "10.0.0.6", "10.0.0.7", 1,
	  { "10.0.0.7" },
	  { "10.0.0.6", "10.0.0.5", "10.0.0.8" } },
	{ "/31 gateway high", "10.0.0.7/31", "10.0.0.6", "10.0.0.7", 1,
	  { "10.0.0.6" },
	  { "10.0.0.7", "10.0.0.5", "10.0.0.8" } },
	{ "/32 is empty", "10.0.0.7/32", "10.0.0.7", "10.0.0.7", 0,
	  { NULL },
	  { "10.0.0.7", "10.0.0.6", "10.0.0.8" } },
};

static void pool_arithmetic(void **state)
{
	const struct pool_row *row = *state;
	struct nsrun_prefix gw = prefix_of(row->gw);
	struct nsrun_pool pool;
	char buf[NSRUN_PREFIX_STRLEN];
	uint64_t counted = 0;

	assert_int_equal(nsrun_pool_init(&pool, &gw), 0);
	assert_true(nsrun_addr_equal(&pool.gateway, &gw.addr));
	assert_int_equal(pool.net.len, gw.len);
	nsrun_addr_format(&pool.net.addr, buf);
	{
		struct nsrun_prefix net = nsrun_prefix_network(&gw);
		char want[NSRUN_ADDR_STRLEN];

		nsrun_addr_format(&net.addr, want);
		assert_string_equal(buf, want);
	}
	assert_int_equal(pool.first, host_of(row->first));
	assert_int_equal(pool.last, host_of(row->last));
	assert_int_equal(nsrun_pool_size(&pool), row->size);
	for (size_t i = 0; i < 4 && row->in[i]; i++) {
		struct nsrun_addr a = addr_of(row->in[i]);

		if (!nsrun_pool_has(&pool, &a))
			fail_msg("%s should be in the pool of %s", row->in[i], row->gw);
	}
	for (size_t i = 0; i < 6 && row->out[i]; i++) {
		struct nsrun_addr a = addr_of(row->out[i]);

		if (nsrun_pool_has(&pool, &a))
			fail_msg("%s should not be in the pool of %s", row->out[i], row->gw);
	}
	/* Small pools: pool_has agrees with pool_size address by address. */
	if (gw.len >= 20) {
		struct nsrun_addr brd = nsrun_prefix_broadcast(&gw);
		uint32_t lo = nsrun_addr_v4_host(&pool.net.addr), hi = nsrun_addr_v4_host(&brd);

		for (uint64_t h = lo ? lo - 1 : lo; h <= (uint64_t)hi + 1; h++) {
			struct nsrun_addr a = nsrun_addr_v4((uint32_t)h);

			counted += nsrun_pool_has(&pool, &a);
		}
		assert_int_equal(counted, row->size);
	}
}

static void pool_rejects_other_families(void **state)
{
	struct nsrun_prefix six = { .addr = { .family = AF_INET6 }, .len = 64 };
	struct nsrun_prefix gw = prefix_of("10.0.0.1/24");
	struct nsrun_addr a6 = { .family = AF_INET6 };
	struct nsrun_pool pool;

	(void)state;
	assert_int_equal(nsrun_pool_init(&pool, &six), -EAFNOSUPPORT);
	gw.len = 33;
	assert_int_equal(nsrun_pool_init(&pool, &gw), -EAFNOSUPPORT);
	gw.len = 24;
	assert_int_equal(nsrun_pool_init(&pool, &gw), 0);
	/* The low 32 bits of a v6 address must not pass for a pool member. */
	a6.u.v4 = addr_of("10.0.0.2").u.v4;
	assert_false(nsrun_pool_has(&pool, &a6));
}

/* ---- MACs ----------------------------------------------------------------- */

struct mac_row {
	const char *name;
	const char *in;
	int rc;
	uint8_t want[NSRUN_MAC_LEN];
};

static const struct mac_row mac_rows[] = {
	{ "locally administered", "02:6e:0a:2f:00:02", 0, { 0x02, 0x6e, 0x0a, 0x2f, 0x00, 0x02 } },
	{ "upper case", "02:6E:0A:2F:00:0B", 0, { 0x02, 0x6e, 0x0a, 0x2f, 0x00, 0x0b } },
	{ "fe first octet", "fe:ff:ff:ff:ff:ff", 0, { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff } },
	{ "lowest unicast", "00:00:00:00:00:01", 0, { 0, 0, 0, 0, 0, 1 } },
	{ "all zero", "00:00:00:00:00:00", -EDOM, { 0 } },
	{ "multicast", "01:00:5e:00:00:01", -EDOM, { 0 } },
	{ "broadcast", "ff:ff:ff:ff:ff:ff", -EDOM, { 0 } },
	{ "group bit with local bit", "03:00:00:00:00:01", -EDOM, { 0 } },
	{ "one-digit octet", "2:6e:0a:2f:00:02", -EINVAL, { 0 } },
	{ "one-digit last octet", "02:6e:0a:2f:00:2", -EINVAL, { 0 } },
	{ "five octets", "02:6e:0a:2f:00", -EINVAL, { 0 } },
	{ "trailing colon", "02:6e:0a:2f:00:02:", -EINVAL, { 0 } },
	{ "seven octets", "02:6e:0a:2f:00:02:03", -EINVAL, { 0 } },
	{ "dashes", "02-6e-0a-2f-00-02", -EINVAL, { 0 } },
	{ "no separators", "026e0a2f0002", -EINVAL, { 0 } },
	{ "three-digit octet", "02:6e:0a:2f:000:02", -EINVAL, { 0 } },
	{ "not hex", "02:6e:0a:2f:00:0g", -EINVAL, { 0 } },
	{ "leading space", " 02:6e:0a:2f:00:02", -EINVAL, { 0 } },
	{ "trailing space", "02:6e:0a:2f:00:02 ", -EINVAL, { 0 } },
	{ "empty", "", -EINVAL, { 0 } },
};

static void mac_parse(void **state)
{
	const struct mac_row *row = *state;
	uint8_t mac[NSRUN_MAC_LEN] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
	static const uint8_t untouched[NSRUN_MAC_LEN] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };

	assert_int_equal(nsrun_mac_parse(row->in, mac), row->rc);
	/* A refused MAC leaves the output alone. */
	assert_memory_equal(mac, row->rc == 0 ? row->want : untouched, NSRUN_MAC_LEN);
}

static void mac_parse_null(void **state)
{
	uint8_t mac[NSRUN_MAC_LEN];

	(void)state;
	assert_int_equal(nsrun_mac_parse(NULL, mac), -EINVAL);
}

static void mac_format(void **state)
{
	static const uint8_t mac[NSRUN_MAC_LEN] = { 0x02, 0x6e, 0x0a, 0xff, 0x00, 0x0b };
	char buf[NSRUN_MAC_STRLEN];
	uint8_t back[NSRUN_MAC_LEN];

	(void)state;
	nsrun_mac_format(mac, buf);
	assert_string_equal(buf, "02:6e:0a:ff:00:0b");
	assert_int_equal(nsrun_mac_parse(buf, back), 0);
	assert_memory_equal(back, mac, NSRUN_MAC_LEN);
}

static void mac_derived(void **state)
{
	static const uint8_t inner_want[NSRUN_MAC_LEN] = { 0x02, 0x6e, 0x0a, 0x2f, 0x00, 0x02 };
	static const uint8_t host_want[NSRUN_MAC_LEN] = { 0xfe, 0x6e, 0x0a, 0x2f, 0x00, 0x02 };
	static const char *const addrs[] = { "0.0.0.0", "10.47.0.2", "255.255.255.255",
					     "192.168.1.1" };
	struct nsrun_addr a = addr_of("10.47.0.2");
	uint8_t inner[NSRUN_MAC_LEN], host[NSRUN_MAC_LEN], back[NSRUN_MAC_LEN];
	char buf[NSRUN_MAC_STRLEN];

	(void)state;
	nsrun_mac_inner(&a, inner);
	nsrun_mac_host(&a, host);
	assert_memory_equal(inner, inner_want, NSRUN_MAC_LEN);
	assert_memory_equal(host, host_want, NSRUN_MAC_LEN);
	/* Every derived MAC is one --mac would accept: unicast, not zero; the
	 * inner one locally administered, the host one 0xfe. */
	for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		a = addr_of(addrs[i]);
		nsrun_mac_inner(&a, inner);
		nsrun_mac_host(&a, host);
		nsrun_mac_format(inner, buf);
		assert_int_equal(nsrun_mac_parse(buf, back), 0);
		nsrun_mac_format(host, buf);
		assert_int_equal(nsrun_mac_parse(buf, back), 0);
		assert_int_equal(inner[0], 0x02);
		assert_int_equal(host[0], 0xfe);
		assert_memory_equal(inner + 1, host + 1, NSRUN_MAC_LEN - 1);
	}
	/* Distinct addresses, distinct MACs. */
	a = addr_of("10.47.0.2");
	nsrun_mac_inner(&a, inner);
	a = addr_of("10.47.0.3");
	nsrun_mac_inner(&a, back);
	assert_memory_not_equal(inner, back, NSRUN_MAC_LEN);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, addr_parse, addr_rows);
	UNIT(&l, addr_parse_null);
	UNIT(&l, addr_format_round_trip);
	UNIT(&l, addr_v4_helpers);
	UNIT(&l, addr_cmp_order);
	UNIT_TABLE(&l, prefix_parse, prefix_rows);
	UNIT(&l, prefix_parse_null);
	UNIT(&l, prefix_format_round_trip);
	UNIT_TABLE(&l, addr_parse_maybe_prefix, maybe_rows);
	UNIT(&l, addr_parse_maybe_prefix_null);
	UNIT_TABLE(&l, prefix_network_broadcast, arith_rows);
	UNIT(&l, prefix_contains);
	UNIT_TABLE(&l, prefix_first_host, first_host_rows);
	UNIT(&l, prefix_first_host_bad_family);
	UNIT_TABLE(&l, pool_arithmetic, pool_rows);
	UNIT(&l, pool_rejects_other_families);
	UNIT_TABLE(&l, mac_parse, mac_rows);
	UNIT(&l, mac_parse_null);
	UNIT(&l, mac_format);
	UNIT(&l, mac_derived);
	return unit_run(&l, "addr");
}
