/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_IPCONF_H
#define NSRUN_IPCONF_H

#include <stddef.h>
#include <stdint.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/nl.h"

/* Addresses and routes.  Builders are pure. */

struct nlmsghdr *nsrun_ipconf_build_addr(void *buf, size_t room, uint32_t seq, int ifindex,
					 const struct nsrun_prefix *addr);
struct nlmsghdr *nsrun_ipconf_build_default_route(void *buf, size_t room, uint32_t seq,
						  int ifindex, const struct nsrun_addr *gw);
struct nlmsghdr *nsrun_ipconf_build_addr_dump(void *buf, size_t room, uint32_t seq);

int nsrun_ipconf_add_addr(struct nsrun_nl *nl, int ifindex, const struct nsrun_prefix *addr,
			  struct nsrun_err *err);

/*
 * Inside the namespace, in one batch: the address on ifindex, arp_notify,
 * the link up (which announces the address), lo up, lo_addrs[0..n_lo) on lo
 * (then also arp_ignore=1, arp_announce=2 on ifindex), the default route.
 */
int nsrun_ipconf_inside(struct nsrun_nl *nl, int ifindex, const struct nsrun_prefix *addr,
			const struct nsrun_addr *gw, const struct nsrun_prefix *lo_addrs,
			unsigned int n_lo, struct nsrun_err *err);

#endif
