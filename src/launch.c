/* SPDX-License-Identifier: MIT */
#include "nsrun/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nsrun/cni.h"
#include "nsrun/info.h"
#include "nsrun/ipconf.h"
#include "nsrun/lease.h"
#include "nsrun/leasefile.h"
#include "nsrun/link.h"
#include "nsrun/live.h"
#include "nsrun/log.h"
#include "nsrun/mount.h"
#include "nsrun/netns.h"
#include "nsrun/nat.h"
#include "nsrun/pidns.h"
#include "nsrun/privs.h"
#include "nsrun/proc.h"
#include "nsrun/shape.h"
#include "nsrun/resolv.h"

extern char **environ;

#define EXEC_PATH_MAX 4096
#define MAX_ARG_STRLEN_BYTES (32 * 4096) /* the kernel's per-string limit */

void nsrun_fault_point(const char *step)
{
#ifdef NSRUN_TEST_FAULTS
	const char *f = getenv("NSRUN_FAULT");

	if (f && !strcmp(f, step))
		raise(SIGKILL);
#else
	(void)step;
#endif
}

/* Everything the sequence learns on the way, for rollback and the target. */
struct launch {
	const struct nsrun_config *cfg;
	struct nsrun_nl host;
	struct nsrun_bridge br;
	struct nsrun_lease lease;       /* ours, once allocated */
	bool leased;
	struct nsrun_shaper shaper;     /* link shaping, decided in preflight */
	char exec_path[EXEC_PATH_MAX];
	char ifname[IFNAMSIZ];          /* inside */
	uint8_t mac[NSRUN_MAC_LEN];     /* inside */
	bool has_env;                   /* the NSRUN_* variables are known */
	bool reserved, pinned;          /* /run/netns/NAME created, bind-mounted */
	bool mnt_private;               /* in our own mount namespace since the pin */
	int host_mntns;                 /* the host's mount namespace, for the pin */
	struct nsrun_cni *cni;          /* --cni: the attachment being made */
};

/* ---- the command ------------------------------------------------------- */

static int exec_status(int e)
{
	return e == ENOENT || e == ENOTDIR ? NSRUN_EXIT_NOT_FOUND : NSRUN_EXIT_CANNOT_EXEC;
}

static int check_candidate(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (access(path, X_OK) < 0)
		return -errno;
	return 0;
}

/*
 * Resolves the command as execvp() would, before anything is set up: a
 * missing command then costs nothing and leaves nothing behind.
 */
static int resolve_command(struct launch *l, struct nsrun_err *err)
{
	const char *cmd = l->cfg->command[0];
	const char *path, *p;
	int saved = -ENOENT, r;

	if (strchr(cmd, '/')) {
		if (strlen(cmd) >= sizeof(l->exec_path))
			return nsrun_err_set(err, ENAMETOOLONG, "%s: name too long", cmd);
		r = check_candidate(cmd);
		if (r < 0)
			return nsrun_err_sys(err, -r, "%s", cmd);
		snprintf(l->exec_path, sizeof(l->exec_path), "%s", cmd);
		return 0;
	}
	path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p++) {
		const char *end = strchrnul(p, ':');
		int n = end == p ? snprintf(l->exec_path, sizeof(l->exec_path), "%s", cmd)
				 : snprintf(l->exec_path, sizeof(l->exec_path), "%.*s/%s",
					    (int)(end - p), p, cmd);

		if (n > 0 && (size_t)n < sizeof(l->exec_path)) {
			r = check_candidate(l->exec_path);
			if (r == 0)
				return 0;
			if (r == -EACCES || r == -EISDIR)
				saved = r; /* as execvp: keep looking, report EACCES */
		}
		p = end;
		if (!*p)
			break;
	}
	if (saved == -ENOENT)
		return nsrun_err_set(err, ENOENT, "%s: command not found", cmd);
	return nsrun_err_sys(err, -saved, "%s", cmd);
}

