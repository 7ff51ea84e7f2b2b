/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LIVE_H
#define NSRUN_LIVE_H

#include <stdbool.h>
#include <sys/types.h>

#include "nsrun/lease.h"
#include "nsrun/nl.h"

/*
 * The lease policy's view of the running system (struct nsrun_liveness):
 * interfaces and namespaces through host, a netlink socket of the host's
 * network namespace, processes through kill() and /proc.
 */
void nsrun_live_init(struct nsrun_liveness *lv, struct nsrun_nl *host);

/* Some process has this pid (kill(pid, 0)); cheap and conservative. */
bool nsrun_live_pid_exists(pid_t pid);

#endif
