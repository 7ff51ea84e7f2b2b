/* SPDX-License-Identifier: MIT */
/*
 * lease.c: the lease file's text (strict parser, byte-exact serialiser), the
 * table operations, and the allocation and liveness policy against a fake
 * kernel (struct nsrun_liveness backed by arrays).
 */
#include <errno.h>

#include "unit.h"

#include "nsrun/lease.h"

/* ---- helpers -------------------------------------------------------------- */

static struct nsrun_pool pool_of(const char *gw)
{
	struct nsrun_prefix p;
	struct nsrun_pool pool;

	if (nsrun_prefix_parse(gw, &p, false) < 0 || nsrun_pool_init(&pool, &p) < 0)
		fail_msg("test setup: bad pool %s", gw);
	return pool;
}

static const char *fmt_addr(const struct nsrun_addr *a)
{
	static char buf[4][NSRUN_ADDR_STRLEN];
	static unsigned int k;

	k = (k + 1) % 4;
	nsrun_addr_format(a, buf[k]);
	return buf[k];
}

static struct nsrun_lease mk_lease(const char *addr, enum nsrun_lease_state state, pid_t pid,
				   uint64_t start, int ifindex)
{
	struct nsrun_lease l;

	memset(&l, 0, sizeof(l));
	l.addr = addr_of(addr);
	l.state = state;
	l.pid = pid;
	l.start = start;
	l.ifindex = ifindex;
	nsrun_lease_ifname(&l.addr, 0, l.ifname);
	l.created = 1764130000;
	return l;
}

static struct nsrun_lease pending(const char *addr, pid_t pid, uint64_t start)
{
	return mk_lease(addr, NSRUN_LEASE_PENDING, pid, start, 0);
}

static struct nsrun_lease wired(const char *addr, pid_t pid, uint64_t start, int ifindex)
{
	return mk_lease(addr, NSRUN_LEASE_WIRED, pid, start, ifindex);
}

static void put(struct nsrun_lease_table *t, struct nsrun_lease l)
{
	assert_int_equal(nsrun_lease_put(t, &l), 0);
}

/* The table's addresses, space separated, in table order. */
static const char *addrs(const struct nsrun_lease_table *t)
{
	static char buf[4096];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->n; i++) {
		char a[NSRUN_ADDR_STRLEN];

		nsrun_addr_format(&t->v[i].addr, a);
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "", a);
		assert_true(off < sizeof(buf));
	}
	return buf;
}

static char *format(const struct nsrun_lease_table *t)
{
	char *out;
	size_t len;

	char *text;

	assert_int_equal(nsrun_lease_table_format(t, &out, &len), 0);
	/* len bytes of text (a terminating NUL is not promised), none a NUL. */
	assert_null(memchr(out, '\0', len));
	text = strndup(out, len);
	assert_non_null(text);
	free(out);
	return text;
}

/* ---- the fake kernel ------------------------------------------------------ */

#define FAKE_MAX 8

struct fake {
	struct {
		const char *ifname;
		int ifindex;
	} links[FAKE_MAX];
	pid_t exists[FAKE_MAX];           /* kill(pid, 0) succeeds */
	struct {
		pid_t pid;
		uint64_t start;
	} procs[FAKE_MAX];                /* runs, with this start time */
	int live_netns[FAKE_MAX];         /* far end of this veth is not dying */
	unsigned int nlinks, nexists, nprocs, nnetns;
	unsigned int calls_ifindex, calls_exists, calls_alive, calls_netns;
};

static int fake_ifindex(void *ctx, const char *ifname)
{
	struct fake *f = ctx;

	f->calls_ifindex++;
	for (unsigned int i = 0; i < f->nlinks; i++)
		if (!strcmp(f->links[i].ifname, ifname))
			return f->links[i].ifindex;
	return 0;
}

static bool fake_pid_alive(void *ctx, pid_t pid, uint64_t start)
{
	struct fake *f = ctx;

	f->calls_alive++;
	for (unsigned int i = 0; i < f->nprocs; i++)
		if (f->procs[i].pid == pid && f->procs[i].start == start)
			return true;
	return false;
}

static bool fake_pid_exists(void *ctx, pid_t pid)
{
	struct fake *f = ctx;

	f->calls_exists++;
	for (unsigned int i = 0; i < f->nexists; i++)
		if (f->exists[i] == pid)
			return true;
	for (unsigned int i = 0; i < f->nprocs; i++)
		if (f->procs[i].pid == pid)
			return true;
	return false;
}

static bool fake_netns_alive(void *ctx, int ifindex)
{
	struct fake *f = ctx;

	f->calls_netns++;
	for (unsigned int i = 0; i < f->nnetns; i++)
		if (f->live_netns[i] == ifindex)
			return true;
	return false;
}

static struct nsrun_liveness liveness(struct fake *f)
{
	struct nsrun_liveness lv = {
		.ifindex = fake_ifindex,
		.pid_exists = fake_pid_exists,
		.pid_alive = fake_pid_alive,
		.netns_alive = fake_netns_alive,
		.ctx = f,
	};

	return lv;
}

/* A host veth for the lease of addr (its default name). */
static void fake_veth(struct fake *f, const char *addr, int ifindex)
{
	static char names[FAKE_MAX][IFNAMSIZ];
	struct nsrun_addr a = addr_of(addr);

	assert_true(f->nlinks < FAKE_MAX);
	nsrun_lease_ifname(&a, 0, names[f->nlinks]);
	f->links[f->nlinks].ifname = names[f->nlinks];
	f->links[f->nlinks].ifindex = ifindex;
	f->nlinks++;
}

static void fake_proc(struct fake *f, pid_t pid, uint64_t start)
{
	assert_true(f->nprocs < FAKE_MAX);
	f->procs[f->nprocs].pid = pid;
	f->procs[f->nprocs].start = start;
	f->nprocs++;
}

static void fake_pid(struct fake *f, pid_t pid)
{
	assert_true(f->nexists < FAKE_MAX);
	f->exists[f->nexists++] = pid;
}

static void fake_netns(struct fake *f, int ifindex)
{
	assert_true(f->nnetns < FAKE_MAX);
	f->live_netns[f->nnetns++] = ifindex;
}

/* A liveness that says "live" to everything: every veth exists (with
 * ifindex ALL_IFINDEX), every process runs. */
#define ALL_IFINDEX 1000

static int all_ifindex(void *ctx, const char *ifname)
{
	(void)ctx;
	(void)ifname;
	return ALL_IFINDEX;
}

static bool all_exists(void *ctx, pid_t pid)
{
	(void)ctx;
	(void)pid;
	return true;
}

static bool all_alive(void *ctx, pid_t pid, uint64_t start)
{
	(void)ctx;
	(void)pid;
	(void)start;
	return true;
}

static bool all_netns(void *ctx, int ifindex)
{
	(void)ctx;
	(void)ifindex;
	return true;
}

static const struct nsrun_liveness all_live = {
	.ifindex = all_ifindex,
	.pid_exists = all_exists,
	.pid_alive = all_alive,
	.netns_alive = all_netns,
};

/* ---- parse and format ----------------------------------------------------- */

#define HDR "nsrun-leases 1\n"
#define BR "bridge br1 ifindex 7 mac-pinned 0\n"
#define L2 "lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1764130000\n"
#define L3 "lease 10.47.0.3 pending pid 4243 start 81235 ifindex 0 ifname nsr0a2f0003 netns web_1 created 1764130001\n"
#define L10 "lease 10.47.0.10 pending pid 99 start 1 ifindex 0 ifname nsr0a2f000a netns - created 5\n"
/* A lease line with one field replaced: LEASE(addr, state, pid, start, ifindex, ifname, netns, created) */
#define LEASE(a, s, p, st, i, n, ns, c)                                                          \
	"lease " a " " s " pid " p " start " st " ifindex " i " ifname " n " netns " ns " created " c \
	"\n"
#define W(a) LEASE(a, "wired", "4242", "81234", "12", "nsr0a2f0002", "-", "1764130000")

