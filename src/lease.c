/* SPDX-License-Identifier: MIT */
#include "nsrun/lease.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 20

static const char *const state_names[] = {
	[NSRUN_LEASE_PENDING] = "pending",
	[NSRUN_LEASE_WIRED] = "wired",
};

const char *nsrun_lease_state_name(enum nsrun_lease_state s)
{
	return (unsigned int)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s]
									      : "?";
}

void nsrun_lease_table_init(struct nsrun_lease_table *t, const char *bridge)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->bridge, sizeof(t->bridge), "%s", bridge);
}

void nsrun_lease_table_free(struct nsrun_lease_table *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

/*
 * Splits a line in place on single spaces.  Returns the number of fields,
 * of which only the first max are stored in tok (callers check the count
 * before reading past tok[0]), or -1 on a bad split.
 */
static int tokenize(char *line, char **tok, int max)
{
	int n = 0;
	char *p = line;

	if (!*p)
		return 0;
	if (*p == ' ')
		return -1; /* leading space */
	for (;;) {
		if (n < max)
			tok[n] = p;
		n++;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
		if (!*p || *p == ' ')
			return -1; /* trailing or double space */
	}
	return n;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (v > (max - (uint64_t)(*s - '0')) / 10)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*out = v;
	return 0;
}

static int lease_set_netns(struct nsrun_lease *l, const char *s)
{
	if (!strcmp(s, "-")) {
		l->netns[0] = '\0';
		return 0;
	}
	if (nsrun_netns_name_invalid(s))
		return -EINVAL;
	memcpy(l->netns, s, strlen(s) + 1); /* checked: at most NSRUN_NETNS_MAX */
	return 0;
}

/* "lease ADDR STATE pid P start S ifindex I ifname N netns NS created T" */
static int parse_lease_line(char **tok, int n, struct nsrun_lease *l, struct nsrun_err *err,
			    unsigned int lineno)
{
	static const char *const keys[] = { "pid", "start", "ifindex", "ifname", "netns", "created" };
	uint64_t v;

	if (n != 15)
		return nsrun_err_set(err, EINVAL, "line %u: expected 15 fields, found %d", lineno, n);
	for (unsigned int i = 0; i < 6; i++)
		if (strcmp(tok[3 + 2 * i], keys[i]))
			return nsrun_err_set(err, EINVAL, "line %u: expected \"%s\" as field %u",
					     lineno, keys[i], 4 + 2 * i);
	memset(l, 0, sizeof(*l));
	if (nsrun_addr_parse(tok[1], &l->addr) < 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad address \"%s\"", lineno, tok[1]);
	if (!strcmp(tok[2], "pending"))
		l->state = NSRUN_LEASE_PENDING;
	else if (!strcmp(tok[2], "wired"))
		l->state = NSRUN_LEASE_WIRED;
	else
		return nsrun_err_set(err, EINVAL, "line %u: bad state \"%s\"", lineno, tok[2]);
	if (parse_u64(tok[4], INT32_MAX, &v) < 0 || v == 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad pid \"%s\"", lineno, tok[4]);
	l->pid = (pid_t)v;
	if (parse_u64(tok[6], UINT64_MAX, &l->start) < 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad start time \"%s\"", lineno, tok[6]);
	if (parse_u64(tok[8], INT32_MAX, &v) < 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad ifindex \"%s\"", lineno, tok[8]);
	l->ifindex = (int)v;
	if ((l->state == NSRUN_LEASE_WIRED) != (l->ifindex > 0))
		return nsrun_err_set(err, EINVAL,
				     "line %u: a wired lease has an ifindex, a pending one has 0",
				     lineno);
	if (nsrun_ifname_invalid(tok[10]))
		return nsrun_err_set(err, EINVAL, "line %u: bad ifname \"%s\"", lineno, tok[10]);
	memcpy(l->ifname, tok[10], strlen(tok[10]) + 1); /* checked: < IFNAMSIZ */
	if (lease_set_netns(l, tok[12]) < 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad netns name \"%s\"", lineno, tok[12]);
	if (parse_u64(tok[14], INT64_MAX, &v) < 0)
		return nsrun_err_set(err, EINVAL, "line %u: bad creation time \"%s\"", lineno, tok[14]);
	l->created = (int64_t)v;
	return 0;
}

/* "bridge NAME ifindex I mac-pinned 0|1" */
static int parse_bridge_line(char **tok, int n, struct nsrun_lease_table *t,
			     struct nsrun_err *err)
{
	uint64_t v;

	if (n != 6 || strcmp(tok[0], "bridge") || strcmp(tok[2], "ifindex") ||
	    strcmp(tok[4], "mac-pinned"))
		return nsrun_err_set(err, EINVAL,
				     "line 2: expected \"bridge NAME ifindex N mac-pinned 0|1\"");
	if (strcmp(tok[1], t->bridge))
		return nsrun_err_set(err, EINVAL, "line 2: file belongs to bridge \"%s\", not %s",
				     tok[1], t->bridge);
	if (parse_u64(tok[3], INT32_MAX, &v) < 0)
		return nsrun_err_set(err, EINVAL, "line 2: bad ifindex \"%s\"", tok[3]);
	t->bridge_ifindex = (int)v;
	if (strcmp(tok[5], "0") && strcmp(tok[5], "1"))
		return nsrun_err_set(err, EINVAL, "line 2: mac-pinned must be 0 or 1");
	t->mac_pinned = tok[5][0] == '1';
	return 0;
}

static int parse_header(char **tok, int n, struct nsrun_err *err)
{
	uint64_t v;

	if (n != 2 || strcmp(tok[0], "nsrun-leases"))
		return nsrun_err_set(err, EINVAL, "line 1: not an nsrun lease file");
	if (parse_u64(tok[1], UINT32_MAX, &v) < 0 || v != NSRUN_LEASE_VERSION)
		return nsrun_err_set(err, EINVAL, "line 1: unsupported version \"%s\" (expected %d)",
				     tok[1], NSRUN_LEASE_VERSION);
	return 0;
}

static int cmp_lease(const void *a, const void *b)
{
	return nsrun_addr_cmp(&((const struct nsrun_lease *)a)->addr,
			      &((const struct nsrun_lease *)b)->addr);
}

static int grow(struct nsrun_lease_table *t)
{
	struct nsrun_lease *v;
	size_t cap;

	if (t->n < t->cap)
		return 0;
	cap = t->cap ? t->cap * 2 : 16;
	v = reallocarray(t->v, cap, sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	t->cap = cap;
	return 0;
}

/*
 * The lines of the first two leases of address a in buf, a file that parsed
 * (so every line from the third on reads "lease ADDR ...").  Sorting lost
 * the line numbers; a duplicate is rare enough to read the file again.
 */
static void find_twice(const char *buf, size_t len, const struct nsrun_addr *a,
		       unsigned int line[2])
{
	unsigned int lineno = 0, found = 0;
	size_t pos = 0;

	while (pos < len && found < 2) {
		const char *nl = memchr(buf + pos, '\n', len - pos), *p, *sp;
		size_t skip = strlen("lease ");
		char s[NSRUN_ADDR_STRLEN];
		struct nsrun_addr x;

		if (!nl)
			return;
		if (++lineno >= 3 && (size_t)(nl - (buf + pos)) > skip) {
			p = buf + pos + skip;
			sp = memchr(p, ' ', (size_t)(nl - p));
			if (sp && (size_t)(sp - p) < sizeof(s)) {
				memcpy(s, p, (size_t)(sp - p));
				s[sp - p] = '\0';
				if (nsrun_addr_parse(s, &x) == 0 && nsrun_addr_equal(&x, a))
					line[found++] = lineno;
			}
		}
		pos = (size_t)(nl - buf) + 1;
	}
}

int nsrun_lease_table_parse(struct nsrun_lease_table *t, const char *bridge, const char *buf,
			    size_t len, struct nsrun_err *err)
{
	char line[NSRUN_LEASE_LINE_MAX + 1];
	char *tok[MAX_TOKENS];
	unsigned int lineno = 0;
	size_t pos = 0;
	int n, r;

	nsrun_lease_table_init(t, bridge);
	if (len == 0)
		return nsrun_err_set(err, EINVAL, "line 1: empty file");
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (buf + pos)) : len - pos;

		lineno++;
		if (!nl) {
			r = nsrun_err_set(err, EINVAL, "line %u: truncated (no newline at end)", lineno);
			goto fail;
		}
		if (ll > NSRUN_LEASE_LINE_MAX) {
			r = nsrun_err_set(err, EINVAL, "line %u: longer than %d bytes", lineno,
					  NSRUN_LEASE_LINE_MAX);
			goto fail;
		}
		for (size_t i = 0; i < ll; i++) {
			unsigned char c = (unsigned char)buf[pos + i];

			if (c < ' ' || c >= 0x7f) {
				r = nsrun_err_set(err, EINVAL, "line %u: non-printable byte 0x%02x",
						  lineno, c);
				goto fail;
			}
		}
		memcpy(line, buf + pos, ll);
		line[ll] = '\0';
		pos += ll + 1;
		n = tokenize(line, tok, MAX_TOKENS);
		if (n <= 0) {
			r = nsrun_err_set(err, EINVAL, "line %u: %s", lineno,
					  n == 0 ? "empty line" : "malformed (fields must be separated by one space)");
			goto fail;
		}
		if (lineno == 1) {
			r = parse_header(tok, n, err);
		} else if (lineno == 2) {
			r = parse_bridge_line(tok, n, t, err);
		} else if (strcmp(tok[0], "lease")) {
			r = nsrun_err_set(err, EINVAL, "line %u: unknown record \"%s\"", lineno, tok[0]);
		} else {
			r = grow(t);
			if (r < 0) {
				nsrun_err_sys(err, -r, "line %u", lineno);
				goto fail;
			}
			r = parse_lease_line(tok, n, &t->v[t->n], err, lineno);
			if (!r)
				t->n++;
		}
		if (r < 0)
			goto fail;
	}
	if (lineno < 2) {
		r = nsrun_err_set(err, EINVAL, "line %u: missing \"bridge\" line", lineno + 1);
		goto fail;
	}
	/* nsrun writes the file sorted; only a hand-edited one needs sorting. */
	for (size_t i = 1; i < t->n; i++) {
		if (nsrun_addr_cmp(&t->v[i - 1].addr, &t->v[i].addr) > 0) {
			qsort(t->v, t->n, sizeof(*t->v), cmp_lease);
			break;
		}
	}
	for (size_t i = 1; i < t->n; i++) {
		if (nsrun_addr_equal(&t->v[i - 1].addr, &t->v[i].addr)) {
			char a[NSRUN_ADDR_STRLEN];
			unsigned int at[2] = { 0, 0 };

			nsrun_addr_format(&t->v[i].addr, a);
			find_twice(buf, len, &t->v[i].addr, at);
			r = nsrun_err_set(err, EINVAL,
					  "line %u: address %s is leased twice (first on line %u)",
					  at[1], a, at[0]);
			goto fail;
		}
	}
	return 0;
fail:
	nsrun_lease_table_free(t);
	return r;
}