/* E2BIG at execve() would come after all the work: check it first. */
static int check_arg_size(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	long max = sysconf(_SC_ARG_MAX);
	size_t total = 512; /* the NSRUN_* variables we add */
	size_t n = 0;

	for (char **a = cfg->command; *a; a++, n++) {
		size_t len = strlen(*a) + 1;

		if (len > MAX_ARG_STRLEN_BYTES)
			return nsrun_err_set(err, E2BIG, "%s: argument %zu longer than %d bytes",
					     cfg->command[0], n, MAX_ARG_STRLEN_BYTES);
		total += len + sizeof(char *);
	}
	for (char **e = environ; e && *e; e++) {
		size_t len = strlen(*e) + 1;

		if (len > MAX_ARG_STRLEN_BYTES)
			return nsrun_err_set(err, E2BIG, "environment: a variable longer than %d bytes",
					     MAX_ARG_STRLEN_BYTES);
		total += len + sizeof(char *);
	}
	if (max > 0 && total > (size_t)max)
		return nsrun_err_set(err, E2BIG,
				     "%s: arguments and environment too long (%zu bytes, limit %ld)",
				     cfg->command[0], total, max);
	return 0;
}

/* ---- bridge ------------------------------------------------------------ */

/* nsrun creates a missing bridge only if it is the default or has --subnet. */
static bool may_create(const struct nsrun_config *cfg)
{
	return cfg->bridge_is_default || cfg->has_subnet;
}

static int missing_bridge(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	return nsrun_err_set(err, ENODEV,
			     "bridge %s: does not exist; create it, or pass --subnet to let nsrun create it",
			     cfg->bridge);
}

/*
 * Under the lease lock, so concurrent first launches create the bridge once.
 * looked_up is the result of the lookup (0 or -ENODEV).
 */
static int setup_bridge(struct launch *l, struct nsrun_lease_table *t, int looked_up,
			bool *created, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	struct nsrun_prefix subnet, gw;
	char want[NSRUN_PREFIX_STRLEN], have[NSRUN_PREFIX_STRLEN];
	int r = looked_up;

	*created = false;
	if (r == -ENODEV && may_create(cfg) && cfg->privs && !cfg->privs->may_create)
		return nsrun_privs_refuse_create(cfg->privs, cfg->bridge, err);
	if (r == -ENODEV && may_create(cfg)) {
		if (cfg->has_subnet)
			subnet = cfg->subnet;
		else if (nsrun_prefix_parse(NSRUN_DEFAULT_SUBNET, &subnet, true) < 0)
			return nsrun_err_set(err, EINVAL, "internal: bad default subnet");
		gw.len = subnet.len;
		if (nsrun_prefix_first_host(&subnet, &gw.addr) < 0)
			return nsrun_err_set(err, EINVAL, "bridge %s: subnet too small", cfg->bridge);
		r = nsrun_link_bridge_create(&l->host, cfg->bridge, &gw, &l->br, err);
		if (r == -EEXIST) /* created meanwhile by someone without our lock */
			r = nsrun_link_bridge_get(&l->host, cfg->bridge, &l->br, err);
		else if (r == 0)
			*created = true;
		if (r < 0)
			return r;
		nsrun_fault_point("bridge-created");
		nsrun_log_verbose("bridge %s: created with %s/%u", cfg->bridge,
				  (nsrun_addr_format(&gw.addr, want), want), gw.len);
	} else if (r == -ENODEV) {
		return missing_bridge(cfg, err);
	} else if (r < 0) {
		return r;
	}

	if (!l->br.has_addr) {
		/* The default bridge without its address: an nsrun that created
		 * it was killed before giving it one.  Finish the job. */
		if (cfg->has_subnet)
			subnet = cfg->subnet;
		else if (!cfg->bridge_is_default ||
			 nsrun_prefix_parse(NSRUN_DEFAULT_SUBNET, &subnet, true) < 0)
			return nsrun_err_set(err, EADDRNOTAVAIL,
					     "bridge %s: no IPv4 address; pass --subnet to assign one",
					     cfg->bridge);
		gw.len = subnet.len;
		nsrun_prefix_first_host(&subnet, &gw.addr);
		r = nsrun_ipconf_add_addr(&l->host, l->br.ifindex, &gw, err);
		if (r < 0)
			return nsrun_err_ctx(err, "bridge %s", cfg->bridge);
		l->br.has_addr = true;
		l->br.addr = gw;
	} else if (cfg->has_subnet) {
		struct nsrun_prefix net = nsrun_prefix_network(&l->br.addr);

		if (net.len != cfg->subnet.len || !nsrun_addr_equal(&net.addr, &cfg->subnet.addr)) {
			nsrun_prefix_format(&cfg->subnet, want);
			nsrun_prefix_format(&l->br.addr, have);
			return nsrun_err_set(err, EEXIST, "bridge %s: has address %s, not in --subnet %s",
					     cfg->bridge, have, want);
		}
	}
	if (!l->br.up)
		nsrun_log_warn("bridge %s: is down; the namespace will reach nothing through it",
			       cfg->bridge);

	/* A bridge whose MAC was never set follows its lowest port MAC, and so
	 * changes as namespaces come and go, breaking every cached gateway
	 * MAC.  Pin it once, at its current value. */
	if (!*created && (!t->mac_pinned || t->bridge_ifindex != l->br.ifindex)) {
		r = nsrun_link_bridge_pin_mac(&l->host, &l->br, err);
		if (r < 0)
			return r;
		nsrun_log_verbose("bridge %s: MAC address pinned", cfg->bridge);
	}
	t->mac_pinned = true;
	t->bridge_ifindex = l->br.ifindex;
	return 0;
}