static void parse_canonical(void **state)
{
	static const char text[] = HDR "bridge br1 ifindex 7 mac-pinned 1\n" L2 L3;
	struct nsrun_lease_table t;
	struct nsrun_err err = { 0 };
	char *out;

	(void)state;
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, sizeof(text) - 1, &err), 0);
	assert_string_equal(t.bridge, "br1");
	assert_int_equal(t.bridge_ifindex, 7);
	assert_true(t.mac_pinned);
	assert_int_equal(t.n, 2);
	assert_string_equal(fmt_addr(&t.v[0].addr), "10.47.0.2");
	assert_int_equal(t.v[0].state, NSRUN_LEASE_WIRED);
	assert_int_equal(t.v[0].pid, 4242);
	assert_int_equal(t.v[0].start, 81234);
	assert_int_equal(t.v[0].ifindex, 12);
	assert_string_equal(t.v[0].ifname, "nsr0a2f0002");
	assert_string_equal(t.v[0].netns, "");
	assert_int_equal(t.v[0].created, 1764130000);
	assert_string_equal(fmt_addr(&t.v[1].addr), "10.47.0.3");
	assert_int_equal(t.v[1].state, NSRUN_LEASE_PENDING);
	assert_int_equal(t.v[1].pid, 4243);
	assert_int_equal(t.v[1].start, 81235);
	assert_int_equal(t.v[1].ifindex, 0);
	assert_string_equal(t.v[1].ifname, "nsr0a2f0003");
	assert_string_equal(t.v[1].netns, "web_1");
	assert_int_equal(t.v[1].created, 1764130001);
	out = format(&t);
	assert_string_equal(out, text);
	free(out);
	nsrun_lease_table_free(&t);
}

struct round_row {
	const char *name;
	const char *text;
};

static const struct round_row round_rows[] = {
	{ "no leases", HDR BR },
	{ "no leases, bridge ifindex 0", HDR "bridge br1 ifindex 0 mac-pinned 0\n" },
	{ "pinned", HDR "bridge br1 ifindex 2147483647 mac-pinned 1\n" L2 },
	{ "wired and pending", HDR BR L2 L3 L10 },
	{ "largest values",
	  HDR BR LEASE("255.255.255.255", "wired", "2147483647", "18446744073709551615",
		       "2147483647", "abcdefghijklmno",
		       "n23456789012345678901234567890123456789012345678901234567890123",
		       "9223372036854775807") },
	{ "smallest values",
	  HDR BR LEASE("0.0.0.0", "pending", "1", "0", "0", "x", "a", "0") },
	{ "netns name characters", HDR BR LEASE("10.0.0.1", "pending", "1", "0", "0", "x",
						"A-z_0.9", "0") },
};

static void round_trip(void **state)
{
	const struct round_row *row = *state;
	struct nsrun_lease_table t, t2;
	struct nsrun_err err = { 0 };
	char *out, *out2;

	if (nsrun_lease_table_parse(&t, "br1", row->text, strlen(row->text), &err) < 0)
		fail_msg("parse: %s", err.msg);
	out = format(&t);
	assert_string_equal(out, row->text);
	/* And again from the output, to the same bytes. */
	assert_int_equal(nsrun_lease_table_parse(&t2, "br1", out, strlen(out), &err), 0);
	out2 = format(&t2);
	assert_string_equal(out2, out);
	free(out);
	free(out2);
	nsrun_lease_table_free(&t);
	nsrun_lease_table_free(&t2);
}

static void parse_sorts(void **state)
{
	/* Out of order, and numerically (.10 after .9; 9.x before 10.x). */
	static const char text[] =
		HDR BR L10 LEASE("10.47.0.9", "pending", "1", "1", "0", "a", "-", "1")
			LEASE("9.255.255.255", "pending", "1", "1", "0", "b", "-", "1") L3 L2;
	static const char sorted[] =
		HDR BR LEASE("9.255.255.255", "pending", "1", "1", "0", "b", "-", "1")
			L2 L3 LEASE("10.47.0.9", "pending", "1", "1", "0", "a", "-", "1") L10;
	struct nsrun_lease_table t;
	struct nsrun_err err = { 0 };
	char *out;

	(void)state;
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, sizeof(text) - 1, &err), 0);
	assert_string_equal(addrs(&t), "9.255.255.255 10.47.0.2 10.47.0.3 10.47.0.9 10.47.0.10");
	out = format(&t);
	assert_string_equal(out, sorted);
	free(out);
	nsrun_lease_table_free(&t);
}

struct bad_row {
	const char *name;
	const char *text;
	size_t len;
	const char *msg;
};

#define BAD(n, t, m) { n, t, sizeof(t) - 1, m }