static char *put_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Hand-rolled rather than stdio: it runs under the lock, once per launch,
 * over every lease of the bridge. */
int nsrun_lease_table_format(const struct nsrun_lease_table *t, char **out, size_t *outlen)
{
	/* Longest line: addresses and names are bounded, numbers are 20 digits. */
	const size_t line_max = 64 + NSRUN_ADDR_STRLEN + 5 * 20 + IFNAMSIZ + NSRUN_NETNS_MAX;
	char *buf = malloc(line_max * (t->n + 2));
	char *p = buf;

	if (!buf)
		return -ENOMEM;
	p = put_str(p, "nsrun-leases ");
	p = put_u64(p, NSRUN_LEASE_VERSION);
	p = put_str(p, "\nbridge ");
	p = put_str(p, t->bridge);
	p = put_str(p, " ifindex ");
	p = put_u64(p, (uint64_t)t->bridge_ifindex);
	p = put_str(p, t->mac_pinned ? " mac-pinned 1\n" : " mac-pinned 0\n");
	for (size_t i = 0; i < t->n; i++) {
		const struct nsrun_lease *l = &t->v[i];
		char a[NSRUN_ADDR_STRLEN];

		nsrun_addr_format(&l->addr, a);
		p = put_str(p, "lease ");
		p = put_str(p, a);
		*p++ = ' ';
		p = put_str(p, nsrun_lease_state_name(l->state));
		p = put_str(p, " pid ");
		p = put_u64(p, (uint64_t)l->pid);
		p = put_str(p, " start ");
		p = put_u64(p, l->start);
		p = put_str(p, " ifindex ");
		p = put_u64(p, (uint64_t)l->ifindex);
		p = put_str(p, " ifname ");
		p = put_str(p, l->ifname);
		p = put_str(p, " netns ");
		p = put_str(p, l->netns[0] ? l->netns : "-");
		p = put_str(p, " created ");
		p = put_u64(p, (uint64_t)l->created);
		*p++ = '\n';
	}
	*p = '\0'; /* not counted in *outlen; for callers that want a string */
	*out = buf;
	*outlen = (size_t)(p - buf);
	return 0;
}