/* ---- leases ------------------------------------------------------------- */

struct rebuild_ctx {
	struct nsrun_lease_table *t;
	unsigned int found;
};

static int rebuild_port(const struct nsrun_port *port, void *data)
{
	struct rebuild_ctx *c = data;
	struct nsrun_lease l;

	if (nsrun_lease_of_veth(port->alias, port->ifname, port->ifindex, &l) < 0)
		return 0; /* a port nsrun did not make */
	c->found++;
	return nsrun_lease_put(c->t, &l);
}

/* A missing lease file while namespaces run: the veth aliases know. */
static int rebuild_from_ports(struct launch *l, struct nsrun_lease_table *t,
			      struct nsrun_err *err)
{
	struct rebuild_ctx c = { .t = t };
	int r = nsrun_link_list_ports(&l->host, l->br.ifindex, rebuild_port, &c, err);

	if (r < 0)
		return nsrun_err_ctx(err, "bridge %s: rebuild leases", l->br.name);
	if (c.found)
		nsrun_log_info("bridge %s: lease file was missing; rebuilt %u lease%s from live interfaces",
			       l->br.name, c.found, c.found == 1 ? "" : "s");
	return 0;
}

static int allocate_once(struct launch *l, bool *retry, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	struct nsrun_lease_table t = { 0 };
	struct nsrun_liveness lv;
	struct nsrun_leasefile lf;
	struct nsrun_lease tmpl = { 0 }, *got;
	struct nsrun_pool pool;
	char path[PATH_MAX];
	int r, looked_up;
	bool created;

	nsrun_live_init(&lv, &l->host);
	/* A bridge that is not one, or is missing and may not be created, is
	 * refused before the state directory is touched.  Once the bridge has
	 * a lease file, the lookup under the lock checks it (and the ethtool
	 * ioctl, which takes the RTNL lock, is spared). */
	snprintf(path, sizeof(path), "%s/%s.leases", cfg->state_dir, cfg->bridge);
	if (access(path, F_OK) < 0) {
		r = nsrun_link_bridge_check(&l->host, cfg->bridge, err);
		if (r == -ENOTTY)
			return r;
		if (r == -ENODEV && !may_create(cfg))
			return missing_bridge(cfg, err);
	}
	r = nsrun_leasefile_open(&lf, cfg->state_dir, cfg->bridge, err);
	if (r < 0)
		return r;
	nsrun_log_step("lock");
	r = nsrun_leasefile_load(&lf, &t, err);
	if (r < 0)
		goto out;
	/* A bridge this file knows: a few ioctls instead of two netlink
	 * round trips.  Unknown, renamed, recreated: the full lookup. */
	looked_up = -ESTALE;
	if (t.mac_pinned)
		looked_up = nsrun_link_bridge_get_known(&l->host, cfg->bridge, t.bridge_ifindex,
							&l->br);
	if (looked_up == -ESTALE)
		looked_up = nsrun_link_bridge_get(&l->host, cfg->bridge, &l->br, err);
	if (looked_up < 0 && looked_up != -ENODEV) {
		r = looked_up;
		goto out;
	}
	nsrun_log_step("bridge");
	r = setup_bridge(l, &t, looked_up, &created, err);
	if (r < 0)
		goto out;
	if (!lf.existed && !created) {
		r = rebuild_from_ports(l, &t, err);
		if (r < 0)
			goto out;
	}
	if (nsrun_pool_init(&pool, &l->br.addr) < 0) {
		r = nsrun_err_set(err, EAFNOSUPPORT, "bridge %s: unusable address", cfg->bridge);
		goto out;
	}
	tmpl = l->lease;
	r = nsrun_lease_alloc(&t, &pool, cfg->has_ip ? &cfg->ip : NULL, &tmpl, &lv, &got, err);
	if (r == -EADDRINUSE && cfg->has_ip) {
		const struct nsrun_lease *h = nsrun_lease_find(&t, &cfg->ip);

		/* Its target is gone and nothing pins it: the namespace is on
		 * its way out, the kernel just has not removed the veth yet. */
		*retry = h && !h->netns[0] && !nsrun_live_pid_exists(h->pid);
	}
	if (r < 0)
		goto out;
	l->lease = *got;
	nsrun_fault_point("lease-chosen");
	r = nsrun_leasefile_save(&lf, &t, err);
	if (r < 0)
		goto out;
	l->leased = true;
	nsrun_fault_point("lease-written");
out:
	nsrun_lease_table_free(&t);
	nsrun_leasefile_close(&lf);
	return r;
}