static const struct bad_row bad_rows[] = {
	BAD("empty file", "", "line 1: empty file"),
	BAD("wrong magic", "nsrun-lease 1\n" BR, "line 1: not an nsrun lease file"),
	BAD("header with a third field", "nsrun-leases 1 x\n" BR, "line 1: not an nsrun lease file"),
	BAD("header without version", "nsrun-leases\n" BR, "line 1: not an nsrun lease file"),
	BAD("a lease first", L2 BR, "line 1: not an nsrun lease file"),
	BAD("version 2", "nsrun-leases 2\n" BR,
	    "line 1: unsupported version \"2\" (expected 1)"),
	BAD("version 0", "nsrun-leases 0\n" BR,
	    "line 1: unsupported version \"0\" (expected 1)"),
	BAD("version 01", "nsrun-leases 01\n" BR,
	    "line 1: unsupported version \"01\" (expected 1)"),
	BAD("version 1.0", "nsrun-leases 1.0\n" BR,
	    "line 1: unsupported version \"1.0\" (expected 1)"),
	BAD("version 2^32+1", "nsrun-leases 4294967297\n" BR,
	    "line 1: unsupported version \"4294967297\" (expected 1)"),
	BAD("header only", HDR, "line 2: missing \"bridge\" line"),
	BAD("lease instead of bridge line", HDR L2,
	    "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\""),
	BAD("bridge line short", HDR "bridge br1 ifindex 7\n",
	    "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\""),
	BAD("bridge line long", HDR "bridge br1 ifindex 7 mac-pinned 0 x\n",
	    "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\""),
	BAD("bridge line wrong key", HDR "bridge br1 index 7 mac-pinned 0\n",
	    "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\""),
	BAD("bridge line wrong pin key", HDR "bridge br1 ifindex 7 pinned 0\n",
	    "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\""),
	BAD("bridge name mismatch", HDR "bridge br2 ifindex 7 mac-pinned 0\n",
	    "line 2: file belongs to bridge \"br2\", not br1"),
	BAD("bridge name prefix", HDR "bridge br ifindex 7 mac-pinned 0\n",
	    "line 2: file belongs to bridge \"br\", not br1"),
	BAD("bridge ifindex negative", HDR "bridge br1 ifindex -7 mac-pinned 0\n",
	    "line 2: bad ifindex \"-7\""),
	BAD("bridge ifindex too big", HDR "bridge br1 ifindex 2147483648 mac-pinned 0\n",
	    "line 2: bad ifindex \"2147483648\""),
	BAD("bridge ifindex not a number", HDR "bridge br1 ifindex seven mac-pinned 0\n",
	    "line 2: bad ifindex \"seven\""),
	BAD("mac-pinned 2", HDR "bridge br1 ifindex 7 mac-pinned 2\n",
	    "line 2: mac-pinned must be 0 or 1"),
	BAD("mac-pinned yes", HDR "bridge br1 ifindex 7 mac-pinned yes\n",
	    "line 2: mac-pinned must be 0 or 1"),
	BAD("unknown record", HDR BR L2 "leases 10.47.0.3\n", "line 4: unknown record \"leases\""),
	BAD("second bridge line", HDR BR BR, "line 3: unknown record \"bridge\""),
	BAD("14 fields", HDR BR "lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created\n",
	    "line 3: expected 15 fields, found 14"),
	BAD("16 fields", HDR BR "lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1 x\n",
	    "line 3: expected 15 fields, found 16"),
	BAD("one field", HDR BR "lease\n", "line 3: expected 15 fields, found 1"),
	BAD("21 fields", HDR BR "lease a b c d e f g h i j k l m n o p q r s t\n",
	    "line 3: expected 15 fields, found 21"),
	BAD("40 fields", HDR BR "lease a b c d e f g h i j k l m n o p q r s t u v w x y z 1 2 3 4 5 6 7 8 9 0 A B C\n",
	    "line 3: expected 15 fields, found 40"),
	BAD("key pid", HDR BR LEASE("10.47.0.2", "wired", "4242", "81234", "12", "nsr0a2f0002", "-", "1")
	    "lease 10.47.0.3 pending PID 1 start 1 ifindex 0 ifname x netns - created 1\n",
	    "line 4: expected \"pid\" as field 4"),
	BAD("key start", HDR BR "lease 10.47.0.3 pending pid 1 begin 1 ifindex 0 ifname x netns - created 1\n",
	    "line 3: expected \"start\" as field 6"),
	BAD("key ifindex", HDR BR "lease 10.47.0.3 pending pid 1 start 1 index 0 ifname x netns - created 1\n",
	    "line 3: expected \"ifindex\" as field 8"),
	BAD("key ifname", HDR BR "lease 10.47.0.3 pending pid 1 start 1 ifindex 0 name x netns - created 1\n",
	    "line 3: expected \"ifname\" as field 10"),
	BAD("key netns", HDR BR "lease 10.47.0.3 pending pid 1 start 1 ifindex 0 ifname x ns - created 1\n",
	    "line 3: expected \"netns\" as field 12"),
	BAD("key created", HDR BR "lease 10.47.0.3 pending pid 1 start 1 ifindex 0 ifname x netns - birth 1\n",
	    "line 3: expected \"created\" as field 14"),
	BAD("address octet 256", HDR BR W("10.47.0.256"), "line 3: bad address \"10.47.0.256\""),
	BAD("address with prefix", HDR BR W("10.47.0.2/16"), "line 3: bad address \"10.47.0.2/16\""),
	BAD("address leading zero", HDR BR W("10.47.0.02"), "line 3: bad address \"10.47.0.02\""),
	BAD("address three octets", HDR BR W("10.47.2"), "line 3: bad address \"10.47.2\""),
	BAD("address ipv6", HDR BR W("fd00::2"), "line 3: bad address \"fd00::2\""),
	BAD("state live", HDR BR LEASE("10.47.0.2", "live", "1", "1", "0", "x", "-", "1"),
	    "line 3: bad state \"live\""),
	BAD("state upper case", HDR BR LEASE("10.47.0.2", "WIRED", "1", "1", "1", "x", "-", "1"),
	    "line 3: bad state \"WIRED\""),
	BAD("pid 0", HDR BR LEASE("10.47.0.2", "pending", "0", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"0\""),
	BAD("pid negative", HDR BR LEASE("10.47.0.2", "pending", "-1", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"-1\""),
	BAD("pid 2^31", HDR BR LEASE("10.47.0.2", "pending", "2147483648", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"2147483648\""),
	BAD("pid huge", HDR BR LEASE("10.47.0.2", "pending", "99999999999999999999999", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"99999999999999999999999\""),
	BAD("pid leading zero", HDR BR LEASE("10.47.0.2", "pending", "042", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"042\""),
	BAD("pid plus sign", HDR BR LEASE("10.47.0.2", "pending", "+42", "1", "0", "x", "-", "1"),
	    "line 3: bad pid \"+42\""),
	BAD("start negative", HDR BR LEASE("10.47.0.2", "pending", "1", "-1", "0", "x", "-", "1"),
	    "line 3: bad start time \"-1\""),
	BAD("start 2^64", HDR BR LEASE("10.47.0.2", "pending", "1", "18446744073709551616", "0", "x", "-", "1"),
	    "line 3: bad start time \"18446744073709551616\""),
	BAD("start hex", HDR BR LEASE("10.47.0.2", "pending", "1", "0x10", "0", "x", "-", "1"),
	    "line 3: bad start time \"0x10\""),
	BAD("ifindex negative", HDR BR LEASE("10.47.0.2", "wired", "1", "1", "-12", "x", "-", "1"),
	    "line 3: bad ifindex \"-12\""),
	BAD("ifindex 2^31", HDR BR LEASE("10.47.0.2", "wired", "1", "1", "2147483648", "x", "-", "1"),
	    "line 3: bad ifindex \"2147483648\""),
	BAD("ifindex junk", HDR BR LEASE("10.47.0.2", "wired", "1", "1", "12a", "x", "-", "1"),
	    "line 3: bad ifindex \"12a\""),
	BAD("wired without ifindex", HDR BR LEASE("10.47.0.2", "wired", "1", "1", "0", "x", "-", "1"),
	    "line 3: a wired lease has an ifindex, a pending one has 0"),
	BAD("pending with ifindex", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "12", "x", "-", "1"),
	    "line 3: a wired lease has an ifindex, a pending one has 0"),
	BAD("ifname with slash", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "a/b", "-", "1"),
	    "line 3: bad ifname \"a/b\""),
	BAD("ifname with colon", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "a:b", "-", "1"),
	    "line 3: bad ifname \"a:b\""),
	BAD("ifname 16 bytes", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "abcdefghijklmnop", "-", "1"),
	    "line 3: bad ifname \"abcdefghijklmnop\""),
	BAD("ifname dot dot", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "..", "-", "1"),
	    "line 3: bad ifname \"..\""),
	BAD("netns leading dash", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "-a", "1"),
	    "line 3: bad netns name \"-a\""),
	BAD("netns leading dot", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", ".a", "1"),
	    "line 3: bad netns name \".a\""),
	BAD("netns with slash", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "a/b", "1"),
	    "line 3: bad netns name \"a/b\""),
	BAD("netns 64 bytes", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x",
					   "n234567890123456789012345678901234567890123456789012345678901234", "1"),
	    "line 3: bad netns name \"n234567890123456789012345678901234567890123456789012345678901234\""),
	BAD("created negative", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "-", "-1"),
	    "line 3: bad creation time \"-1\""),
	BAD("created 2^63", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "-", "9223372036854775808"),
	    "line 3: bad creation time \"9223372036854775808\""),
	BAD("created decimal", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "-", "1.5"),
	    "line 3: bad creation time \"1.5\""),
	BAD("double space", HDR BR "lease  10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1\n",
	    "line 3: malformed (fields must be separated by one space)"),
	BAD("double space in the middle", HDR BR "lease 10.47.0.2 wired pid 4242  start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1\n",
	    "line 3: malformed (fields must be separated by one space)"),
	BAD("trailing space", HDR BR "lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1 \n",
	    "line 3: malformed (fields must be separated by one space)"),
	BAD("leading space", HDR BR " lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1\n",
	    "line 3: malformed (fields must be separated by one space)"),
	BAD("only a space", HDR BR " \n", "line 3: malformed (fields must be separated by one space)"),
	BAD("trailing space in the header", "nsrun-leases 1 \n" BR,
	    "line 1: malformed (fields must be separated by one space)"),
	BAD("tab", HDR BR "lease\t10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1\n",
	    "line 3: non-printable byte 0x09"),
	BAD("carriage return", HDR "bridge br1 ifindex 7 mac-pinned 0\r\n",
	    "line 2: non-printable byte 0x0d"),
	BAD("NUL byte", HDR BR "lease 10.47.0.2\0 wired\n", "line 3: non-printable byte 0x00"),
	BAD("DEL byte", HDR BR L2 "lease 10.47.0.3 \x7f\n", "line 4: non-printable byte 0x7f"),
	BAD("UTF-8", HDR BR LEASE("10.47.0.2", "pending", "1", "1", "0", "x", "caf\xc3\xa9", "1"),
	    "line 3: non-printable byte 0xc3"),
	BAD("escape", HDR BR "\x1b[31m\n", "line 3: non-printable byte 0x1b"),
	BAD("no final newline", HDR BR "lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1764130000",
	    "line 3: truncated (no newline at end)"),
	BAD("truncated header", "nsrun-leases 1", "line 1: truncated (no newline at end)"),
	BAD("truncated bridge line", HDR "bridge br1 ifin", "line 2: truncated (no newline at end)"),
	BAD("truncated after leases", HDR BR L2 L3 "lease 10.47.0.4 pen",
	    "line 5: truncated (no newline at end)"),
	BAD("empty first line", "\n" HDR BR, "line 1: empty line"),
	BAD("empty line after bridge", HDR BR "\n" L2, "line 3: empty line"),
	BAD("empty line at the end", HDR BR L2 L3 "\n", "line 5: empty line"),
	BAD("duplicate address", HDR BR L2 L3 W("10.47.0.2"),
	    "line 5: address 10.47.0.2 is leased twice (first on line 3)"),
	BAD("duplicate address, adjacent", HDR BR L3 L3,
	    "line 4: address 10.47.0.3 is leased twice (first on line 3)"),
	BAD("duplicate address, out of order", HDR BR L10 L3 L2 L10,
	    "line 6: address 10.47.0.10 is leased twice (first on line 3)"),
};

static void parse_malformed(void **state)
{
	const struct bad_row *row = *state;
	struct nsrun_lease_table t;
	struct nsrun_err err = { 0 };

	assert_int_equal(nsrun_lease_table_parse(&t, "br1", row->text, row->len, &err), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg, row->msg);
	/* Nothing half-parsed is left behind (and nothing leaks: ASan). */
	assert_int_equal(t.n, 0);
	assert_null(t.v);
	assert_string_equal(t.bridge, "br1");
}