/* Index of the first lease >= a (binary search). */
static size_t lower_bound(const struct nsrun_lease_table *t, const struct nsrun_addr *a)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (nsrun_addr_cmp(&t->v[mid].addr, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct nsrun_lease *nsrun_lease_find(struct nsrun_lease_table *t, const struct nsrun_addr *a)
{
	size_t i = lower_bound(t, a);

	return i < t->n && nsrun_addr_equal(&t->v[i].addr, a) ? &t->v[i] : NULL;
}

static int insert_at(struct nsrun_lease_table *t, size_t i, const struct nsrun_lease *l)
{
	int r = grow(t);

	if (r < 0)
		return r;
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(*t->v));
	t->v[i] = *l;
	t->n++;
	return 0;
}

int nsrun_lease_put(struct nsrun_lease_table *t, const struct nsrun_lease *l)
{
	size_t i = lower_bound(t, &l->addr);

	if (i < t->n && nsrun_addr_equal(&t->v[i].addr, &l->addr)) {
		t->v[i] = *l;
		return 0;
	}
	return insert_at(t, i, l);
}

int nsrun_lease_remove(struct nsrun_lease_table *t, const struct nsrun_addr *a)
{
	size_t i = lower_bound(t, a);

	if (i >= t->n || !nsrun_addr_equal(&t->v[i].addr, a))
		return -ENOENT;
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(*t->v));
	t->n--;
	return 0;
}

