/* SPDX-License-Identifier: MIT */
#include "nsrun/list.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nsrun/cni.h"
#include "nsrun/leasefile.h"
#include "nsrun/live.h"
#include "nsrun/log.h"
#include "nsrun/netns.h"
#include "nsrun/proc.h"

#define CMDLINE_MAX (64 * 1024)

void nsrun_list_age(int64_t s, char buf[NSRUN_LIST_AGE_MAX])
{
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, NSRUN_LIST_AGE_MAX, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(buf, NSRUN_LIST_AGE_MAX, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, NSRUN_LIST_AGE_MAX, "%" PRId64 "h%02" PRId64 "m", s / 3600,
			 s % 3600 / 60);
	else
		snprintf(buf, NSRUN_LIST_AGE_MAX, "%" PRId64 "d%02" PRId64 "h", s / 86400,
			 s % 86400 / 3600);
}

char *nsrun_list_command_text(const char *argv, size_t len)
{
	/* A trailing NUL ends the last argument, it does not start one. */
	size_t n = len && argv[len - 1] == '\0' ? len - 1 : len;
	char *out = malloc(4 * n + 1), *p = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)argv[i];

		if (c == '\0')
			*p++ = ' ';
		else if (c < 0x20 || c > 0x7e || c == '\\')
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = (char)c;
	}
	*p = '\0';
	return out;
}

static void row_cells(const struct nsrun_list_row *r, int64_t now, char addr[NSRUN_ADDR_STRLEN],
		      char pid[16], char age[NSRUN_LIST_AGE_MAX])
{
	if (r->lease.addr.family) /* a CNI result may have no address */
		nsrun_addr_format(&r->lease.addr, addr);
	else
		snprintf(addr, NSRUN_ADDR_STRLEN, "-");
	snprintf(pid, 16, "%d", (int)r->lease.pid);
	nsrun_list_age(now - r->lease.created, age);
}

int nsrun_list_table(FILE *f, const struct nsrun_list_row *rows, size_t n, int64_t now)
{
	int w[7] = { 7, 6, 5, 3, 4, 4, 3 }; /* the headers' widths */

	for (size_t i = 0; i < n; i++) {
		const struct nsrun_list_row *r = &rows[i];
		char addr[NSRUN_ADDR_STRLEN], pid[16], age[NSRUN_LIST_AGE_MAX];
		int len[7];

		row_cells(r, now, addr, pid, age);
		len[0] = (int)strlen(addr);
		len[1] = (int)strlen(r->bridge);
		len[2] = (int)strlen(nsrun_lease_state_name(r->lease.state));
		len[3] = (int)strlen(pid);
		len[4] = r->named ? (int)strlen(r->lease.netns) : 1;
		len[5] = r->lease.ifname[0] ? (int)strlen(r->lease.ifname) : 1;
		len[6] = (int)strlen(age);
		for (int c = 0; c < 7; c++)
			if (len[c] > w[c])
				w[c] = len[c];
	}
	fprintf(f, "%-*s  %-*s  %-*s  %*s  %-*s  %-*s  %*s  %s\n", w[0], "ADDRESS", w[1], "BRIDGE",
		w[2], "STATE", w[3], "PID", w[4], "NAME", w[5], "VETH", w[6], "AGE", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		const struct nsrun_list_row *r = &rows[i];
		char addr[NSRUN_ADDR_STRLEN], pid[16], age[NSRUN_LIST_AGE_MAX];
		char *cmd = r->argv ? nsrun_list_command_text(r->argv, r->argv_len) : NULL;

		if (r->argv && !cmd)
			return -ENOMEM;
		row_cells(r, now, addr, pid, age);
		fprintf(f, "%-*s  %-*s  %-*s  %*s  %-*s  %-*s  %*s  %s\n", w[0], addr, w[1],
			r->bridge, w[2], nsrun_lease_state_name(r->lease.state), w[3], pid, w[4],
			r->named ? r->lease.netns : "-", w[5], r->lease.ifname[0] ? r->lease.ifname : "-",
			w[6], age,
			cmd ? cmd : "-");
		free(cmd);
	}
	return 0;
}