/* Line length: exactly NSRUN_LEASE_LINE_MAX is read, one more is not. */
static void parse_line_length(void **state)
{
	char text[2 * NSRUN_LEASE_LINE_MAX];
	struct nsrun_lease_table t;
	struct nsrun_err err = { 0 };
	size_t off;

	(void)state;
	off = (size_t)snprintf(text, sizeof(text), "%s%s", HDR, BR);
	memset(text + off, 'x', NSRUN_LEASE_LINE_MAX);
	text[off + NSRUN_LEASE_LINE_MAX] = '\n';
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, off + NSRUN_LEASE_LINE_MAX + 1,
						 &err),
			 -EINVAL);
	assert_true(strncmp(err.msg, "line 3: unknown record \"xxxx", 28) == 0);

	memset(text + off, 'x', NSRUN_LEASE_LINE_MAX + 1);
	text[off + NSRUN_LEASE_LINE_MAX + 1] = '\n';
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, off + NSRUN_LEASE_LINE_MAX + 2,
						 &err),
			 -EINVAL);
	assert_string_equal(err.msg, "line 3: longer than 512 bytes");

	/* Over-long and without a newline: the length is what is reported
	 * first only when a newline follows; otherwise it is truncation. */
	assert_int_equal(nsrun_lease_table_parse(&t, "br1", text, off + NSRUN_LEASE_LINE_MAX + 1,
						 &err),
			 -EINVAL);
	assert_string_equal(err.msg, "line 3: truncated (no newline at end)");
}

/* The longest real lease line fits the line limit with room to spare. */
static void longest_lease_line_fits(void **state)
{
	struct nsrun_lease_table t;
	struct nsrun_lease l = wired("255.255.255.255", 2147483647, UINT64_MAX, 2147483647);
	struct nsrun_err err = { 0 };
	char *out, *nl;

	(void)state;
	memset(l.netns, 'n', NSRUN_NETNS_MAX);
	l.netns[NSRUN_NETNS_MAX] = '\0';
	memset(l.ifname, 'i', IFNAMSIZ - 1);
	l.ifname[IFNAMSIZ - 1] = '\0';
	l.created = INT64_MAX;
	nsrun_lease_table_init(&t, "abcdefghijklmno");
	t.bridge_ifindex = 2147483647;
	put(&t, l);
	out = format(&t);
	nl = strchr(out, '\n');
	nl = strchr(nl + 1, '\n');
	assert_true(strlen(nl + 1) - 1 <= NSRUN_LEASE_LINE_MAX);
	nsrun_lease_table_free(&t);
	assert_int_equal(nsrun_lease_table_parse(&t, "abcdefghijklmno", out, strlen(out), &err), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].start, UINT64_MAX);
	assert_int_equal(t.v[0].created, INT64_MAX);
	assert_string_equal(t.v[0].netns, l.netns);
	free(out);
	nsrun_lease_table_free(&t);
}

/* A table built in memory formats to text that parses back to it. */
static void format_built_table(void **state)
{
	struct nsrun_lease_table t, back;
	struct nsrun_lease l = pending("10.47.0.3", 77, 88);
	struct nsrun_err err = { 0 };
	char *out;

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	t.bridge_ifindex = 7;
	strcpy(l.netns, "db");
	put(&t, l);
	put(&t, wired("10.47.0.2", 4242, 81234, 12));
	out = format(&t);
	assert_string_equal(out, HDR BR LEASE("10.47.0.2", "wired", "4242", "81234", "12", "nsr0a2f0002", "-", "1764130000")
				 LEASE("10.47.0.3", "pending", "77", "88", "0", "nsr0a2f0003", "db", "1764130000"));
	assert_int_equal(nsrun_lease_table_parse(&back, "br1", out, strlen(out), &err), 0);
	assert_int_equal(back.n, 2);
	for (size_t i = 0; i < 2; i++) {
		assert_true(nsrun_addr_equal(&back.v[i].addr, &t.v[i].addr));
		assert_int_equal(back.v[i].state, t.v[i].state);
		assert_int_equal(back.v[i].pid, t.v[i].pid);
		assert_int_equal(back.v[i].start, t.v[i].start);
		assert_int_equal(back.v[i].ifindex, t.v[i].ifindex);
		assert_string_equal(back.v[i].ifname, t.v[i].ifname);
		assert_string_equal(back.v[i].netns, t.v[i].netns);
		assert_int_equal(back.v[i].created, t.v[i].created);
	}
	free(out);
	nsrun_lease_table_free(&t);
	nsrun_lease_table_free(&back);
}

static void table_init_and_state_names(void **state)
{
	struct nsrun_lease_table t;

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	assert_string_equal(t.bridge, "br1");
	assert_int_equal(t.n, 0);
	assert_int_equal(t.bridge_ifindex, 0);
	assert_false(t.mac_pinned);
	assert_null(t.v);
	nsrun_lease_table_free(&t);
	nsrun_lease_table_free(&t); /* idempotent */
	assert_string_equal(nsrun_lease_state_name(NSRUN_LEASE_PENDING), "pending");
	assert_string_equal(nsrun_lease_state_name(NSRUN_LEASE_WIRED), "wired");
	assert_string_equal(nsrun_lease_state_name((enum nsrun_lease_state)7), "?");
	assert_string_equal(nsrun_lease_state_name((enum nsrun_lease_state)-1), "?");
}

/* ---- put, remove, find ---------------------------------------------------- */

static void put_find_remove(void **state)
{
	struct nsrun_lease_table t;
	struct nsrun_addr a;
	struct nsrun_lease l, *found;

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	a = addr_of("10.47.0.2");
	assert_null(nsrun_lease_find(&t, &a));
	assert_int_equal(nsrun_lease_remove(&t, &a), -ENOENT);

	put(&t, pending("10.47.0.5", 5, 5));
	put(&t, pending("10.47.0.2", 2, 2));
	put(&t, pending("10.47.0.9", 9, 9));
	put(&t, pending("10.47.0.3", 3, 3));
	assert_string_equal(addrs(&t), "10.47.0.2 10.47.0.3 10.47.0.5 10.47.0.9");

	/* Put on an existing address replaces it. */
	l = wired("10.47.0.5", 55, 56, 12);
	put(&t, l);
	assert_int_equal(t.n, 4);
	a = addr_of("10.47.0.5");
	found = nsrun_lease_find(&t, &a);
	assert_non_null(found);
	assert_int_equal(found->pid, 55);
	assert_int_equal(found->state, NSRUN_LEASE_WIRED);
	assert_int_equal(found->ifindex, 12);

	a = addr_of("10.47.0.4");
	assert_null(nsrun_lease_find(&t, &a));
	assert_int_equal(nsrun_lease_remove(&t, &a), -ENOENT);
	a = addr_of("10.47.0.10");
	assert_null(nsrun_lease_find(&t, &a));

	a = addr_of("10.47.0.3");
	assert_int_equal(nsrun_lease_remove(&t, &a), 0);
	assert_string_equal(addrs(&t), "10.47.0.2 10.47.0.5 10.47.0.9");
	assert_int_equal(nsrun_lease_remove(&t, &a), -ENOENT);
	a = addr_of("10.47.0.9");
	assert_int_equal(nsrun_lease_remove(&t, &a), 0);
	a = addr_of("10.47.0.2");
	assert_int_equal(nsrun_lease_remove(&t, &a), 0);
	assert_string_equal(addrs(&t), "10.47.0.5");
	assert_int_equal(nsrun_lease_find(&t, &(struct nsrun_addr){ .family = AF_INET6 }) == NULL, 1);
	nsrun_lease_table_free(&t);
}

/* Many leases in a scrambled order: the table grows and stays sorted. */
static void put_many(void **state)
{
	struct nsrun_lease_table t;
	char a[NSRUN_ADDR_STRLEN];

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	for (unsigned int i = 0; i < 1000; i++) {
		unsigned int k = (i * 617) % 1000; /* 617 is prime to 1000: a permutation */
		struct nsrun_addr x = nsrun_addr_v4(0x0a2f0000u + k);

		nsrun_addr_format(&x, a);
		put(&t, pending(a, (pid_t)k + 1, k));
	}
	assert_int_equal(t.n, 1000);
	for (unsigned int i = 0; i < 1000; i++) {
		assert_int_equal(nsrun_addr_v4_host(&t.v[i].addr), 0x0a2f0000u + i);
		assert_int_equal(t.v[i].pid, (pid_t)i + 1);
		assert_ptr_equal(nsrun_lease_find(&t, &t.v[i].addr), &t.v[i]);
	}
	for (unsigned int i = 0; i < 1000; i += 2) {
		struct nsrun_addr x = nsrun_addr_v4(0x0a2f0000u + i);

		assert_int_equal(nsrun_lease_remove(&t, &x), 0);
	}
	assert_int_equal(t.n, 500);
	for (unsigned int i = 0; i < 500; i++)
		assert_int_equal(nsrun_addr_v4_host(&t.v[i].addr), 0x0a2f0000u + 2 * i + 1);
	nsrun_lease_table_free(&t);
}