bool nsrun_lease_live(struct nsrun_lease *l, const struct nsrun_liveness *lv)
{
	int ifindex = lv->ifindex(lv->ctx, l->ifname);

	if (ifindex <= 0) /* no veth (yet): live only while being set up */
		return l->state == NSRUN_LEASE_PENDING && lv->pid_alive(lv->ctx, l->pid, l->start);
	if (l->state == NSRUN_LEASE_WIRED && ifindex != l->ifindex)
		return false; /* the name now belongs to another interface */
	/* The veth exists.  Its namespace lives while the target does; when
	 * the target is gone (a daemon's children or a --name pin may hold the
	 * namespace) ask the kernel whether the namespace is dying. */
	if (!lv->pid_exists(lv->ctx, l->pid) && !lv->netns_alive(lv->ctx, ifindex))
		return false;
	l->state = NSRUN_LEASE_WIRED;
	l->ifindex = ifindex;
	return true;
}

void nsrun_lease_ifname(const struct nsrun_addr *a, unsigned int attempt, char buf[IFNAMSIZ])
{
	if (attempt == 0)
		snprintf(buf, IFNAMSIZ, "nsr%08x", nsrun_addr_v4_host(a));
	else
		snprintf(buf, IFNAMSIZ, "nsr%08x-%u", nsrun_addr_v4_host(a), attempt % 1000);
}

static int take(struct nsrun_lease_table *t, size_t i, bool replace, const struct nsrun_addr *a,
		const struct nsrun_lease *tmpl, struct nsrun_lease **out)
{
	struct nsrun_lease l = *tmpl;
	int r;

	l.addr = *a;
	l.state = NSRUN_LEASE_PENDING;
	l.ifindex = 0;
	nsrun_lease_ifname(a, 0, l.ifname);
	if (replace) {
		t->v[i] = l;
	} else {
		r = insert_at(t, i, &l);
		if (r < 0)
			return r;
	}
	*out = &t->v[i];
	return 0;
}

