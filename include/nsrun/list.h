/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LIST_H
#define NSRUN_LIST_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nsrun/cli.h"
#include "nsrun/err.h"
#include "nsrun/json.h"
#include "nsrun/lease.h"

/*
 * --list: one row per live lease, of every bridge with a lease file or of
 * --bridge's; stale leases are reclaimed (dropped from their file, under its
 * lock) on the way.
 *
 * --list --json prints one array of objects with these keys, always all of
 * them, in this order:
 *   address      "10.47.0.2"
 *   bridge       "nsrun0"
 *   state        "pending" or "wired"
 *   pid          the target's pid (nsrun's own, which it exec'ed)
 *   name         the namespace's name under /run/netns, or null
 *   host_ifname  the host end of the veth
 *   created      unix time of the lease
 *   age          seconds since then
 *   command      the target's argv as an array of strings, or null when
 *                the process is gone (a named namespace outlives it)
 *
 * A CNI attachment (--cni) is a row too: bridge "cni:" and the network's
 * name, state pending while ADD runs, name nsrun-ID, host_ifname the last
 * host-side interface of the result; address and host_ifname are null when
 * the result has none.
 */

/* A bridge's name, or "cni:" and a CNI network's. */
#define NSRUN_LIST_BRIDGE_MAX (4 + 128 + 1)

struct nsrun_list_row {
	struct nsrun_lease lease;
	char bridge[NSRUN_LIST_BRIDGE_MAX];
	bool cni;                       /* a CNI attachment, not a lease */
	bool named;                     /* lease.netns still names its namespace */
	char *argv;                     /* /proc/PID/cmdline (NUL-separated), or NULL */
	size_t argv_len;
};

#define NSRUN_LIST_AGE_MAX 24

/* "42s", "3m05s", "2h07m", "3d04h". */
void nsrun_list_age(int64_t seconds, char buf[NSRUN_LIST_AGE_MAX]);
/* The command for a terminal: arguments joined by spaces, every byte outside
 * printable ASCII and the backslash written \xNN.  malloc'ed; NULL: no memory. */
char *nsrun_list_command_text(const char *argv, size_t len);

/* The rows as a table (with a header line), or as the JSON array above. */
int nsrun_list_table(FILE *f, const struct nsrun_list_row *rows, size_t n, int64_t now);
void nsrun_list_json(struct nsrun_json *j, const struct nsrun_list_row *rows, size_t n,
		     int64_t now);

/* The whole action: reclaim, collect, print to out. */
int nsrun_list_run(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err);

#endif
