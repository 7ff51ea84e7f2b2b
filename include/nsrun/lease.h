/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LEASE_H
#define NSRUN_LEASE_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/name.h"

/*
 * Lease table: the text of one bridge's lease file, its parser, its
 * serialiser and the allocation policy.  Pure: the kernel is reached only
 * through the liveness callbacks, so every decision is unit-testable.
 *
 * File format, version 1 (every line ends in '\n', fields separated by one
 * space, leases sorted by address):
 *
 *   nsrun-leases 1
 *   bridge br1 ifindex 7 mac-pinned 1
 *   lease 10.47.0.2 wired pid 4242 start 81234 ifindex 12 ifname nsr0a2f0002 netns - created 1764130000
 *
 * A lease is "pending" from allocation until some later nsrun sees its host
 * veth and records the veth's ifindex ("wired").  A lease is live while its
 * host veth exists (with the recorded ifindex, once wired) and the namespace
 * behind it is not dying, or, before the veth exists, while the process
 * setting it up runs.  Anything else is stale and is reused by the next
 * allocation.  The checks are ordered by cost: one ioctl and one kill(pid,
 * 0) decide the common case; only an orphaned veth costs a netlink query.
 */

#define NSRUN_LEASE_VERSION 1
#define NSRUN_LEASE_LINE_MAX 512
#define NSRUN_LEASE_FILE_MAX (64u << 20)
/* Leases an allocation checks before taking the lowest address without a
 * lease (a full pool checks them all). */
#define NSRUN_LEASE_CHECK_BUDGET 64

enum nsrun_lease_state {
	NSRUN_LEASE_PENDING,
	NSRUN_LEASE_WIRED,
};

struct nsrun_lease {
	struct nsrun_addr addr;
	enum nsrun_lease_state state;
	pid_t pid;
	uint64_t start;                 /* /proc/PID/stat field 22 */
	int ifindex;                    /* host end; 0 while pending */
	char ifname[IFNAMSIZ];          /* host end */
	char netns[NSRUN_NETNS_MAX + 1];/* "" when unnamed */
	int64_t created;                /* unix time */
};

struct nsrun_lease_table {
	char bridge[IFNAMSIZ];
	int bridge_ifindex;             /* bridge this file last saw, 0 unknown */
	bool mac_pinned;                /* nsrun pinned that bridge's MAC */
	size_t n, cap;
	struct nsrun_lease *v;          /* sorted by address, unique */
};

struct nsrun_liveness {
	/* ifindex of the host interface called ifname, 0 when there is none */
	int (*ifindex)(void *ctx, const char *ifname);
	/* cheap and conservative: some process has this pid (kill(pid, 0)) */
	bool (*pid_exists)(void *ctx, pid_t pid);
	/* exact: pid still runs (not a zombie) and started at start */
	bool (*pid_alive)(void *ctx, pid_t pid, uint64_t start);
	/* the namespace at the far end of host veth ifindex is not dying */
	bool (*netns_alive)(void *ctx, int ifindex);
	void *ctx;
};

void nsrun_lease_table_init(struct nsrun_lease_table *t, const char *bridge);
void nsrun_lease_table_free(struct nsrun_lease_table *t);

/* Strict parse; errors read "line N: <why>". t is initialised here. */
int nsrun_lease_table_parse(struct nsrun_lease_table *t, const char *bridge, const char *buf,
			    size_t len, struct nsrun_err *err);
/* Serialises t into a malloc'ed buffer, NUL-terminated (not counted in *outlen). */
int nsrun_lease_table_format(const struct nsrun_lease_table *t, char **out, size_t *outlen);

struct nsrun_lease *nsrun_lease_find(struct nsrun_lease_table *t, const struct nsrun_addr *a);
/* Inserts (keeping order) or replaces the lease with l's address. */
int nsrun_lease_put(struct nsrun_lease_table *t, const struct nsrun_lease *l);
/* Removes the lease of a; -ENOENT when there is none. */
int nsrun_lease_remove(struct nsrun_lease_table *t, const struct nsrun_addr *a);

/* Live or stale, see above; promotes a pending lease whose veth exists. */
bool nsrun_lease_live(struct nsrun_lease *l, const struct nsrun_liveness *lv);

/*
 * Picks the lowest free address of pool (or want, when not NULL), reusing a
 * stale lease, and records *tmpl there (its address and ifname are filled
 * in).  Of the leases, only the lowest NSRUN_LEASE_CHECK_BUDGET are checked
 * for staleness unless the pool is full: beyond that, the lowest address
 * without a lease.  On success *out points into t (valid until t changes).
 */
int nsrun_lease_alloc(struct nsrun_lease_table *t, const struct nsrun_pool *pool,
		      const struct nsrun_addr *want, const struct nsrun_lease *tmpl,
		      const struct nsrun_liveness *lv, struct nsrun_lease **out,
		      struct nsrun_err *err);

/*
 * Drops every stale lease.  The dropped ones are copied to dropped[] (up to
 * max); returns how many were dropped.
 */
size_t nsrun_lease_gc(struct nsrun_lease_table *t, const struct nsrun_liveness *lv,
		      struct nsrun_lease *dropped, size_t max);

/* Default host-side veth name of an address: "nsr" + 8 hex digits. */
void nsrun_lease_ifname(const struct nsrun_addr *a, unsigned int attempt, char buf[IFNAMSIZ]);

/*
 * The host veth's alias carries its lease, so the file can be rebuilt from
 * the live system:  "nsrun 1 10.47.0.2/16 pid 4242 start 81234 netns - created 1764130000"
 */
#define NSRUN_ALIAS_MAX 256
int nsrun_lease_alias_format(const struct nsrun_lease *l, unsigned int prefix_len,
			     char buf[NSRUN_ALIAS_MAX]);
/* Fills addr, pid, start, netns, created; ifname/ifindex are the caller's. */
int nsrun_lease_alias_parse(const char *alias, struct nsrun_lease *l, unsigned int *prefix_len);
/* The wired lease a live host veth (name, ifindex, alias) carries; -EINVAL
 * for a port nsrun did not make. */
int nsrun_lease_of_veth(const char *alias, const char *ifname, int ifindex,
			struct nsrun_lease *l);

const char *nsrun_lease_state_name(enum nsrun_lease_state s);

#endif
