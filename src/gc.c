/* SPDX-License-Identifier: MIT */
#include "nsrun/gc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nsrun/launch.h"
#include "nsrun/leasefile.h"
#include "nsrun/link.h"
#include "nsrun/live.h"
#include "nsrun/log.h"
#include "nsrun/name.h"
#include "nsrun/nl.h"

#define WHY_MAX 96

struct gc_ctx {
	const struct nsrun_config *cfg;
	struct nsrun_nl host;
	struct nsrun_liveness lv;
	FILE *out;
	size_t reclaimed, live;
};

void nsrun_gc_why(const struct nsrun_lease *l, const struct nsrun_liveness *lv, char *buf,
		  size_t size)
{
	int ifindex = lv->ifindex(lv->ctx, l->ifname);
	const char *pid = lv->pid_alive(lv->ctx, l->pid, l->start) ? "running" : "gone";

	if (ifindex <= 0)
		snprintf(buf, size, "pid %d %s, no veth", (int)l->pid, pid);
	else if (l->state == NSRUN_LEASE_WIRED && ifindex != l->ifindex)
		snprintf(buf, size, "pid %d %s, %s is another interface now", (int)l->pid, pid,
			 l->ifname);
	else
		snprintf(buf, size, "pid %d %s, namespace dying", (int)l->pid, pid);
}

static void say(struct gc_ctx *c, const char *bridge, const char *verb,
		const struct nsrun_lease *l, const char *why)
{
	char a[NSRUN_ADDR_STRLEN];

	nsrun_addr_format(&l->addr, a);
	fprintf(c->out, "nsrun: bridge %s: %s %s (%s)\n", bridge, verb, a, why);
}

static const char *plural(size_t n)
{
	return n == 1 ? "" : "s";
}

/* Reclaims the stale leases of one bridge, under its lock. */
static int gc_bridge(struct gc_ctx *c, const char *bridge, struct nsrun_err *err)
{
	struct nsrun_lease_table t = { 0 };
	struct nsrun_lease *dropped = NULL;
	struct nsrun_leasefile lf;
	char why[WHY_MAX];
	size_t n = 0;
	int r;

	r = nsrun_leasefile_open(&lf, c->cfg->state_dir, bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &t, err);
	if (r < 0)
		goto out;
	if (!lf.existed) {
		fprintf(c->out, "nsrun: bridge %s: no lease file\n", bridge);
		goto out;
	}
	if (t.n) {
		dropped = calloc(t.n, sizeof(*dropped));
		if (!dropped) {
			r = nsrun_err_sys(err, ENOMEM, "bridge %s", bridge);
			goto out;
		}
		n = nsrun_lease_gc(&t, &c->lv, dropped, t.n);
	}
	/* Rewritten only when something changed: a clean file stays as it is. */
	if (n) {
		r = nsrun_leasefile_save(&lf, &t, err);
		if (r < 0)
			goto out;
	}
	for (size_t i = 0; i < n; i++) {
		nsrun_gc_why(&dropped[i], &c->lv, why, sizeof(why));
		say(c, bridge, "reclaimed", &dropped[i], why);
	}
	fprintf(c->out, "nsrun: bridge %s: %zu stale lease%s reclaimed, %zu live\n", bridge, n,
		plural(n), t.n);
	c->reclaimed += n;
	c->live += t.n;
out:
	free(dropped);
	nsrun_lease_table_free(&t);
	nsrun_leasefile_close(&lf);
	return r;
}

/* ---- --rebuild ------------------------------------------------------------ */

struct rebuild {
	struct gc_ctx *c;
	struct nsrun_lease_table *t;
	struct nsrun_lease *found;      /* leases recovered from veth aliases */
	size_t n, cap;
	int failed;                     /* negative errno of the first failure */
};