static int alloc_exact(struct nsrun_lease_table *t, const struct nsrun_pool *pool,
		       const struct nsrun_addr *want, const struct nsrun_lease *tmpl,
		       const struct nsrun_liveness *lv, struct nsrun_lease **out,
		       struct nsrun_err *err)
{
	char a[NSRUN_ADDR_STRLEN], net[NSRUN_PREFIX_STRLEN];
	size_t i = lower_bound(t, want);
	bool exists = i < t->n && nsrun_addr_equal(&t->v[i].addr, want);
	int r;

	nsrun_addr_format(want, a);
	if (nsrun_addr_equal(want, &pool->gateway))
		return nsrun_err_set(err, EADDRINUSE, "address %s: is the gateway of bridge %s", a,
				     t->bridge);
	if (!nsrun_pool_has(pool, want)) {
		nsrun_prefix_format(&pool->net, net);
		return nsrun_err_set(err, EDOM, "address %s: not a host address of bridge %s (%s)",
				     a, t->bridge, net);
	}
	if (exists && nsrun_lease_live(&t->v[i], lv))
		return nsrun_err_set(err, EADDRINUSE, "address %s: leased to a live namespace (pid %d)",
				     a, (int)t->v[i].pid);
	r = take(t, i, exists, want, tmpl, out);
	return r < 0 ? nsrun_err_sys(err, -r, "address %s", a) : 0;
}

/*
 * The cheap check: a lease whose veth exists is live (DESIGN, principle 1).
 * A namespace that is dying keeps its veth for tens of ms; automatic
 * allocation just takes the next address instead of asking the kernel.
 */
static bool live_fast(struct nsrun_lease *l, const struct nsrun_liveness *lv)
{
	int ifindex = lv->ifindex(lv->ctx, l->ifname);

	if (ifindex <= 0)
		return l->state == NSRUN_LEASE_PENDING && lv->pid_alive(lv->ctx, l->pid, l->start);
	if (l->state == NSRUN_LEASE_WIRED && ifindex != l->ifindex)
		return false;
	l->state = NSRUN_LEASE_WIRED;
	l->ifindex = ifindex;
	return true;
}

/*
 * One pass over the pool: the lowest address without a lease, or whose lease
 * is not live by the given test.  Counts the live ones.  At most budget
 * leases are tested; the ones after that count as live (never a live one
 * handed out), so a bridge with a thousand namespaces does not cost every
 * launch a thousand checks under the lock.
 */
static int alloc_pass(struct nsrun_lease_table *t, const struct nsrun_pool *pool,
		      bool (*live)(struct nsrun_lease *, const struct nsrun_liveness *),
		      const struct nsrun_liveness *lv, size_t budget,
		      const struct nsrun_lease *tmpl, struct nsrun_lease **out, size_t *nlive)
{
	uint32_t h, gw = nsrun_addr_v4_host(&pool->gateway);
	struct nsrun_addr a = nsrun_addr_v4(pool->first);
	size_t i = lower_bound(t, &a);

	*nlive = 0;
	if (pool->first > pool->last)
		return -ENOSPC;
	for (h = pool->first;; h++) {
		if (h != gw) {
			a = nsrun_addr_v4(h);
			if (i >= t->n || !nsrun_addr_equal(&t->v[i].addr, &a))
				return take(t, i, false, &a, tmpl, out);
			if (budget && (budget--, !live(&t->v[i], lv)))
				return take(t, i, true, &a, tmpl, out);
			(*nlive)++;
			i++;
		} else if (i < t->n && nsrun_addr_equal(&t->v[i].addr, &pool->gateway)) {
			i++; /* a lease on the gateway (bridge readdressed): skip it */
		}
		if (h == pool->last)
			return -ENOSPC;
	}
}

int nsrun_lease_alloc(struct nsrun_lease_table *t, const struct nsrun_pool *pool,
		      const struct nsrun_addr *want, const struct nsrun_lease *tmpl,
		      const struct nsrun_liveness *lv, struct nsrun_lease **out,
		      struct nsrun_err *err)
{
	char net[NSRUN_PREFIX_STRLEN];
	size_t nlive;
	int r;

