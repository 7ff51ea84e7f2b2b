/* SPDX-License-Identifier: MIT */
#include "nsrun/live.h"

#include <errno.h>
#include <signal.h>

#include "nsrun/link.h"
#include "nsrun/proc.h"

bool nsrun_live_pid_exists(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static int live_ifindex(void *ctx, const char *ifname)
{
	return nsrun_link_ifindex(ctx, ifname);
}

static bool live_pid_exists(void *ctx, pid_t pid)
{
	(void)ctx;
	return nsrun_live_pid_exists(pid);
}

static bool live_pid(void *ctx, pid_t pid, uint64_t start)
{
	(void)ctx;
	return nsrun_proc_alive(pid, start);
}

static bool live_netns(void *ctx, int ifindex)
{
	return nsrun_link_peer_netns_alive(ctx, ifindex);
}

void nsrun_live_init(struct nsrun_liveness *lv, struct nsrun_nl *host)
{
	lv->ifindex = live_ifindex;
	lv->pid_exists = live_pid_exists;
	lv->pid_alive = live_pid;
	lv->netns_alive = live_netns;
	lv->ctx = host;
}
