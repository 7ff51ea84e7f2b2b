/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_RESOLV_H
#define NSRUN_RESOLV_H

#include <stddef.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"

/*
 * What the target sees under /etc, set up in its private mount namespace
 * (the host's files are never written):
 *   - with a namespace name, every file of /etc/netns/NAME is bind-mounted
 *     over its namesake in /etc, as `ip netns exec` does;
 *   - with --dns, a resolv.conf that lists those servers, and only them, is
 *     bind-mounted over /etc/resolv.conf, on top of the above.
 */

#define NSRUN_ETC_NETNS_DIR "/etc/netns"

/* The text of a resolv.conf with these servers; -ENOSPC when it does not fit. */
int nsrun_resolv_format(const struct nsrun_addr *dns, unsigned int n, char *buf, size_t size);

/*
 * netns may be NULL, n may be 0.  scratch is an existing directory (never
 * created here: a mkdir would reach the host); a
 * tmpfs is mounted there for a moment, in this mount namespace only, to
 * hold the new resolv.conf.
 */
int nsrun_resolv_setup(const char *netns, const struct nsrun_addr *dns, unsigned int n,
		       const char *scratch, struct nsrun_err *err);

#endif
