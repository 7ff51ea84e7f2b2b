/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the lease file parser and what runs on its result.
 * Properties: a parsed file formats to text that parses to the same text;
 * allocation on any parsed table keeps it sorted and unique and hands out
 * only pool addresses that are not the gateway; the veth alias round-trips.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/lease.h"

/* Liveness decided by the data: names, pids, start times and ifindexes. */
static int fake_ifindex(void *ctx, const char *ifname)
{
	(void)ctx;
	return strlen(ifname) % 2 ? 0 : 7;
}

static bool fake_pid_exists(void *ctx, pid_t pid)
{
	(void)ctx;
	return pid & 1;
}

static bool fake_pid_alive(void *ctx, pid_t pid, uint64_t start)
{
	(void)ctx;
	return (pid & 1) && !(start & 1);
}

static bool fake_netns_alive(void *ctx, int ifindex)
{
	(void)ctx;
	return ifindex & 1;
}

static void check_sorted(const struct nsrun_lease_table *t)
{
	for (size_t i = 1; i < t->n; i++)
		if (nsrun_addr_cmp(&t->v[i - 1].addr, &t->v[i].addr) >= 0)
			abort();
}

static void round_trip(const struct nsrun_lease_table *t)
{
	struct nsrun_lease_table t2;
	struct nsrun_err err;
	char *a, *b;
	size_t alen, blen;

	if (nsrun_lease_table_format(t, &a, &alen) < 0)
		return;
	if (nsrun_lease_table_parse(&t2, t->bridge, a, alen, &err) < 0)
		abort(); /* what we write, we read */
	if (nsrun_lease_table_format(&t2, &b, &blen) < 0)
		abort();
	if (alen != blen || memcmp(a, b, alen))
		abort();
	free(a);
	free(b);
	nsrun_lease_table_free(&t2);
}

static void alias_round_trip(const struct nsrun_lease *l)
{
	char alias[NSRUN_ALIAS_MAX];
	struct nsrun_lease back;
	unsigned int len;

	if (nsrun_lease_alias_format(l, 24, alias) < 0)
		return;
	if (nsrun_lease_alias_parse(alias, &back, &len) < 0 || len != 24 ||
	    !nsrun_addr_equal(&back.addr, &l->addr) || back.pid != l->pid ||
	    back.start != l->start || back.created != l->created || strcmp(back.netns, l->netns))
		abort();
}

static void allocate(struct nsrun_lease_table *t, const uint8_t *data, size_t size)
{
	const struct nsrun_liveness lv = { fake_ifindex, fake_pid_exists, fake_pid_alive,
					   fake_netns_alive, NULL };
	struct nsrun_lease tmpl = { .pid = 4242, .start = 1, .created = 1 }, *got;
	struct nsrun_prefix gw = { .addr = nsrun_addr_v4(0x0a000001), .len = 29 };
	struct nsrun_addr want;
	struct nsrun_lease dropped[8];
	struct nsrun_pool pool;
	struct nsrun_err err;
	int r;

	/* The pool: 10.0.0.1/29 .. /24 after the first byte, want from the last. */
	gw.len = 24 + (size ? data[0] % 6 : 0);
	nsrun_pool_init(&pool, &gw);
	want = nsrun_addr_v4(0x0a000000 | (size ? data[size - 1] : 0));
	r = nsrun_lease_alloc(t, &pool, size > 1 && data[1] & 1 ? &want : NULL, &tmpl, &lv, &got,
			      &err);
	check_sorted(t);
	if (r == 0 && (!nsrun_pool_has(&pool, &got->addr) || got->pid != tmpl.pid))
		abort();
	nsrun_lease_gc(t, &lv, dropped, 8);
	check_sorted(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nsrun_lease_table t;
	struct nsrun_err err;
	char alias[NSRUN_ALIAS_MAX];
	struct nsrun_lease l;
	unsigned int len;

	if (nsrun_lease_table_parse(&t, "br1", (const char *)data, size, &err) == 0) {
		check_sorted(&t);
		round_trip(&t);
		for (size_t i = 0; i < t.n; i++)
			alias_round_trip(&t.v[i]);
		allocate(&t, data, size);
		round_trip(&t);
		nsrun_lease_table_free(&t);
	} else if (!err.msg[0] || strchr(err.msg, '\n')) {
		abort(); /* an error names its line, in one line */
	}

	/* The same bytes as a veth alias. */
	len = size < sizeof(alias) ? (unsigned int)size : sizeof(alias) - 1;
	memcpy(alias, data, len);
	alias[len] = '\0';
	if (nsrun_lease_alias_parse(alias, &l, &len) == 0)
		alias_round_trip(&l);
	return 0;
}