	if (want)
		return alloc_exact(t, pool, want, tmpl, lv, out, err);
	r = alloc_pass(t, pool, live_fast, lv, NSRUN_LEASE_CHECK_BUDGET, tmpl, out, &nlive);
	/* Full: look again at every lease, telling dying namespaces apart. */
	if (r == -ENOSPC)
		r = alloc_pass(t, pool, nsrun_lease_live, lv, SIZE_MAX, tmpl, out, &nlive);
	if (r == -ENOSPC) {
		nsrun_prefix_format(&pool->net, net);
		return nsrun_err_set(err, ENOSPC, "bridge %s: no free address in %s (%zu leased)",
				     t->bridge, net, nlive);
	}
	return r < 0 ? nsrun_err_sys(err, -r, "bridge %s", t->bridge) : 0;
}

size_t nsrun_lease_gc(struct nsrun_lease_table *t, const struct nsrun_liveness *lv,
		      struct nsrun_lease *dropped, size_t max)
{
	size_t i, j = 0, n = 0;

	for (i = 0; i < t->n; i++) {
		if (nsrun_lease_live(&t->v[i], lv)) {
			t->v[j++] = t->v[i];
			continue;
		}
		if (n < max)
			dropped[n] = t->v[i];
		n++;
	}
	t->n = j;
	return n;
}

int nsrun_lease_alias_format(const struct nsrun_lease *l, unsigned int prefix_len,
			     char buf[NSRUN_ALIAS_MAX])
{
	char a[NSRUN_ADDR_STRLEN];
	int n;

	nsrun_addr_format(&l->addr, a);
	n = snprintf(buf, NSRUN_ALIAS_MAX,
		     "nsrun %d %s/%u pid %d start %" PRIu64 " netns %s created %" PRId64,
		     NSRUN_LEASE_VERSION, a, prefix_len, (int)l->pid, l->start,
		     l->netns[0] ? l->netns : "-", l->created);
	return n < 0 || n >= NSRUN_ALIAS_MAX ? -ENAMETOOLONG : 0;
}

int nsrun_lease_alias_parse(const char *alias, struct nsrun_lease *l, unsigned int *prefix_len)
{
	char copy[NSRUN_ALIAS_MAX];
	char *tok[MAX_TOKENS];
	struct nsrun_addr a;
	unsigned int len = 33;
	uint64_t v;
	int n;

	if (strlen(alias) >= sizeof(copy))
		return -EINVAL;
	strcpy(copy, alias);
	n = tokenize(copy, tok, MAX_TOKENS);
	if (n != 11 || strcmp(tok[0], "nsrun") || strcmp(tok[1], "1") || strcmp(tok[3], "pid") ||
	    strcmp(tok[5], "start") || strcmp(tok[7], "netns") || strcmp(tok[9], "created"))
		return -EINVAL;
	if (nsrun_addr_parse_maybe_prefix(tok[2], &a, &len) < 0 || len > 32)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->addr = a;
	if (parse_u64(tok[4], INT32_MAX, &v) < 0 || v == 0)
		return -EINVAL;
	l->pid = (pid_t)v;
	if (parse_u64(tok[6], UINT64_MAX, &l->start) < 0)
		return -EINVAL;
	if (lease_set_netns(l, tok[8]) < 0)
		return -EINVAL;
	if (parse_u64(tok[10], INT64_MAX, &v) < 0)
		return -EINVAL;
	l->created = (int64_t)v;
	*prefix_len = len;
	return 0;
}

int nsrun_lease_of_veth(const char *alias, const char *ifname, int ifindex,
			struct nsrun_lease *l)
{
	unsigned int len;

	if (!alias || nsrun_lease_alias_parse(alias, l, &len) < 0 || nsrun_ifname_invalid(ifname))
		return -EINVAL;
	l->state = NSRUN_LEASE_WIRED;
	l->ifindex = ifindex;
	memcpy(l->ifname, ifname, strlen(ifname) + 1);
	return 0;
}
