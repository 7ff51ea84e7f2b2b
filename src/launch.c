/* SPDX-License-Identifier: MIT */
#include "nsrun/launch.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "nsrun/ipconf.h"
#include "nsrun/lease.h"
#include "nsrun/leasefile.h"
#include "nsrun/link.h"
#include "nsrun/log.h"
#include "nsrun/mount.h"
#include "nsrun/pidns.h"
#include "nsrun/privs.h"
#include "nsrun/proc.h"

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
	unsigned int prefix_len;
	char exec_path[EXEC_PATH_MAX];
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

/* ---- liveness, as the lease policy sees the system ------------------- */

static int live_ifindex(void *ctx, const char *ifname)
{
	return nsrun_link_ifindex(ctx, ifname);
}

static bool live_pid_exists(void *ctx, pid_t pid)
{
	(void)ctx;
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
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

/* ---- bridge ------------------------------------------------------------ */

static int setup_bridge(struct launch *l, struct nsrun_lease_table *t, bool *created,
			struct nsrun_err *err)
{
	const struct nsrun_config *cfg = l->cfg;
	struct nsrun_prefix subnet, gw;
	char want[NSRUN_PREFIX_STRLEN], have[NSRUN_PREFIX_STRLEN];
	int r;

	*created = false;
	r = nsrun_link_bridge_get(&l->host, cfg->bridge, &l->br, err);
	if (r == -ENODEV && (cfg->bridge_is_default || cfg->has_subnet)) {
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
		nsrun_log_verbose("bridge %s: created with %s/%u", cfg->bridge,
				  (nsrun_addr_format(&gw.addr, want), want), gw.len);
	} else if (r == -ENODEV) {
		return nsrun_err_set(err, ENODEV,
				     "bridge %s: does not exist; create it, or pass --subnet to let nsrun create it",
				     cfg->bridge);
	} else if (r < 0) {
		return r;
	}

	if (!l->br.has_addr) {
		if (!cfg->has_subnet)
			return nsrun_err_set(err, EADDRNOTAVAIL,
					     "bridge %s: no IPv4 address; pass --subnet to assign one",
					     cfg->bridge);
		gw.len = cfg->subnet.len;
		nsrun_prefix_first_host(&cfg->subnet, &gw.addr);
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
	unsigned int len;

	if (!port->alias || nsrun_lease_alias_parse(port->alias, &l, &len) < 0)
		return 0; /* a port nsrun did not make */
	l.state = NSRUN_LEASE_WIRED;
	l.ifindex = port->ifindex;
	snprintf(l.ifname, sizeof(l.ifname), "%s", port->ifname);
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
	struct nsrun_liveness lv = { live_ifindex, live_pid_exists, live_pid, live_netns, &l->host };
	struct nsrun_lease_table t = { 0 };
	struct nsrun_leasefile lf;
	struct nsrun_lease tmpl = { 0 }, *got;
	struct nsrun_pool pool;
	bool created;
	int r;

	r = nsrun_leasefile_open(&lf, cfg->state_dir, cfg->bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &t, err);
	if (r < 0)
		goto out;
	/* Under the lock: concurrent first launches create the bridge once. */
	r = setup_bridge(l, &t, &created, err);
	if (r < 0)
		goto out;
	nsrun_log_step("bridge");
	if (!lf.existed && !created) {
		r = rebuild_from_ports(l, &t, err);
		if (r < 0)
			goto out;
	}
	if (nsrun_pool_init(&pool, &l->br.addr) < 0) {
		r = nsrun_err_set(err, EAFNOSUPPORT, "bridge %s: unusable address", cfg->bridge);
		goto out;
	}
	tmpl.pid = getpid();
	r = nsrun_proc_starttime(0, &tmpl.start);
	if (r < 0) {
		r = nsrun_err_sys(err, -r, "/proc/self/stat");
		goto out;
	}
	tmpl.created = (int64_t)time(NULL);
	r = nsrun_lease_alloc(&t, &pool, cfg->has_ip ? &cfg->ip : NULL, &tmpl, &lv, &got, err);
	if (r == -EADDRINUSE && cfg->has_ip) {
		const struct nsrun_lease *h = nsrun_lease_find(&t, &cfg->ip);

		/* Its target is gone and nothing pins it: the namespace is on
		 * its way out, the kernel just has not removed the veth yet. */
		*retry = h && !h->netns[0] && !live_pid_exists(NULL, h->pid);
	}
	if (r < 0)
		goto out;
	l->lease = *got;
	l->prefix_len = l->br.addr.len;
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

		if (!retry || tries == 400)
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
	/* The host end takes the bridge's MTU: a smaller port would pull the
	 * bridge's own MTU down. */
	req.host_mtu = l->br.mtu;
	req.peer_mtu = cfg->mtu ? cfg->mtu : l->br.mtu;
	req.master = l->br.ifindex;
	req.netns_pid = getpid();
	r = nsrun_lease_alias_format(&l->lease, l->prefix_len, alias);
	if (r < 0)
		return nsrun_err_sys(err, -r, "veth alias");
	for (unsigned int attempt = 1;; attempt++) {
		req.host_name = l->lease.ifname;
		r = nsrun_link_add_veth(&l->host, &req, alias, err);
		if (r != -EEXIST || attempt > 9)
			return r;
		/* The name is taken (another bridge with the same subnet, or a
		 * dying namespace's veth): take the next and record it. */
		nsrun_lease_ifname(&l->lease.addr, attempt, l->lease.ifname);
		r = update_lease(l, false, err);
		if (r < 0)
			return r;
	}
}

static int configure_inside(struct launch *l, struct nsrun_err *err)
{
	struct nsrun_prefix addr = { .addr = l->lease.addr, .len = l->prefix_len };
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
	r = nsrun_ipconf_inside(&inner, ifindex, &addr, &l->br.addr.addr, err);
	nsrun_nl_close(&inner);
	return r;
}

static int export_env(const struct launch *l, struct nsrun_err *err)
{
	char addr[NSRUN_ADDR_STRLEN], gw[NSRUN_ADDR_STRLEN], len[8];

	nsrun_addr_format(&l->lease.addr, addr);
	nsrun_addr_format(&l->br.addr.addr, gw);
	snprintf(len, sizeof(len), "%u", l->prefix_len);
	if (setenv("NSRUN_ADDR", addr, 1) < 0 || setenv("NSRUN_PREFIX", len, 1) < 0 ||
	    setenv("NSRUN_GATEWAY", gw, 1) < 0 || setenv("NSRUN_BRIDGE", l->br.name, 1) < 0 ||
	    setenv("NSRUN_IFNAME", l->cfg->ifname, 1) < 0)
		return nsrun_err_sys(err, errno, "environment");
	return 0;
}

int nsrun_launch(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct launch l = { .cfg = cfg };
	int r;

	r = resolve_command(&l, err);
	if (r < 0)
		return exec_status(-r);
	r = check_arg_size(cfg, err);
	if (r < 0)
		return NSRUN_EXIT_FAILURE;
	r = nsrun_privs_check(err);
	if (r < 0)
		return NSRUN_EXIT_FAILURE;
	nsrun_log_step("preflight");

	r = nsrun_nl_open(&l.host, err);
	if (r < 0)
		return NSRUN_EXIT_FAILURE;
	r = allocate(&l, err);
	if (r < 0)
		goto fail;
	nsrun_log_step("lease");

	/* From here on the namespace, and with it the veth, dies with us. */
	if (unshare(CLONE_NEWNET | CLONE_NEWNS) < 0) {
		r = nsrun_err_sys(err, errno, "unshare network and mount namespaces");
		goto fail;
	}
	nsrun_fault_point("unshared");
	nsrun_log_step("unshare");
	r = wire(&l, err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("veth-created");
	nsrun_log_step("veth");
	r = configure_inside(&l, err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("inside-configured");
	nsrun_log_step("inside");
	nsrun_nl_close(&l.host);

	r = nsrun_mount_fresh_sys(err);
	if (r < 0)
		goto fail;
	nsrun_log_step("mount");
	r = export_env(&l, err);
	if (r < 0)
		goto fail;
	/* --pid: from here on this is the target's process (the outer one
	 * returns once the namespace is gone, the init never returns). */
	if (cfg->pid) {
		int status;

		r = nsrun_pidns_start(cfg->pid_exec, &status, err);
		if (r == NSRUN_PIDNS_DONE)
			return status;
		if (r < 0)
			goto fail;
		nsrun_log_step("pidns");
	}
	r = nsrun_privs_drop(err);
	if (r < 0)
		goto fail;
	nsrun_fault_point("privs-dropped");
	nsrun_log_step("privs");
	nsrun_log_step_total();

	r = nsrun_pidns_before_exec(err);
	if (r < 0)
		goto fail;
	execv(l.exec_path, cfg->command);
	r = nsrun_err_sys(err, errno, "%s", l.exec_path);
	/* The namespace goes with us; the lease must go too. */
	release_lease(&l);
	return exec_status(err->code);
fail:
	release_lease(&l);
	nsrun_nl_close(&l.host);
	return NSRUN_EXIT_FAILURE;
}