static int remember(struct rebuild *rb, const struct nsrun_lease *l)
{
	if (rb->n == rb->cap) {
		size_t cap = rb->cap ? rb->cap * 2 : 16;
		struct nsrun_lease *v = reallocarray(rb->found, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		rb->found = v;
		rb->cap = cap;
	}
	rb->found[rb->n++] = *l;
	return 0;
}

static int rebuild_port(const struct nsrun_port *port, void *data)
{
	struct rebuild *rb = data;
	struct nsrun_lease l;
	int r;

	if (nsrun_lease_of_veth(port->alias, port->ifname, port->ifindex, &l) < 0)
		return 0; /* a port nsrun did not make */
	/* A dump restarted after ENOBUFS shows a port again: count it once. */
	for (size_t i = 0; i < rb->n; i++)
		if (rb->found[i].ifindex == port->ifindex)
			return 0;
	if (!nsrun_lease_live(&l, &rb->c->lv))
		return 0; /* its namespace is on its way out */
	r = nsrun_lease_put(rb->t, &l);
	if (r == 0)
		r = remember(rb, &l);
	if (r < 0 && !rb->failed)
		rb->failed = r;
	return 0;
}

static bool was_recovered(const struct rebuild *rb, const struct nsrun_addr *a)
{
	for (size_t i = 0; i < rb->n; i++)
		if (nsrun_addr_equal(&rb->found[i].addr, a))
			return true;
	return false;
}

/*
 * Rewrites the lease file from the veth aliases of the bridge's ports.  The
 * old file, when it parses, adds what the aliases cannot know: leases still
 * being set up (their veth does not exist yet) are kept, the rest dropped.
 */
static int rebuild_bridge(struct gc_ctx *c, const char *bridge, struct nsrun_err *err)
{
	struct nsrun_lease_table old = { 0 }, t = { 0 };
	struct nsrun_err bad = { 0 };
	struct rebuild rb = { .c = c, .t = &t };
	struct nsrun_lease *dropped = NULL, *kept = NULL;
	struct nsrun_leasefile lf;
	struct nsrun_bridge br;
	size_t ndropped = 0, nkept = 0;
	bool parsed = true, existed;
	char why[WHY_MAX];
	int r;

	r = nsrun_leasefile_open(&lf, c->cfg->state_dir, bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &old, err);
	if (r == -EINVAL || r == -EFBIG) {
		/* Malformed: exactly what --rebuild is for.  Say why later. */
		bad = *err;
		parsed = false;
		nsrun_lease_table_init(&old, bridge);
	} else if (r < 0) {
		goto out;
	}
	r = nsrun_link_bridge_get(&c->host, bridge, &br, err);
	if (r < 0)
		goto out;
	nsrun_lease_table_init(&t, bridge);
	t.bridge_ifindex = br.ifindex;
	t.mac_pinned = parsed && old.mac_pinned && old.bridge_ifindex == br.ifindex;
	r = nsrun_link_list_ports(&c->host, br.ifindex, rebuild_port, &rb, err);
	if (r < 0) {
		nsrun_err_ctx(err, "bridge %s: rebuild leases", bridge);
		goto out;
	}
	if (rb.failed) {
		r = nsrun_err_sys(err, -rb.failed, "bridge %s: rebuild leases", bridge);
		goto out;
	}
	if (old.n) {
		dropped = calloc(old.n, sizeof(*dropped));
		kept = calloc(old.n, sizeof(*kept));
		if (!dropped || !kept) {
			r = nsrun_err_sys(err, ENOMEM, "bridge %s", bridge);
			goto out;
		}
	}
	for (size_t i = 0; i < old.n; i++) {
		struct nsrun_lease *l = &old.v[i];

		if (was_recovered(&rb, &l->addr))
			continue;
		if (!nsrun_lease_live(l, &c->lv)) {
			dropped[ndropped++] = *l;
			continue;
		}
		/* Live without an alias we could read: a launch between its
		 * lease and its veth, or a veth whose alias was changed. */
		r = nsrun_lease_put(&t, l);
		if (r < 0) {
			r = nsrun_err_sys(err, -r, "bridge %s", bridge);
			goto out;
		}
		kept[nkept++] = *l;
	}
	existed = lf.existed;
	r = nsrun_leasefile_save(&lf, &t, err);
	if (r < 0)
		goto out;

	if (!parsed)
		fprintf(c->out, "nsrun: bridge %s: replaced a malformed lease file (%s)\n", bridge,
			bad.msg);
	else if (!existed)
		fprintf(c->out, "nsrun: bridge %s: there was no lease file\n", bridge);
	for (size_t i = 0; i < rb.n; i++) {
		snprintf(why, sizeof(why), "veth %s, pid %d", rb.found[i].ifname,
			 (int)rb.found[i].pid);
		say(c, bridge, "recovered", &rb.found[i], why);
	}
	for (size_t i = 0; i < nkept; i++) {
		if (kept[i].state == NSRUN_LEASE_PENDING)
			snprintf(why, sizeof(why), "pid %d setting up", (int)kept[i].pid);
		else
			snprintf(why, sizeof(why), "veth %s, pid %d, no nsrun alias", kept[i].ifname,
				 (int)kept[i].pid);
		say(c, bridge, "kept", &kept[i], why);
	}
	for (size_t i = 0; i < ndropped; i++) {
		nsrun_gc_why(&dropped[i], &c->lv, why, sizeof(why));
		say(c, bridge, "dropped", &dropped[i], why);
	}
	fprintf(c->out, "nsrun: bridge %s: lease file rebuilt: %zu recovered, %zu kept, %zu dropped\n",
		bridge, rb.n, nkept, ndropped);
	c->live += t.n;
	c->reclaimed += ndropped;
out:
	free(rb.found);
	free(dropped);
	free(kept);
	nsrun_lease_table_free(&old);
	nsrun_lease_table_free(&t);
	nsrun_leasefile_close(&lf);
	return r;
}

/* ---- every bridge ----------------------------------------------------------- */

static int gc_all(struct gc_ctx *c, struct nsrun_err *err)
{
	char(*names)[IFNAMSIZ] = NULL;
	struct nsrun_err one;
	size_t n = 0, failed = 0;
	int r, first = 0;

	r = nsrun_leasefile_bridges(c->cfg->state_dir, &names, &n, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		r = gc_bridge(c, names[i], &one);
		if (r < 0) {
			/* One bad file does not stop the others: say it, go on. */
			nsrun_log_error("%s", one.msg);
			failed++;
			if (!first)
				first = r;
		}
	}
	free(names);
	fprintf(c->out, "nsrun: gc: %zu bridge%s, %zu stale lease%s reclaimed, %zu live\n", n,
		plural(n), c->reclaimed, plural(c->reclaimed), c->live);
	if (failed)
		return nsrun_err_set(err, -first, "gc: %zu of %zu bridge%s failed (see above)", failed,
				     n, plural(n));
	return 0;
}

int nsrun_gc(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err)
{
	struct gc_ctx c = { .cfg = cfg, .out = out };
	int r;

	r = nsrun_nl_open(&c.host, err);
	if (r < 0)
		return r;
	nsrun_live_init(&c.lv, &c.host);
	if (cfg->gc_rebuild)
		r = rebuild_bridge(&c, cfg->bridge, err);
	else if (cfg->gc_all)
		r = gc_all(&c, err);
	else
		r = gc_bridge(&c, cfg->bridge, err);
	nsrun_nl_close(&c.host);
	return r;
}