void nsrun_list_json(struct nsrun_json *j, const struct nsrun_list_row *rows, size_t n, int64_t now)
{
	nsrun_json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		const struct nsrun_list_row *r = &rows[i];
		char addr[NSRUN_ADDR_STRLEN];

		nsrun_json_object_begin(j);
		nsrun_json_key(j, "address");
		if (r->lease.addr.family)
			nsrun_json_string(j, (nsrun_addr_format(&r->lease.addr, addr), addr));
		else
			nsrun_json_null(j);
		nsrun_json_key(j, "bridge");
		nsrun_json_string(j, r->bridge);
		nsrun_json_key(j, "state");
		nsrun_json_string(j, nsrun_lease_state_name(r->lease.state));
		nsrun_json_key(j, "pid");
		nsrun_json_int(j, r->lease.pid);
		nsrun_json_key(j, "name");
		nsrun_json_string_or_null(j, r->named ? r->lease.netns : NULL);
		nsrun_json_key(j, "host_ifname");
		nsrun_json_string_or_null(j, r->lease.ifname);
		nsrun_json_key(j, "created");
		nsrun_json_int(j, r->lease.created);
		nsrun_json_key(j, "age");
		nsrun_json_int(j, now - r->lease.created > 0 ? now - r->lease.created : 0);
		nsrun_json_key(j, "command");
		if (r->argv) {
			size_t len = r->argv_len;

			if (len && r->argv[len - 1] == '\0')
				len--;
			nsrun_json_array_begin(j);
			for (size_t a = 0; a <= len;) {
				const char *end = memchr(r->argv + a, '\0', len - a);
				size_t alen = end ? (size_t)(end - (r->argv + a)) : len - a;

				nsrun_json_string_n(j, r->argv + a, alen);
				a += alen + 1;
			}
			nsrun_json_array_end(j);
		} else {
			nsrun_json_null(j);
		}
		nsrun_json_object_end(j);
	}
	nsrun_json_array_end(j);
}

/* ---- collecting the rows ----------------------------------------------- */

struct rows {
	struct nsrun_list_row *v;
	size_t n, cap;
};

static void rows_free(struct rows *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		free(rs->v[i].argv);
	free(rs->v);
}

static struct nsrun_list_row *row_add(struct rows *rs)
{
	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 16;
		struct nsrun_list_row *v = reallocarray(rs->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		rs->v = v;
		rs->cap = cap;
	}
	memset(&rs->v[rs->n], 0, sizeof(rs->v[rs->n]));
	return &rs->v[rs->n++];
}

/* The target's argv, when the lease's process still runs. */
static void read_cmdline(struct nsrun_list_row *r)
{
	char path[32];
	size_t len = 0;
	ssize_t got;
	int fd;

	if (!nsrun_proc_alive(r->lease.pid, r->lease.start))
		return;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)r->lease.pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	r->argv = malloc(CMDLINE_MAX);
	while (r->argv && len < CMDLINE_MAX &&
	       ((got = read(fd, r->argv + len, CMDLINE_MAX - len)) > 0 ||
		(got < 0 && errno == EINTR)))
		len += got > 0 ? (size_t)got : 0;
	close(fd);
	r->argv_len = len;
	if (len == 0) { /* a kernel thread, or gone meanwhile */
		free(r->argv);
		r->argv = NULL;
	}
}

/* The name still pins the namespace of this lease's veth. */
static bool still_named(struct nsrun_nl *host, const struct nsrun_lease *l)
{
	struct nsrun_err ignored;
	int fd, nsid = -1;
	bool is;

	if (!l->netns[0])
		return false;
	fd = nsrun_netns_open(l->netns, &ignored);
	if (fd < 0)
		return false;
	is = nsrun_netns_id(host, fd, &nsid, &ignored) == 0 && nsrun_netns_lease_is(host, l, nsid);
	close(fd);
	return is;
}

/* One bridge: drop its stale leases (saving the file if anything changed). */
static int collect_bridge(struct nsrun_nl *host, const struct nsrun_config *cfg, const char *bridge,
			  struct rows *rs, struct nsrun_err *err)
{
	struct nsrun_lease_table t = { 0 };
	struct nsrun_leasefile lf;
	struct nsrun_liveness lv;
	size_t dropped, pending = 0;
	int r;