/*
 * A namespace's veth outlives its last process by the kernel's asynchronous
 * cleanup (tens of ms).  Automatic allocation just takes the next address;
 * --ip of a backend being restarted waits for its predecessor, unlocked.
 */
static int allocate(struct launch *l, struct nsrun_err *err)
{
	const struct timespec pause = { .tv_nsec = 5 * 1000 * 1000 };

	for (int tries = 0;; tries++) {
		bool retry = false;
		int r = allocate_once(l, &retry, err);

		if (!retry || tries == 1000) /* 5 s */
			return r;
		if (tries == 0)
			nsrun_log_verbose("address busy: waiting for the previous namespace to go");
		nanosleep(&pause, NULL);
	}
}

/* Updates or releases our lease under the lock (rename on EEXIST, failure). */
static int update_lease(struct launch *l, bool release, struct nsrun_err *err)
{
	struct nsrun_lease_table t = { 0 };
	struct nsrun_leasefile lf;
	struct nsrun_lease *cur;
	int r;

	r = nsrun_leasefile_open(&lf, l->cfg->state_dir, l->cfg->bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &t, err);
	if (r < 0)
		goto out;
	cur = nsrun_lease_find(&t, &l->lease.addr);
	/* Only ours: the same pid and start time. */
	if (!cur || cur->pid != l->lease.pid || cur->start != l->lease.start)
		goto out;
	if (release)
		nsrun_lease_remove(&t, &l->lease.addr);
	else
		*cur = l->lease;
	r = nsrun_leasefile_save(&lf, &t, err);
out:
	nsrun_lease_table_free(&t);
	nsrun_leasefile_close(&lf);
	return r;
}

static void release_lease(struct launch *l)
{
	struct nsrun_err ignored;

	if (l->leased && update_lease(l, true, &ignored) == 0)
		l->leased = false;
}

/* ---- the network --------------------------------------------------------- */

