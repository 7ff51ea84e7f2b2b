/* SPDX-License-Identifier: MIT */
#include "nsrun/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/nsfs.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/leasefile.h"
#include "nsrun/link.h"
#include "nsrun/live.h"
#include "nsrun/log.h"
#include "nsrun/privs.h"

static void netns_path(const char *name, char buf[sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1])
{
	snprintf(buf, sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1, NSRUN_NETNS_DIR "/%s", name);
}

/*
 * /run/netns must be a shared mount point, as iproute2 makes it: a pin
 * made later then reaches every mount namespace that copied /run/netns,
 * and an unmount reaches them too, so that no copy keeps a removed
 * namespace alive.
 */
static int make_dir_shared(struct nsrun_err *err)
{
	if (mkdir(NSRUN_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return nsrun_err_sys(err, errno, "%s: create", NSRUN_NETNS_DIR);
	for (int tries = 0;; tries++) {
		if (mount("none", NSRUN_NETNS_DIR, NULL, MS_SHARED | MS_REC, NULL) == 0)
			return 0;
		/* EINVAL: not a mount point yet; make it one (bind on itself). */
		if (errno != EINVAL || tries > 0)
			return nsrun_err_sys(err, errno, "%s: make it a shared mount",
					     NSRUN_NETNS_DIR);
		if (mount(NSRUN_NETNS_DIR, NSRUN_NETNS_DIR, NULL, MS_BIND | MS_REC, NULL) < 0)
			return nsrun_err_sys(err, errno, "%s: bind mount on itself",
					     NSRUN_NETNS_DIR);
	}
}

static int reserve(const char *name, struct nsrun_err *err)
{
	char path[sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1];
	int fd, r;

	r = make_dir_shared(err);
	if (r < 0)
		return nsrun_err_ctx(err, "namespace %s", name);
	netns_path(name, path);
	/* O_EXCL: of two launches with the same name, one wins. */
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0 && errno == EEXIST)
		return nsrun_err_set(err, EEXIST, "namespace %s: name in use (%s exists)", name,
				     path);
	if (fd < 0)
		return nsrun_err_sys(err, errno, "namespace %s: create %s", name, path);
	close(fd);
	return 0;
}

int nsrun_netns_pin(const char *name, struct nsrun_err *err)
{
	char path[sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1];

	netns_path(name, path);
	if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0)
		return nsrun_err_sys(err, errno, "namespace %s: bind mount on %s", name, path);
	return 0;
}

static int unpin(const char *name, struct nsrun_err *err)
{
	char path[sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1];

	netns_path(name, path);
	/* EINVAL: not a mount point (a reservation never pinned). */
	if (umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL && errno != ENOENT)
		return nsrun_err_sys(err, errno, "namespace %s: unmount %s", name, path);
	if (unlink(path) < 0 && errno != ENOENT)
		return nsrun_err_sys(err, errno, "namespace %s: remove %s", name, path);
	return 0;
}

/* /run/netns is the host's state: a user granted --name or --rm acts on it
 * as root (privs.h), as on the lease files. */
int nsrun_netns_reserve(const char *name, struct nsrun_err *err)
{
	int r = nsrun_privs_state_enter(err);

	if (r < 0)
		return r;
	r = reserve(name, err);
	nsrun_privs_state_leave();
	return r;
}

int nsrun_netns_unpin(const char *name, struct nsrun_err *err)
{
	int r = nsrun_privs_state_enter(err);

	if (r < 0)
		return r;
	r = unpin(name, err);
	nsrun_privs_state_leave();
	return r;
}

int nsrun_netns_open(const char *name, struct nsrun_err *err)
{
	char path[sizeof(NSRUN_NETNS_DIR) + NSRUN_NETNS_MAX + 1];
	int fd;

	netns_path(name, path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return nsrun_err_set(err, ENOENT, "namespace %s: does not exist (no %s)", name,
				     path);
	if (fd < 0)
		return nsrun_err_sys(err, errno, "namespace %s: open %s", name, path);
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(fd);
		return nsrun_err_set(err, ENOTTY, "namespace %s: %s is not a network namespace",
				     name, path);
	}
	return fd;
}

struct nlmsghdr *nsrun_netns_build_getnsid(void *buf, size_t room, uint32_t seq, int fd)
{
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;

