/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_INFO_H
#define NSRUN_INFO_H

#include <stdint.h>
#include <sys/types.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/json.h"

/*
 * --info-fd FD: once the network is up and before exec, one JSON object on
 * FD, which is then closed (so a reader sees end of file):
 *   {"address":"10.47.0.2","prefix":16,"gateway":"10.47.0.1",
 *    "bridge":"nsrun0","ifname":"eth0","host_ifname":"nsr0a2f0002",
 *    "mac":"02:6e:0a:2f:00:02","pid":4242,"name":null}
 * pid is the target's (nsrun execs it); name is the --name, or null.
 */
struct nsrun_info {
	struct nsrun_addr addr;
	unsigned int prefix_len;
	struct nsrun_addr gateway;
	const char *bridge;
	const char *ifname;             /* inside */
	const char *host_ifname;
	uint8_t mac[NSRUN_MAC_LEN];     /* inside */
	pid_t pid;
	const char *name;               /* NULL or "" when unnamed */
};

void nsrun_info_json(struct nsrun_json *j, const struct nsrun_info *info);

/* Before any work: fd is open; it is made close-on-exec. */
int nsrun_info_check(int fd, struct nsrun_err *err);
/* Writes the object to fd and closes fd, also on failure. */
int nsrun_info_write(int fd, const struct nsrun_info *info, struct nsrun_err *err);

#endif