static int wire(struct launch *l, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	struct nsrun_veth_req req = { 0 };
	char alias[NSRUN_ALIAS_MAX];
	int r;

	req.peer_name = cfg->ifname;
	nsrun_mac_host(&l->lease.addr, req.host_mac);
	if (cfg->has_mac)
		memcpy(req.peer_mac, cfg->mac, NSRUN_MAC_LEN);
	else
		nsrun_mac_inner(&l->lease.addr, req.peer_mac);
	memcpy(l->mac, req.peer_mac, NSRUN_MAC_LEN);
	/* The host end takes the bridge's MTU: a smaller port would pull the
	 * bridge's own MTU down. */
	req.host_mtu = l->br.mtu;
	req.peer_mtu = cfg->mtu ? cfg->mtu : l->br.mtu;
	req.master = l->br.ifindex;
	req.netns_pid = getpid();
	r = nsrun_lease_alias_format(&l->lease, l->br.addr.len, alias);
	if (r < 0)
		return nsrun_err_sys(err, -r, "veth alias");
	for (unsigned int attempt = 1;; attempt++) {
		req.host_name = l->lease.ifname;
		r = nsrun_link_add_veth(&l->host, &req, alias, err);
		if (r == -EXFULL)
			return nsrun_err_set(err, EXFULL,
					     "bridge %s: no free port for veth %s (a bridge holds at most 1023)",
					     l->br.name, req.host_name);
		if (r != -EEXIST || attempt > 9)
			return r;
		/* The name is taken (another bridge with the same subnet, or a
		 * dying namespace's veth): take the next and record it. */
		nsrun_lease_ifname(&l->lease.addr, attempt, l->lease.ifname);
		r = update_lease(l, false, err);
		if (r < 0)
			return r;
		nsrun_fault_point("veth-renamed");
	}
}

static int configure_inside(struct launch *l, struct nsrun_err *err)
{
	struct nsrun_prefix addr = { .addr = l->lease.addr, .len = l->br.addr.len };
	struct nsrun_nl inner;
	int ifindex, r;

	/* Opened after unshare(): this socket belongs to the new namespace. */
	r = nsrun_nl_open(&inner, err);
	if (r < 0)
		return r;
	ifindex = nsrun_link_ifindex(&inner, l->cfg->ifname);
	if (ifindex <= 0) {
		nsrun_nl_close(&inner);
		return nsrun_err_set(err, ENODEV, "inside: %s: not found after creation",
				     l->cfg->ifname);
	}
	r = nsrun_ipconf_inside(&inner, ifindex, &addr, &l->br.addr.addr, l->cfg->lo_addrs,
				l->cfg->n_lo_addrs, err);
	/* Before privileges drop: the target cannot undo it. */
	if (r == 0 && nsrun_shape_apply(&inner, ifindex, l->cfg->mtu ? l->cfg->mtu : l->br.mtu,
					&l->shaper, err) < 0)
		r = nsrun_err_ctx(err, "inside: shape %s", l->cfg->ifname);
	nsrun_nl_close(&inner);
	return r;
}

/* ---- lifecycle: names, joins, /etc, --info-fd ------------------------- */

/* Before any work: the info fd is open, the name is ours. */
static int lifecycle_preflight(struct launch *l, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	int r;

	if (cfg->info_fd >= 0) {
		r = nsrun_info_check(cfg->info_fd, err);
		if (r < 0)
			return r;
	}
	if (cfg->action == NSRUN_ACTION_JOIN || !cfg->netns)
		return 0;
	r = nsrun_netns_reserve(cfg->netns, err);
	if (r < 0)
		return r;
	l->reserved = true;
	return 0;
}

/* Our own mount namespace, the host's kept to undo what was made in it. */
static int private_mounts(struct launch *l, int flags, struct nsrun_err *err)
{
	l->host_mntns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (l->host_mntns < 0)
		return nsrun_err_sys(err, errno, "/proc/self/ns/mnt");
	if (unshare(CLONE_NEWNS | flags) < 0)
		return nsrun_err_sys(err, errno, "unshare mount namespace");
	l->mnt_private = true;
	return 0;
}

/*
 * --name: the bind mount is made in the host's mount namespace, so that
 * `ip netns` and everyone else see it; only then our own mount namespace.
 */
