/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_NETNS_H
#define NSRUN_NETNS_H

#include <net/if.h>
#include <stddef.h>
#include <stdint.h>

#include "nsrun/cli.h"
#include "nsrun/err.h"
#include "nsrun/lease.h"
#include "nsrun/nl.h"

/*
 * Named network namespaces, as iproute2 keeps them: /run/netns is a shared
 * mount point, and /run/netns/NAME is a bind mount of the namespace (of
 * /proc/PID/ns/net), which keeps it alive with no process in it.  A
 * namespace is nsrun's when a live lease names it and that lease's veth
 * leads into it.
 */

#define NSRUN_NETNS_DIR "/run/netns"

/*
 * Claims NAME: creates /run/netns (a shared mount point, as `ip netns add`
 * makes it) and the empty file /run/netns/NAME, exclusively.  -EEXIST: the
 * name is in use.
 */
int nsrun_netns_reserve(const char *name, struct nsrun_err *err);
/* Bind-mounts the caller's network namespace onto the reserved file.  In
 * the host's mount namespace, or the mount stays private to nsrun. */
int nsrun_netns_pin(const char *name, struct nsrun_err *err);
/* Detaches the bind mount (if any) and removes the file. */
int nsrun_netns_unpin(const char *name, struct nsrun_err *err);

/* Opens /run/netns/NAME and checks that it is a network namespace. */
int nsrun_netns_open(const char *name, struct nsrun_err *err);

/* Builder: RTM_GETNSID of the namespace behind fd. */
struct nlmsghdr *nsrun_netns_build_getnsid(void *buf, size_t room, uint32_t seq, int fd);
/* The id nl's namespace gives the namespace behind fd; -1 when none. */
int nsrun_netns_id(struct nsrun_nl *nl, int fd, int *nsid, struct nsrun_err *err);

/* What nsrun knows of a namespace it made. */
struct nsrun_netns_lease {
	struct nsrun_lease lease;
	char bridge[IFNAMSIZ];
	int peer_ifindex;               /* the inner end of the veth, in the namespace */
};

/*
 * Finds the live lease of the namespace NAME (open at nsfd) among all lease
 * files of state_dir.  Returns 1 and fills *out, 0 when none, or an error.
 */
int nsrun_netns_find_lease(struct nsrun_nl *host, const char *state_dir, const char *name,
			   int nsfd, struct nsrun_netns_lease *out, struct nsrun_err *err);

/* Whether the live lease l (ifindex known) leads into the namespace nsid. */
bool nsrun_netns_lease_is(struct nsrun_nl *host, const struct nsrun_lease *l, int nsid);

/* --rm NAME [--force]. */
int nsrun_netns_remove(const struct nsrun_config *cfg, struct nsrun_err *err);

#endif