/* ---- liveness ------------------------------------------------------------- */

struct live_row {
	const char *name;
	enum nsrun_lease_state state;
	int ifindex;                 /* recorded in the lease */
	int veth;                    /* the host veth's ifindex now, 0: none */
	int proc;                    /* 0 gone, 1 runs (same start), 2 pid reused, 3 zombie */
	bool netns_alive;
	bool live;
	enum nsrun_lease_state state_after;
	int ifindex_after;
	int netns_calls;             /* -1: any */
};

enum { GONE, RUNS, REUSED, ZOMBIE };

static const struct live_row live_rows[] = {
	{ "pending, no veth, setter runs", NSRUN_LEASE_PENDING, 0, 0, RUNS, false,
	  true, NSRUN_LEASE_PENDING, 0, 0 },
	{ "pending, no veth, setter gone", NSRUN_LEASE_PENDING, 0, 0, GONE, true,
	  false, NSRUN_LEASE_PENDING, 0, 0 },
	{ "pending, no veth, pid reused", NSRUN_LEASE_PENDING, 0, 0, REUSED, true,
	  false, NSRUN_LEASE_PENDING, 0, 0 },
	{ "pending, no veth, setter a zombie", NSRUN_LEASE_PENDING, 0, 0, ZOMBIE, true,
	  false, NSRUN_LEASE_PENDING, 0, 0 },
	{ "pending, veth, target runs: promoted", NSRUN_LEASE_PENDING, 0, 33, RUNS, false,
	  true, NSRUN_LEASE_WIRED, 33, 0 },
	{ "pending, veth, target gone, netns held: promoted", NSRUN_LEASE_PENDING, 0, 33, GONE,
	  true, true, NSRUN_LEASE_WIRED, 33, 1 },
	{ "pending, veth, target gone, netns dying", NSRUN_LEASE_PENDING, 0, 33, GONE, false,
	  false, NSRUN_LEASE_PENDING, 0, 1 },
	{ "wired, same veth, target runs", NSRUN_LEASE_WIRED, 12, 12, RUNS, false,
	  true, NSRUN_LEASE_WIRED, 12, 0 },
	{ "wired, same veth, pid reused by another process", NSRUN_LEASE_WIRED, 12, 12, REUSED,
	  false, true, NSRUN_LEASE_WIRED, 12, 0 },
	{ "wired, same veth, target gone, netns held", NSRUN_LEASE_WIRED, 12, 12, GONE, true,
	  true, NSRUN_LEASE_WIRED, 12, 1 },
	{ "wired, same veth, target gone, netns dying", NSRUN_LEASE_WIRED, 12, 12, GONE, false,
	  false, NSRUN_LEASE_WIRED, 12, 1 },
	{ "wired, veth name now another ifindex", NSRUN_LEASE_WIRED, 12, 40, RUNS, true,
	  false, NSRUN_LEASE_WIRED, 12, 0 },
	{ "wired, veth gone, target runs", NSRUN_LEASE_WIRED, 12, 0, RUNS, true,
	  false, NSRUN_LEASE_WIRED, 12, 0 },
	{ "wired, veth gone, target gone", NSRUN_LEASE_WIRED, 12, 0, GONE, true,
	  false, NSRUN_LEASE_WIRED, 12, 0 },
};

static void lease_live(void **state)
{
	const struct live_row *row = *state;
	struct fake f = { 0 };
	struct nsrun_liveness lv = liveness(&f);
	struct nsrun_lease l = mk_lease("10.47.0.2", row->state, 4242, 81234, row->ifindex);

	if (row->veth)
		fake_veth(&f, "10.47.0.2", row->veth);
	if (row->proc == RUNS)
		fake_proc(&f, 4242, 81234);
	else if (row->proc == REUSED)
		fake_proc(&f, 4242, 99999);
	else if (row->proc == ZOMBIE)
		fake_pid(&f, 4242);
	if (row->netns_alive && row->veth)
		fake_netns(&f, row->veth);
	assert_int_equal(nsrun_lease_live(&l, &lv), row->live);
	assert_int_equal(l.state, row->state_after);
	assert_int_equal(l.ifindex, row->ifindex_after);
	/* The netlink query is the expensive one: asked only for orphaned veths. */
	if (row->netns_calls >= 0)
		assert_int_equal(f.calls_netns, row->netns_calls);
	assert_int_equal(f.calls_ifindex, 1);
}

/* ---- allocation ----------------------------------------------------------- */

static const struct nsrun_lease tmpl_lease = {
	.state = NSRUN_LEASE_WIRED,  /* ignored: a new lease is pending */
	.pid = 777,
	.start = 888,
	.ifindex = 99,               /* ignored: 0 until wired */
	.ifname = "ignored",
	.netns = "web",
	.created = 1800000000,
};

/* A new lease: pending at addr, the template's pid, start, netns and
 * creation time, the default host veth name. */
static void check_new_lease(const struct nsrun_lease *l, const char *addr)
{
	char ifname[IFNAMSIZ];

	assert_string_equal(fmt_addr(&l->addr), addr);
	assert_int_equal(l->state, NSRUN_LEASE_PENDING);
	assert_int_equal(l->ifindex, 0);
	nsrun_lease_ifname(&l->addr, 0, ifname);
	assert_string_equal(l->ifname, ifname);
	assert_int_equal(l->pid, 777);
	assert_int_equal(l->start, 888);
	assert_string_equal(l->netns, "web");
	assert_int_equal(l->created, 1800000000);
}

static void alloc_empty(void **state)
{
	struct nsrun_lease_table t;
	struct nsrun_pool pool = pool_of("10.47.0.1/16");
	struct nsrun_err err = { 0 };
	struct nsrun_lease *l = NULL;

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &all_live, &l, &err), 0);
	assert_int_equal(t.n, 1);
	assert_ptr_equal(l, &t.v[0]);
	check_new_lease(l, "10.47.0.2");
	assert_string_equal(l->ifname, "nsr0a2f0002");
	/* Then the next ones, in order. */
	assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &all_live, &l, &err), 0);
	check_new_lease(l, "10.47.0.3");
	assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &all_live, &l, &err), 0);
	check_new_lease(l, "10.47.0.4");
	assert_string_equal(addrs(&t), "10.47.0.2 10.47.0.3 10.47.0.4");
	nsrun_lease_table_free(&t);
}

struct alloc_row {
	const char *name;
	const char *gw;
	void (*setup)(struct nsrun_lease_table *t, struct fake *f);
	const char *want;            /* --ip, or NULL */
	int rc;
	const char *got;             /* address on success, message on failure */
	const char *after;           /* the table's addresses afterwards */
};

static void live_at(struct nsrun_lease_table *t, struct fake *f, const char *addr, pid_t pid,
		    int ifindex)
{
	put(t, wired(addr, pid, (uint64_t)pid * 10, ifindex));
	fake_veth(f, addr, ifindex);
	fake_proc(f, pid, (uint64_t)pid * 10);
}

static void s_none(struct nsrun_lease_table *t, struct fake *f)
{
	(void)t;
	(void)f;
}

static void s_hole(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "10.47.0.2", 2, 12);
	live_at(t, f, "10.47.0.3", 3, 13);
	live_at(t, f, "10.47.0.5", 5, 15);
}

static void s_first_taken(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "192.168.1.1", 1, 11);
	live_at(t, f, "192.168.1.2", 2, 12);
}

/* .1 to .9 live; the gateway is .10. */
static void s_up_to_gateway(struct nsrun_lease_table *t, struct fake *f)
{
	char a[NSRUN_ADDR_STRLEN];

	for (int i = 1; i <= 9; i++) {
		snprintf(a, sizeof(a), "192.168.1.%d", i);
		put(t, wired(a, i, 0, ALL_IFINDEX));
	}
	(void)f; /* alloc() judges these with all_live */
}