static int pin(struct launch *l, struct nsrun_err *err)
{
	int r;

	r = nsrun_netns_pin(l->cfg->netns, err);
	if (r < 0)
		return r;
	l->pinned = true;
	nsrun_fault_point("pinned");
	r = private_mounts(l, 0, err);
	if (r < 0)
		return r;
	nsrun_log_step("pin");
	return 0;
}

/*
 * Undoes what would outlive us: the pin (from the host's mount namespace,
 * where it was made), then the lease -- kept when the pin could not be
 * undone (privileges dropped already), since the namespace then lives on.
 */
static void rollback(struct launch *l)
{
	struct nsrun_err ignored;
	/* The pins and the CNI DELs belong to the host's mount namespace. */
	bool host_mnt = (!l->cni && !l->reserved) || !l->mnt_private ||
			setns(l->host_mntns, CLONE_NEWNS) == 0;

	if (l->cni) {
		nsrun_cni_abort(l->cni, host_mnt);
		nsrun_cni_free(l->cni);
		l->cni = NULL;
	}
	if (l->reserved && host_mnt && nsrun_netns_unpin(l->cfg->netns, &ignored) == 0)
		l->reserved = l->pinned = false;
	if (l->pinned)
		nsrun_log_warn("namespace %s: stays, pinned; nsrun --rm %s removes it",
			       l->cfg->netns, l->cfg->netns);
	else
		release_lease(l);
	if (l->host_mntns >= 0)
		close(l->host_mntns);
	l->host_mntns = -1;
}

/* The NSRUN_* values of a namespace nsrun made, from its lease and bridge. */
static void adopt_lease(struct launch *l, const struct nsrun_netns_lease *found)
{
	struct nsrun_err e;

	if (nsrun_link_bridge_get(&l->host, found->bridge, &l->br, &e) < 0) {
		nsrun_log_warn("%s; NSRUN_* not set", e.msg);
		return;
	}
	if (!l->br.has_addr) {
		nsrun_log_warn("bridge %s: no IPv4 address; NSRUN_* not set", found->bridge);
		return;
	}
	l->lease = found->lease;
	l->has_env = true;
}

/* --join NAME: into a namespace that exists, as `ip netns exec` does. */
static int join(struct launch *l, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	struct nsrun_netns_lease found;
	int fd, r;

	l->has_env = false;
	fd = nsrun_netns_open(cfg->netns, err);
	if (fd < 0)
		return fd;
	r = nsrun_netns_find_lease(&l->host, cfg->state_dir, cfg->netns, fd, &found, err);
	if (r > 0)
		adopt_lease(l, &found);
	if (r >= 0 && setns(fd, CLONE_NEWNET) < 0)
		r = nsrun_err_sys(err, errno, "namespace %s: join", cfg->netns);
	close(fd);
	if (r < 0)
		return r;
	/* The inner end of the veth, named as it is in there now. */
	if (l->has_env && !if_indextoname((unsigned int)found.peer_ifindex, l->ifname)) {
		nsrun_log_warn("namespace %s: no interface %d; NSRUN_* not set", cfg->netns,
			       found.peer_ifindex);
		l->has_env = false;
	}
	if (unshare(CLONE_NEWNS | (cfg->hostname ? CLONE_NEWUTS : 0)) < 0)
		return nsrun_err_sys(err, errno, "unshare namespaces");
	nsrun_log_step("join");
	return 0;
}

static int write_info(const struct launch *l, struct nsrun_err *err)
{
	struct nsrun_info info = {
		.addr = l->lease.addr,
		.prefix_len = l->br.addr.len,
		.gateway = l->br.addr.addr,
		.bridge = l->br.name,
		.ifname = l->ifname,
		.host_ifname = l->lease.ifname,
		.pid = getpid(),
		.name = l->cfg->netns,
	};

	memcpy(info.mac, l->mac, NSRUN_MAC_LEN);
	return nsrun_info_write(l->cfg->info_fd, &info, err);
}