	g = nsrun_nl_put_request(buf, room, seq, RTM_GETNSID, NLM_F_ACK, sizeof(*g), &nlh);
	if (!g)
		return NULL;
	g->rtgen_family = AF_UNSPEC;
	if (!mnl_attr_put_u32_check(nlh, room, NETNSA_FD, (uint32_t)fd))
		return NULL;
	return nlh;
}

static int nsid_attr_cb(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == NETNSA_NSID && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		*(int *)data = (int)mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWNSID)
		return 0;
	return mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr_cb, data) < 0 ? -EBADMSG : 0;
}

int nsrun_netns_id(struct nsrun_nl *nl, int fd, int *nsid, struct nsrun_err *err)
{
	char buf[128] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl_batch b;
	void *tail;
	size_t room;
	int r;

	*nsid = -1;
	nsrun_nl_batch_init(&b, nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	r = nsrun_nl_batch_push(&b,
				nsrun_netns_build_getnsid(tail, room, nsrun_nl_batch_seq(&b), fd),
				"get namespace id");
	if (r < 0)
		return nsrun_err_sys(err, -r, "get namespace id");
	return nsrun_nl_batch_run(nl, &b, nsid_cb, nsid, err);
}

bool nsrun_netns_lease_is(struct nsrun_nl *host, const struct nsrun_lease *l, int nsid)
{
	int peer_nsid, peer;

	return nsid >= 0 && nsrun_link_peer(host, l->ifindex, &peer_nsid, &peer) == 0 &&
	       peer_nsid == nsid;
}

/* The live lease named name and leading into nsid, in one bridge's file. */
static int find_in_bridge(struct nsrun_nl *host, const char *state_dir, const char *bridge,
			  const char *name, int nsid, struct nsrun_netns_lease *out,
			  struct nsrun_err *err)
{
	struct nsrun_lease_table t = { 0 };
	struct nsrun_leasefile lf;
	struct nsrun_liveness lv;
	int r, found = 0;

	nsrun_live_init(&lv, host);
	r = nsrun_leasefile_open(&lf, state_dir, bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &t, err);
	nsrun_leasefile_close(&lf);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t.n && !found; i++) {
		struct nsrun_lease *l = &t.v[i];
		int peer_nsid;

		if (strcmp(l->netns, name) || !nsrun_lease_live(l, &lv))
			continue;
		if (nsrun_link_peer(host, l->ifindex, &peer_nsid, &out->peer_ifindex) < 0 ||
		    peer_nsid != nsid)
			continue; /* a namespace once called name, unpinned since */
		out->lease = *l;
		snprintf(out->bridge, sizeof(out->bridge), "%s", bridge);
		found = 1;
	}
	nsrun_lease_table_free(&t);
	return found;
}

int nsrun_netns_find_lease(struct nsrun_nl *host, const char *state_dir, const char *name, int nsfd,
			   struct nsrun_netns_lease *out, struct nsrun_err *err)
{
	char(*bridges)[IFNAMSIZ];
	size_t n;
	int nsid, r;

	r = nsrun_netns_id(host, nsfd, &nsid, err);
	if (r < 0)
		return nsrun_err_ctx(err, "namespace %s", name);
	if (nsid < 0)
		return 0; /* no veth of the host leads there: not ours */
	r = nsrun_leasefile_bridges(state_dir, &bridges, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++)
		r = find_in_bridge(host, state_dir, bridges[i], name, nsid, out, err);
	free(bridges);
	return r;
}

int nsrun_netns_remove(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct nsrun_netns_lease found;
	struct nsrun_nl host;
	int fd, r;

	r = nsrun_privs_check(err);
	if (r < 0)
		return r;
	fd = nsrun_netns_open(cfg->netns, err);
	if (fd == -ENOENT || (fd < 0 && !cfg->force))
		return fd;
	if (!cfg->force) {
		r = nsrun_nl_open(&host, err);
		if (r == 0) {
			r = nsrun_netns_find_lease(&host, cfg->state_dir, cfg->netns, fd, &found,
						   err);
			nsrun_nl_close(&host);
		}
		if (r == 0)
			r = nsrun_err_set(
				err, EPERM,
				"namespace %s: not made by nsrun; pass --force to remove it anyway",
				cfg->netns);
	}
	if (fd >= 0)
		close(fd);
	if (r < 0)
		return r;
	r = nsrun_netns_unpin(cfg->netns, err);
	if (r == 0)
		nsrun_log_verbose("namespace %s: removed", cfg->netns);
	return r;
}