static void s_gateway_leased(struct nsrun_lease_table *t, struct fake *f)
{
	/* A lease on the gateway's address (the bridge was readdressed): it is
	 * neither handed out nor reused, and stays as it is. */
	live_at(t, f, "10.47.0.2", 2, 12);
	put(t, pending("10.47.0.1", 1, 1));
}

static void s_stale_pending(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, pending("10.47.0.2", 4242, 81234)); /* no veth, pid gone */
	live_at(t, f, "10.47.0.3", 3, 13);
}

static void s_pending_wired(struct nsrun_lease_table *t, struct fake *f)
{
	/* Its veth exists: live, becomes wired with the veth's ifindex. */
	put(t, pending("10.47.0.2", 4242, 81234));
	fake_veth(f, "10.47.0.2", 33);
	fake_proc(f, 4242, 81234);
}

static void s_ifindex_changed(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, wired("10.47.0.2", 4242, 81234, 12));
	fake_veth(f, "10.47.0.2", 40); /* the name belongs to another veth now */
	fake_proc(f, 4242, 81234);
}

static void s_held_netns(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, wired("10.47.0.2", 4242, 81234, 12));
	fake_veth(f, "10.47.0.2", 12);
	fake_netns(f, 12); /* target gone, namespace held (daemon, --name) */
}

static void s_dying_netns(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, wired("10.0.0.2", 4242, 81234, 12));
	fake_veth(f, "10.0.0.2", 12); /* target gone, veth on its way out */
}

static void s_held_netns_30(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, wired("10.0.0.2", 4242, 81234, 12));
	fake_veth(f, "10.0.0.2", 12);
	fake_netns(f, 12); /* target gone, namespace held */
}

static void s_dying_at_7(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, wired("10.47.0.7", 4242, 81234, 12));
	fake_veth(f, "10.47.0.7", 12);
}

static void s_outside(struct nsrun_lease_table *t, struct fake *f)
{
	/* Leases outside the pool (another subnet once) are left alone. */
	put(t, pending("10.46.255.255", 1, 1));
	put(t, pending("10.48.0.0", 1, 1));
	put(t, pending("10.47.0.0", 1, 1));
	(void)f;
}

static void s_full_30(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "10.0.0.2", 2, 12);
}

static void s_full_24(struct nsrun_lease_table *t, struct fake *f)
{
	char a[NSRUN_ADDR_STRLEN];

	for (int i = 1; i <= 254; i++) {
		if (i == 10)
			continue;
		snprintf(a, sizeof(a), "192.168.1.%d", i);
		put(t, wired(a, i, 0, ALL_IFINDEX));
	}
	put(t, pending("192.168.1.10", 1, 1)); /* on the gateway: not counted */
	(void)f;
}

static void s_full_31(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "10.0.0.7", 7, 17);
}

static void s_stale_at_7(struct nsrun_lease_table *t, struct fake *f)
{
	put(t, pending("10.47.0.7", 4242, 81234));
	(void)f;
}

static void s_live_at_7(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "10.47.0.7", 4242, 12);
}

static void s_top_31(struct nsrun_lease_table *t, struct fake *f)
{
	live_at(t, f, "255.255.255.255", 9, 19);
}

static const struct alloc_row alloc_rows[] = {
	{ "lowest free", "10.47.0.1/16", s_hole, NULL, 0, "10.47.0.4",
	  "10.47.0.2 10.47.0.3 10.47.0.4 10.47.0.5" },
	{ "gateway at the start is skipped", "192.168.1.1/24", s_none, NULL, 0, "192.168.1.2",
	  "192.168.1.2" },
	{ "first hosts taken", "192.168.1.10/24", s_first_taken, NULL, 0, "192.168.1.3",
	  "192.168.1.1 192.168.1.2 192.168.1.3" },
	{ "gateway in the middle is skipped", "192.168.1.10/24", s_up_to_gateway, NULL, 0,
	  "192.168.1.11", NULL },
	{ "lease on the gateway is skipped", "10.47.0.1/16", s_gateway_leased, NULL, 0,
	  "10.47.0.3", "10.47.0.1 10.47.0.2 10.47.0.3" },
	{ "stale pending is reused", "10.47.0.1/16", s_stale_pending, NULL, 0, "10.47.0.2",
	  "10.47.0.2 10.47.0.3" },
	{ "pending with a veth is live", "10.47.0.1/16", s_pending_wired, NULL, 0, "10.47.0.3",
	  "10.47.0.2 10.47.0.3" },
	{ "wired with another ifindex is stale", "10.47.0.1/16", s_ifindex_changed, NULL, 0,
	  "10.47.0.2", "10.47.0.2" },
	{ "wired, target gone, netns held: live", "10.47.0.1/16", s_held_netns, NULL, 0,
	  "10.47.0.3", "10.47.0.2 10.47.0.3" },
	/* Only address of the pool, so that the liveness check is the one
	 * that tells a dying namespace (still with its veth) apart. */
	{ "wired, target gone, netns dying: stale", "10.0.0.1/30", s_dying_netns, NULL, 0,
	  "10.0.0.2", "10.0.0.2" },
	{ "wired, target gone, netns held: full", "10.0.0.1/30", s_held_netns_30, NULL, -ENOSPC,
	  "bridge br1: no free address in 10.0.0.0/30 (1 leased)", "10.0.0.2" },
	{ "leases outside the pool ignored", "10.47.0.1/16", s_outside, NULL, 0, "10.47.0.2",
	  "10.46.255.255 10.47.0.0 10.47.0.2 10.48.0.0" },
	{ "/30 has one address", "10.0.0.1/30", s_none, NULL, 0, "10.0.0.2", "10.0.0.2" },
	{ "/30 exhausted", "10.0.0.1/30", s_full_30, NULL, -ENOSPC,
	  "bridge br1: no free address in 10.0.0.0/30 (1 leased)", "10.0.0.2" },
	{ "/24 exhausted", "192.168.1.10/24", s_full_24, NULL, -ENOSPC,
	  "bridge br1: no free address in 192.168.1.0/24 (253 leased)", NULL },
	{ "/31 gateway low", "10.0.0.6/31", s_none, NULL, 0, "10.0.0.7", "10.0.0.7" },
	{ "/31 gateway high", "10.0.0.7/31", s_none, NULL, 0, "10.0.0.6", "10.0.0.6" },
	{ "/31 exhausted", "10.0.0.6/31", s_full_31, NULL, -ENOSPC,
	  "bridge br1: no free address in 10.0.0.6/31 (1 leased)", "10.0.0.7" },
	{ "/31 at the top of the address space", "255.255.255.254/31", s_none, NULL, 0,
	  "255.255.255.255", "255.255.255.255" },
	{ "/31 at the top, exhausted", "255.255.255.254/31", s_top_31, NULL, -ENOSPC,
	  "bridge br1: no free address in 255.255.255.254/31 (1 leased)", "255.255.255.255" },
	{ "/31 at the bottom", "0.0.0.1/31", s_none, NULL, 0, "0.0.0.0", "0.0.0.0" },
	{ "/32 is empty", "10.0.0.7/32", s_none, NULL, -ENOSPC,
	  "bridge br1: no free address in 10.0.0.7/32 (0 leased)", "" },
	{ "--ip free", "10.47.0.1/16", s_hole, "10.47.200.7", 0, "10.47.200.7",
	  "10.47.0.2 10.47.0.3 10.47.0.5 10.47.200.7" },
	{ "--ip in a hole", "10.47.0.1/16", s_hole, "10.47.0.4", 0, "10.47.0.4",
	  "10.47.0.2 10.47.0.3 10.47.0.4 10.47.0.5" },
	{ "--ip last host", "10.47.0.1/16", s_none, "10.47.255.254", 0, "10.47.255.254",
	  "10.47.255.254" },
	{ "--ip outside the pool", "10.47.0.1/16", s_none, "10.48.0.2", -EDOM,
	  "address 10.48.0.2: not a host address of bridge br1 (10.47.0.0/16)", "" },
	{ "--ip network address", "10.47.0.1/16", s_none, "10.47.0.0", -EDOM,
	  "address 10.47.0.0: not a host address of bridge br1 (10.47.0.0/16)", "" },
	{ "--ip broadcast", "10.47.0.1/16", s_none, "10.47.255.255", -EDOM,
	  "address 10.47.255.255: not a host address of bridge br1 (10.47.0.0/16)", "" },
	{ "--ip the gateway", "10.47.0.1/16", s_none, "10.47.0.1", -EADDRINUSE,
	  "address 10.47.0.1: is the gateway of bridge br1", "" },
	{ "--ip the gateway of a /32", "10.0.0.7/32", s_none, "10.0.0.7", -EADDRINUSE,
	  "address 10.0.0.7: is the gateway of bridge br1", "" },
	{ "--ip in a /32", "10.0.0.7/32", s_none, "10.0.0.8", -EDOM,
	  "address 10.0.0.8: not a host address of bridge br1 (10.0.0.7/32)", "" },
	{ "--ip the other half of a /31", "10.0.0.6/31", s_none, "10.0.0.7", 0, "10.0.0.7",
	  "10.0.0.7" },
	{ "--ip leased to a live namespace", "10.47.0.1/16", s_live_at_7, "10.47.0.7",
	  -EADDRINUSE, "address 10.47.0.7: leased to a live namespace (pid 4242)", "10.47.0.7" },
	{ "--ip stale lease reused", "10.47.0.1/16", s_stale_at_7, "10.47.0.7", 0, "10.47.0.7",
	  "10.47.0.7" },
	{ "--ip of a dying namespace reused", "10.47.0.1/16", s_dying_at_7, "10.47.0.7", 0,
	  "10.47.0.7", "10.47.0.7" },
};