/* In the private mount namespace, the network up: what the target sees. */
static int lifecycle_inside(struct launch *l, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	int r;

	if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return nsrun_err_sys(err, errno, "--hostname %s", cfg->hostname);
	if (cfg->netns || cfg->ndns) {
		/* A directory that exists to mount the scratch tmpfs on: the
		 * state directory a launch used, /run/netns a join opened. */
		r = nsrun_resolv_setup(cfg->netns, cfg->dns, cfg->ndns,
				       cfg->action == NSRUN_ACTION_JOIN ? NSRUN_NETNS_DIR
									: cfg->state_dir,
				       err);
		if (r < 0)
			return r;
		nsrun_log_step("etc");
	}
	if (cfg->info_fd >= 0) {
		r = l->cni ? nsrun_cni_write_info(l->cni, cfg->info_fd, err) : write_info(l, err);
		if (r < 0)
			return r;
		nsrun_log_step("info");
	}
	return 0;
}

static int export_env(const struct launch *l, struct nsrun_err *err)
{
	static const char *const vars[] = { "NSRUN_ADDR", "NSRUN_PREFIX", "NSRUN_GATEWAY",
					    "NSRUN_BRIDGE", "NSRUN_IFNAME" };
	char addr[NSRUN_ADDR_STRLEN], gw[NSRUN_ADDR_STRLEN], len[8];

	if (l->cni)
		return nsrun_cni_export_env(l->cni, err);
	if (!l->has_env) { /* joined a namespace nsrun did not make: none, not the caller's */
		for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			unsetenv(vars[i]);
		return 0;
	}
	nsrun_addr_format(&l->lease.addr, addr);
	nsrun_addr_format(&l->br.addr.addr, gw);
	snprintf(len, sizeof(len), "%u", l->br.addr.len);
	if (setenv("NSRUN_ADDR", addr, 1) < 0 || setenv("NSRUN_PREFIX", len, 1) < 0 ||
	    setenv("NSRUN_GATEWAY", gw, 1) < 0 || setenv("NSRUN_BRIDGE", l->br.name, 1) < 0 ||
	    setenv("NSRUN_IFNAME", l->ifname, 1) < 0)
		return nsrun_err_sys(err, errno, "environment");
	return 0;
}

/* The host end's egress: the namespace's inbound direction. */
static int shape_host(struct launch *l, struct nsrun_err *err)
{
	int ifindex;

	if (!nsrun_shape_any(&l->cfg->shape))
		return 0;
	ifindex = nsrun_link_ifindex(&l->host, l->lease.ifname);
	if (ifindex <= 0)
		return nsrun_err_set(err, ENODEV, "veth %s: not found after creation",
				     l->lease.ifname);
	if (nsrun_shape_apply(&l->host, ifindex, l->br.mtu, &l->shaper, err) < 0)
		return nsrun_err_ctx(err, "veth %s: shape", l->lease.ifname);
	return 0;
}

/* A new namespace, wired to the bridge, with its address and route. */
static int setup_network(struct launch *l, struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	int r;

	/* Our lease-to-be: this process (start time against pid reuse), the
	 * name, recorded in the lease and in the veth's alias. */
	l->lease.pid = getpid();
	r = nsrun_proc_starttime(0, &l->lease.start);
	if (r < 0)
		return nsrun_err_sys(err, -r, "/proc/self/stat");
	l->lease.created = (int64_t)time(NULL);
	if (cfg->netns)
		snprintf(l->lease.netns, sizeof(l->lease.netns), "%s", cfg->netns);
	r = allocate(l, err);
	if (r < 0)
		return r;
	nsrun_log_step("lease");
	/* Host side, before unshare(): the rules and ip_forward are the host's. */
	if (cfg->nat) {
		r = nsrun_nat_ensure(l->br.name, &l->br.addr, err);
		if (r < 0)
			return r;
		nsrun_log_step("nat");
	}

	/* From here on the namespace, and with it the veth, dies with us.  A
	 * named one gets its own mount namespace only once it is pinned. */
	if (unshare(CLONE_NEWNET | (cfg->netns ? 0 : CLONE_NEWNS) |
		    (cfg->hostname ? CLONE_NEWUTS : 0)) < 0)
		return nsrun_err_sys(err, errno, "unshare namespaces");
	nsrun_fault_point("unshared");
	nsrun_log_step("unshare");
	r = wire(l, err);
	if (r < 0)
		return r;
	r = shape_host(l, err);
	if (r < 0)
		return r;
	nsrun_fault_point("veth-created");
	nsrun_log_step("veth");
	r = configure_inside(l, err);
	if (r < 0)
		return r;
	nsrun_fault_point("inside-configured");
	nsrun_log_step("inside");
	return cfg->netns ? pin(l, err) : 0;
}