	nsrun_live_init(&lv, host);
	r = nsrun_leasefile_open(&lf, cfg->state_dir, bridge, err);
	if (r < 0)
		return r;
	r = nsrun_leasefile_load(&lf, &t, err);
	if (r < 0)
		goto out;
	for (size_t i = 0; i < t.n; i++)
		pending += t.v[i].state == NSRUN_LEASE_PENDING;
	dropped = nsrun_lease_gc(&t, &lv, NULL, 0);
	for (size_t i = 0; i < t.n; i++)
		pending -= t.v[i].state == NSRUN_LEASE_PENDING;
	/* Also when a pending lease was found wired: the file says so now. */
	if (dropped || pending) {
		r = nsrun_leasefile_save(&lf, &t, err);
		if (r < 0)
			goto out;
		if (dropped)
			nsrun_log_verbose("bridge %s: reclaimed %zu stale lease%s", bridge, dropped,
					  dropped == 1 ? "" : "s");
	}
	for (size_t i = 0; i < t.n; i++) {
		struct nsrun_list_row *row = row_add(rs);

		if (!row) {
			r = nsrun_err_sys(err, ENOMEM, "bridge %s", bridge);
			goto out;
		}
		row->lease = t.v[i];
		snprintf(row->bridge, sizeof(row->bridge), "%s", bridge);
	}
out:
	nsrun_lease_table_free(&t);
	nsrun_leasefile_close(&lf);
	return r;
}

/* A CNI attachment as a row: its network where the bridge goes. */
static int add_cni_row(const struct nsrun_cni_listing *a, void *data)
{
	struct nsrun_list_row *row = row_add(data);

	if (!row)
		return -ENOMEM;
	row->cni = true;
	row->named = a->pinned;
	snprintf(row->bridge, sizeof(row->bridge), "cni:%s", a->network);
	if (a->env->has_addr)
		row->lease.addr = a->env->addr.addr;
	row->lease.state = a->added ? NSRUN_LEASE_WIRED : NSRUN_LEASE_PENDING;
	row->lease.pid = a->pid;
	row->lease.start = a->start;
	row->lease.created = a->created;
	snprintf(row->lease.ifname, sizeof(row->lease.ifname), "%s", a->env->host_ifname);
	snprintf(row->lease.netns, sizeof(row->lease.netns), NSRUN_CNI_NETNS_PREFIX "%s", a->id);
	return 0;
}

static int print_rows(const struct nsrun_config *cfg, FILE *out, const struct rows *rs,
		      struct nsrun_err *err)
{
	int64_t now = (int64_t)time(NULL);
	struct nsrun_json j;
	int r;

	if (!cfg->json) {
		r = nsrun_list_table(out, rs->v, rs->n, now);
		return r < 0 ? nsrun_err_sys(err, -r, "list") : 0;
	}
	nsrun_json_init(&j);
	nsrun_list_json(&j, rs->v, rs->n, now);
	r = nsrun_json_finish(&j);
	if (r == 0)
		fwrite(j.buf, 1, j.len, out);
	nsrun_json_free(&j);
	return r < 0 ? nsrun_err_sys(err, -r, "list: JSON") : 0;
}

int nsrun_list_run(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err)
{
	char(*bridges)[IFNAMSIZ] = NULL;
	struct rows rs = { 0 };
	struct nsrun_nl host;
	size_t n = 0;
	int r;

	r = nsrun_leasefile_bridges(cfg->state_dir, &bridges, &n, err);
	if (r < 0)
		return r;
	r = nsrun_nl_open(&host, err);
	for (size_t i = 0; i < n && r == 0; i++)
		if (cfg->bridge_is_default || !strcmp(bridges[i], cfg->bridge))
			r = collect_bridge(&host, cfg, bridges[i], &rs, err);
	if (r == 0 && cfg->bridge_is_default) {
		r = nsrun_cni_list(cfg->state_dir, add_cni_row, &rs, err);
		if (r == -ENOMEM)
			r = nsrun_err_sys(err, ENOMEM, "list");
	}
	/* Outside the locks: what each process is called, and by which name. */
	for (size_t i = 0; i < rs.n && r == 0; i++) {
		read_cmdline(&rs.v[i]);
		if (!rs.v[i].cni)
			rs.v[i].named = still_named(&host, &rs.v[i].lease);
	}
	if (r == 0)
		r = print_rows(cfg, out, &rs, err);
	if (host.sock)
		nsrun_nl_close(&host);
	rows_free(&rs);
	free(bridges);
	return r;
}