static void alloc(void **state)
{
	const struct alloc_row *row = *state;
	struct nsrun_lease_table t;
	struct fake f = { 0 };
	struct nsrun_liveness lv = liveness(&f);
	struct nsrun_pool pool = pool_of(row->gw);
	struct nsrun_err err = { 0 };
	struct nsrun_lease *l = NULL;
	struct nsrun_addr want;
	char *before, *after;
	size_t n;
	int r;

	nsrun_lease_table_init(&t, "br1");
	row->setup(&t, &f);
	/* Tables of many leases are all live. */
	if (row->setup == s_up_to_gateway || row->setup == s_full_24)
		lv = all_live;
	n = t.n;
	before = format(&t);
	if (row->want)
		want = addr_of(row->want);
	r = nsrun_lease_alloc(&t, &pool, row->want ? &want : NULL, &tmpl_lease, &lv, &l, &err);
	if (r < 0 && row->rc == 0)
		fail_msg("alloc failed: %s", err.msg);
	assert_int_equal(r, row->rc);
	if (r == 0) {
		assert_non_null(l);
		assert_ptr_equal(nsrun_lease_find(&t, &l->addr), l);
		check_new_lease(l, row->got);
	} else {
		assert_int_equal(err.code, -row->rc);
		assert_string_equal(err.msg, row->got);
		/* A failed allocation changes no lease (liveness may promote). */
		assert_int_equal(t.n, n);
	}
	if (row->after)
		assert_string_equal(addrs(&t), row->after);
	after = format(&t);
	if (r < 0)
		assert_string_equal(after, before);
	free(before);
	free(after);
	nsrun_lease_table_free(&t);
}

/* The pending lease with a veth was promoted in the table by the allocation. */
static void alloc_promotes(void **state)
{
	struct nsrun_lease_table t;
	struct fake f = { 0 };
	struct nsrun_liveness lv = liveness(&f);
	struct nsrun_pool pool = pool_of("10.47.0.1/16");
	struct nsrun_err err = { 0 };
	struct nsrun_lease *l;
	struct nsrun_addr a = addr_of("10.47.0.2");

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	s_pending_wired(&t, &f);
	assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &lv, &l, &err), 0);
	check_new_lease(l, "10.47.0.3");
	l = nsrun_lease_find(&t, &a);
	assert_non_null(l);
	assert_int_equal(l->state, NSRUN_LEASE_WIRED);
	assert_int_equal(l->ifindex, 33);
	assert_int_equal(l->pid, 4242);
	nsrun_lease_table_free(&t);
}

/* Filling a small pool one by one gives every host once, then fails. */
static void alloc_fill(void **state)
{
	struct nsrun_lease_table t;
	struct nsrun_pool pool = pool_of("192.168.1.100/25");
	struct nsrun_err err = { 0 };
	struct nsrun_lease *l;
	uint64_t size = nsrun_pool_size(&pool);

	(void)state;
	assert_int_equal(size, 125);
	nsrun_lease_table_init(&t, "br1");
	for (uint64_t i = 0; i < size; i++) {
		assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &all_live, &l, &err),
				 0);
		assert_true(nsrun_pool_has(&pool, &l->addr));
	}
	assert_int_equal(t.n, size);
	for (size_t i = 1; i < t.n; i++)
		assert_true(nsrun_addr_cmp(&t.v[i - 1].addr, &t.v[i].addr) < 0);
	assert_int_equal(nsrun_lease_alloc(&t, &pool, NULL, &tmpl_lease, &all_live, &l, &err),
			 -ENOSPC);
	assert_string_equal(err.msg, "bridge br1: no free address in 192.168.1.0/25 (125 leased)");
	nsrun_lease_table_free(&t);
}

/* ---- gc ------------------------------------------------------------------- */

static void gc(void **state)
{
	struct nsrun_lease_table t;
	struct fake f = { 0 };
	struct nsrun_liveness lv = liveness(&f);
	struct nsrun_lease dropped[2];

	(void)state;
	nsrun_lease_table_init(&t, "br1");
	live_at(&t, &f, "10.47.0.2", 2, 12);
	put(&t, pending("10.47.0.3", 4242, 1));          /* setter gone */
	live_at(&t, &f, "10.47.0.4", 4, 14);
	put(&t, wired("10.47.0.5", 5, 50, 15));          /* veth gone */
	put(&t, wired("10.47.0.6", 6, 60, 16));          /* veth gone */
	put(&t, pending("10.47.0.7", 7, 70));            /* being set up */
	fake_proc(&f, 7, 70);
	assert_int_equal(nsrun_lease_gc(&t, &lv, dropped, 2), 3);
	assert_string_equal(addrs(&t), "10.47.0.2 10.47.0.4 10.47.0.7");
	/* The first two dropped are reported, in table order. */
	assert_string_equal(fmt_addr(&dropped[0].addr), "10.47.0.3");
	assert_string_equal(fmt_addr(&dropped[1].addr), "10.47.0.5");
	assert_int_equal(dropped[1].ifindex, 15);
	/* Nothing more to drop. */
	assert_int_equal(nsrun_lease_gc(&t, &lv, NULL, 0), 0);
	assert_int_equal(t.n, 3);
	/* All gone. */
	f.nlinks = f.nprocs = 0;
	assert_int_equal(nsrun_lease_gc(&t, &lv, NULL, 0), 3);
	assert_int_equal(t.n, 0);
	assert_int_equal(nsrun_lease_gc(&t, &lv, NULL, 0), 0);
	nsrun_lease_table_free(&t);
}

/* ---- interface names and aliases ------------------------------------------ */

struct ifname_row {
	const char *name;
	const char *addr;
	unsigned int attempt;
	const char *want;
};

static const struct ifname_row ifname_rows[] = {
	{ "default", "10.47.0.2", 0, "nsr0a2f0002" },
	{ "all zero", "0.0.0.0", 0, "nsr00000000" },
	{ "all ones", "255.255.255.255", 0, "nsrffffffff" },
	{ "attempt 1", "10.47.0.2", 1, "nsr0a2f0002-1" },
	{ "attempt 999", "255.255.255.255", 999, "nsrffffffff-999" },
	{ "attempt 1000 wraps", "10.47.0.2", 1000, "nsr0a2f0002-0" },
	{ "attempt 4294967295", "10.47.0.2", 4294967295u, "nsr0a2f0002-295" },
};

static void lease_ifname(void **state)
{
	const struct ifname_row *row = *state;
	struct nsrun_addr a = addr_of(row->addr);
	char buf[IFNAMSIZ];

	memset(buf, 'z', sizeof(buf));
	nsrun_lease_ifname(&a, row->attempt, buf);
	assert_string_equal(buf, row->want);
	assert_null(nsrun_ifname_invalid(buf));
}