/*
 * --cni: the node's plugins wire the namespace.  They run, and the namespace
 * is pinned, in the host's mount namespace; ours comes after.
 */
static int setup_cni(struct launch *l, struct nsrun_err *err)
{
	int r;

	r = nsrun_cni_prepare(l->cfg, &l->cni, err);
	if (r < 0)
		return r;
	if (unshare(CLONE_NEWNET) < 0)
		return nsrun_err_sys(err, errno, "unshare network namespace");
	nsrun_fault_point("unshared");
	nsrun_log_step("unshare");
	r = nsrun_cni_attach(l->cni, err);
	if (r < 0)
		return r;
	return private_mounts(l, l->cfg->hostname ? CLONE_NEWUTS : 0, err);
}

int nsrun_launch(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct launch l = { .cfg = cfg, .host_mntns = -1, .has_env = true, .shaper.prog_fd = -1 };
	int r;

	snprintf(l.ifname, sizeof(l.ifname), "%s", cfg->ifname);
	r = resolve_command(&l, err);
	if (r < 0)
		return exec_status(-r);
	r = check_arg_size(cfg, err);
	if (r < 0)
		return NSRUN_EXIT_FAILURE;
	r = nsrun_privs_check(err);
	if (r < 0)
		return NSRUN_EXIT_FAILURE;
	r = lifecycle_preflight(&l, err);
	if (r < 0)
		goto fail;
	/* Shaping the kernel cannot do fails here, before anything exists. */
	r = nsrun_shape_prepare(&l.shaper, &cfg->shape, err);
	if (r < 0)
		goto fail;
	nsrun_log_step("preflight");

	r = nsrun_nl_open(&l.host, err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("nl-opened");
	r = cfg->action == NSRUN_ACTION_JOIN ? join(&l, err)
	    : cfg->cni_net		     ? setup_cni(&l, err)
					     : setup_network(&l, err);
	if (r < 0)
		goto fail;
	nsrun_nl_close(&l.host);
	nsrun_shape_release(&l.shaper);

	r = nsrun_mount_fresh_sys(err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("mounted");
	nsrun_log_step("mount");
	r = lifecycle_inside(&l, err);
	if (r < 0)
		goto fail;
	r = export_env(&l, err);
	if (r < 0)
		goto fail;
	/* --pid: from here on this is the target's process (the outer one
	 * returns once the namespace is gone, the init never returns). */
	if (cfg->pid) {
		int status;

		r = nsrun_pidns_start(cfg->pid_exec, &status, err);
		if (r == NSRUN_PIDNS_DONE) {
			/* The outer, once the namespace is gone: its descriptors
			 * went in nsrun_pidns_start (only its own were kept). */
			l.host_mntns = -1;
			nsrun_cni_free(l.cni);
			return status;
		}
		if (r < 0)
			goto fail;
		nsrun_log_step("pidns");
	}
	r = nsrun_privs_drop(cfg->privs, err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("privs-dropped");
	nsrun_log_step("privs");
	nsrun_log_step_total();
	/* Before the seal, which closes the descriptors nsrun opened. */
	r = nsrun_pidns_before_exec(err);
	if (r < 0)
		goto fail;
	r = nsrun_privs_seal(cfg->privs, err);
	if (r < 0)
		goto fail;

	execv(l.exec_path, cfg->command);
	r = nsrun_err_sys(err, errno, "%s", l.exec_path);
	/* The namespace goes with us; the lease must go too. */
	rollback(&l);
	return exec_status(err->code);
fail:
	rollback(&l);
	nsrun_nl_close(&l.host);
	nsrun_shape_release(&l.shaper);
	return NSRUN_EXIT_FAILURE;
}