static void alias_round_trip(void **state)
{
	struct nsrun_lease l = wired("10.47.0.2", 4242, 81234, 12), back;
	char buf[NSRUN_ALIAS_MAX];
	unsigned int len = 99;

	(void)state;
	assert_int_equal(nsrun_lease_alias_format(&l, 16, buf), 0);
	assert_string_equal(buf, "nsrun 1 10.47.0.2/16 pid 4242 start 81234 netns - created 1764130000");
	memset(&back, 0x5a, sizeof(back));
	assert_int_equal(nsrun_lease_alias_parse(buf, &back, &len), 0);
	assert_int_equal(len, 16);
	assert_true(nsrun_addr_equal(&back.addr, &l.addr));
	assert_int_equal(back.pid, 4242);
	assert_int_equal(back.start, 81234);
	assert_string_equal(back.netns, "");
	assert_int_equal(back.created, 1764130000);
	/* ifname and ifindex are the caller's: cleared. */
	assert_int_equal(back.ifindex, 0);
	assert_string_equal(back.ifname, "");

	/* Largest values, named namespace. */
	l = pending("255.255.255.255", 2147483647, UINT64_MAX);
	memset(l.netns, 'n', NSRUN_NETNS_MAX);
	l.netns[NSRUN_NETNS_MAX] = '\0';
	l.created = INT64_MAX;
	assert_int_equal(nsrun_lease_alias_format(&l, 32, buf), 0);
	assert_int_equal(nsrun_lease_alias_parse(buf, &back, &len), 0);
	assert_int_equal(len, 32);
	assert_true(nsrun_addr_equal(&back.addr, &l.addr));
	assert_int_equal(back.pid, 2147483647);
	assert_int_equal(back.start, UINT64_MAX);
	assert_string_equal(back.netns, l.netns);
	assert_int_equal(back.created, INT64_MAX);

	/* /0 and the smallest values. */
	l = pending("0.0.0.0", 1, 0);
	l.created = 0;
	strcpy(l.netns, "a");
	assert_int_equal(nsrun_lease_alias_format(&l, 0, buf), 0);
	assert_string_equal(buf, "nsrun 1 0.0.0.0/0 pid 1 start 0 netns a created 0");
	assert_int_equal(nsrun_lease_alias_parse(buf, &back, &len), 0);
	assert_int_equal(len, 0);
	assert_string_equal(back.netns, "a");
}

struct alias_row {
	const char *name;
	const char *alias;
};

static const struct alias_row alias_rows[] = {
	{ "empty", "" },
	{ "magic only", "nsrun" },
	{ "someone else's alias", "uplink to rack 4" },
	{ "wrong magic", "nsrum 1 10.47.0.2/16 pid 1 start 1 netns - created 1" },
	{ "version 2", "nsrun 2 10.47.0.2/16 pid 1 start 1 netns - created 1" },
	{ "version 01", "nsrun 01 10.47.0.2/16 pid 1 start 1 netns - created 1" },
	{ "no prefix length", "nsrun 1 10.47.0.2 pid 1 start 1 netns - created 1" },
	{ "prefix /33", "nsrun 1 10.47.0.2/33 pid 1 start 1 netns - created 1" },
	{ "bad address", "nsrun 1 10.47.0/16 pid 1 start 1 netns - created 1" },
	{ "pid 0", "nsrun 1 10.47.0.2/16 pid 0 start 1 netns - created 1" },
	{ "pid negative", "nsrun 1 10.47.0.2/16 pid -1 start 1 netns - created 1" },
	{ "pid 2^31", "nsrun 1 10.47.0.2/16 pid 2147483648 start 1 netns - created 1" },
	{ "start 2^64", "nsrun 1 10.47.0.2/16 pid 1 start 18446744073709551616 netns - created 1" },
	{ "start junk", "nsrun 1 10.47.0.2/16 pid 1 start 1x netns - created 1" },
	{ "netns invalid", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns -x created 1" },
	{ "created 2^63", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created 9223372036854775808" },
	{ "created negative", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created -1" },
	{ "key pid", "nsrun 1 10.47.0.2/16 PID 1 start 1 netns - created 1" },
	{ "key start", "nsrun 1 10.47.0.2/16 pid 1 begin 1 netns - created 1" },
	{ "key netns", "nsrun 1 10.47.0.2/16 pid 1 start 1 ns - created 1" },
	{ "key created", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - birth 1" },
	{ "missing field", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created" },
	{ "extra field", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created 1 x" },
	{ "double space", "nsrun 1 10.47.0.2/16  pid 1 start 1 netns - created 1" },
	{ "trailing space", "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created 1 " },
	{ "leading space", " nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created 1" },
	{ "many fields", "nsrun 1 a b c d e f g h i j k l m n o p q r s t u v w x y z" },
	{ "too long",
	  "nsrun 1 10.47.0.2/16 pid 1 start 1 netns - created 1"
	  "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "000000000000000000000000000000000000000000000000000000000000000000000000000000000000" },
};


/* Every veth exists (ifindex 5) but the one named in ctx; no process runs. */
static unsigned int budget_calls;

static int budget_ifindex(void *ctx, const char *ifname)
{
	budget_calls++;
	return strcmp(ifname, ctx) ? 5 : 0;
}

static bool budget_no_pid(void *ctx, pid_t pid, uint64_t start)
{
	(void)ctx;
	(void)pid;
	(void)start;
	return false;
}

static bool budget_no_pid_exists(void *ctx, pid_t pid)
{
	(void)ctx;
	(void)pid;
	return false;
}

static bool budget_netns(void *ctx, int ifindex)
{
	(void)ctx;
	(void)ifindex;
	return true;
}

/*
 * 125 wired leases (10.47.0.2 .. .126), the one of .90 stale.  With room
 * left in the pool, only the lowest NSRUN_LEASE_CHECK_BUDGET are checked and
 * the first address without a lease is taken; a full pool checks them all
 * and reuses the stale one.
 */
static void alloc_check_budget(void **state)
{
	char stale[IFNAMSIZ], a[NSRUN_ADDR_STRLEN];
	struct nsrun_addr ninety = addr_of("10.47.0.90");
	struct nsrun_liveness lv = { budget_ifindex, budget_no_pid_exists, budget_no_pid,
				     budget_netns, stale };
	struct nsrun_lease_table t;
	struct nsrun_lease *got;
	struct nsrun_err err;

	(void)state;
	nsrun_lease_ifname(&ninety, 0, stale);
	nsrun_lease_table_init(&t, "br1");
	for (uint32_t h = 2; h <= 126; h++) {
		struct nsrun_lease l = mk_lease("10.47.0.2", NSRUN_LEASE_WIRED, 100, 1, 5);

		l.addr = nsrun_addr_v4(0x0a2f0000 | h);
		nsrun_lease_ifname(&l.addr, 0, l.ifname);
		assert_int_equal(nsrun_lease_put(&t, &l), 0);
	}
	struct nsrun_pool wide = pool_of("10.47.0.1/16"), full = pool_of("10.47.0.1/25");

	budget_calls = 0;
	assert_int_equal(nsrun_lease_alloc(&t, &wide, NULL, &tmpl_lease, &lv, &got, &err), 0);
	nsrun_addr_format(&got->addr, a);
	assert_string_equal(a, "10.47.0.127");
	assert_int_equal(budget_calls, NSRUN_LEASE_CHECK_BUDGET);
	assert_int_equal(nsrun_lease_remove(&t, &got->addr), 0);

	budget_calls = 0;
	assert_int_equal(nsrun_lease_alloc(&t, &full, NULL, &tmpl_lease, &lv, &got, &err), 0);
	nsrun_addr_format(&got->addr, a);
	assert_string_equal(a, "10.47.0.90");
	assert_true(budget_calls > NSRUN_LEASE_CHECK_BUDGET);
	nsrun_lease_table_free(&t);
}

static void alias_malformed(void **state)
{
	const struct alias_row *row = *state;
	struct nsrun_lease l;
	unsigned int len = 99;

	assert_int_equal(nsrun_lease_alias_parse(row->alias, &l, &len), -EINVAL);
	assert_int_equal(len, 99);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT(&l, parse_canonical);
	UNIT_TABLE(&l, round_trip, round_rows);
	UNIT(&l, parse_sorts);
	UNIT_TABLE(&l, parse_malformed, bad_rows);
	UNIT(&l, parse_line_length);
	UNIT(&l, longest_lease_line_fits);
	UNIT(&l, format_built_table);
	UNIT(&l, table_init_and_state_names);
	UNIT(&l, put_find_remove);
	UNIT(&l, put_many);
	UNIT_TABLE(&l, lease_live, live_rows);
	UNIT(&l, alloc_empty);
	UNIT_TABLE(&l, alloc, alloc_rows);
	UNIT(&l, alloc_promotes);
	UNIT(&l, alloc_fill);
	UNIT(&l, alloc_check_budget);
	UNIT(&l, gc);
	UNIT_TABLE(&l, lease_ifname, ifname_rows);
	UNIT(&l, alias_round_trip);
	UNIT_TABLE(&l, alias_malformed, alias_rows);
	return unit_run(&l, "lease");
}
