/* SPDX-License-Identifier: MIT */
/*
 * The privilege boundary.  When a user other than root runs nsrun and nsrun
 * holds capabilities (file capabilities, or setuid root), nsrun:
 *
 *  1. MUST read its policy only from NSRUN_SYSCONFDIR/nsrun/nsrun.conf, a
 *     path fixed at build time; never from argv, the environment or the
 *     working directory.
 *  2. MUST open that file and every directory above it without following a
 *     symbolic link, and refuse any of them not owned by root or writable by
 *     group or others, checked on the open descriptor, never on the path.
 *  3. MUST refuse on doubt: one malformed line rejects the whole file (with
 *     its line number); a missing file allows nothing; rules only allow.
 *  4. MUST check the whole request (bridge, every option given,
 *     NSRUN_STATE_DIR) before it touches the kernel: parsing argv records,
 *     it never acts.  An option nobody classified is refused by default.
 *  5. MUST NOT let the caller choose nsrun's own state (--state-dir,
 *     NSRUN_STATE_DIR), another identity (--user), or a capability other
 *     than NET_BIND_SERVICE and NET_RAW; MUST NOT read any other environment
 *     variable to decide anything privileged.
 *  6. MUST match rules against the kernel's view of the caller (real uid,
 *     real gid, supplementary groups), not against names it was told.
 *  7. MUST access its state (lease files) as root and caller-named files
 *     (the command, --seccomp FILE) as the caller, never the other way round.
 *  8. MUST hand the target the caller's uid, gid and groups, empty
 *     capability sets (bounding included) unless granted, no_new_privs, the
 *     default seccomp profile, and no descriptor nsrun opened.
 *  9. MUST say in one line what it refused and which policy line allows it.
 *
 * This file: 1-6 and 9 (parser, matcher, checks, loader).  privs.c: 6-8.
 */
#include "nsrun/policy.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/caps.h"
#include "nsrun/cli.h"
#include "nsrun/io.h"
#include "nsrun/name.h"
#include "nsrun/seccomp.h"

#ifndef NSRUN_SYSCONFDIR
#define NSRUN_SYSCONFDIR "/etc"
#endif

#define MAX_TOKENS 8

/* Options any caller may use: they only shape the caller's own namespace
 * (its host name, resolver, VIPs, the shaping of its own link), report on
 * it, list what is public anyway (/proc shows the same), or make the
 * target weaker.  Everything else (--name, --join, --rm, ...) needs a rule. */
static const char *const always_allowed[] = {
	"bridge", "ifname", "mtu",  "verbose", "quiet", "help",   "version", "cap-drop",
	"hostname", "dns", "info-fd", "lo-addr", "rate", "delay", "jitter", "loss",
	"list", "json", "pid", "pid-exec", NULL,
};

/* Options no policy can grant: they choose nsrun's own state or identity. */
static const char *const root_only[] = { "state-dir", "user", NULL };

const char *nsrun_policy_path(void)
{
	return NSRUN_SYSCONFDIR "/nsrun/nsrun.conf";
}

uint64_t nsrun_policy_grantable_caps(void)
{
	/* Both act only in the target's own network namespace: low ports, and
	 * raw sockets on its own interface (which can forge frames on the
	 * bridge: grant it knowingly). */
	return (UINT64_C(1) << 10) /* NET_BIND_SERVICE */ | (UINT64_C(1) << 13) /* NET_RAW */;
}

static bool listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

const char *nsrun_policy_name_invalid(const char *name)
{
	char base[NSRUN_POLICY_NAME_MAX + 1];
	size_t len = strlen(name);

	if (len > NSRUN_POLICY_NAME_MAX)
		return "longer than 32 bytes";
	/* The rule of namespace names, plus a final '$' (machine accounts). */
	memcpy(base, name, len + 1);
	if (len > 1 && base[len - 1] == '$')
		base[len - 1] = '\0';
	return nsrun_netns_name_invalid(base);
}

/* ---- parser ----------------------------------------------------------------- */

/* Why option name cannot be granted, or NULL with *index / *create set. */
static const char *grant_invalid(const char *name, int *index, bool *create)
{
	int i;

	if (!strcmp(name, "create")) {
		*create = true;
		return NULL;
	}
	if (!strcmp(name, "subnet"))
		return "granted by \"create\"";
	if (listed(root_only, name))
		return "root only: no policy can grant it";
	if (listed(always_allowed, name))
		return "always allowed: nothing to grant";
	i = nsrun_cli_option_index(name);
	if (i < 0)
		return "not an nsrun option";
	*index = i;
	return NULL;
}

static int add_bridge(struct nsrun_policy_rule *r, const char *name, unsigned int no,
		      struct nsrun_err *err)
{
	const char *why = nsrun_ifname_invalid(name);
	char(*nb)[IFNAMSIZ];

	if (why)
		return nsrun_err_set(err, EINVAL, "line %u: bridge \"%.64s\": %s", no, name, why);
	for (size_t i = 0; i < r->nbridges; i++)
		if (!strcmp(r->bridges[i], name))
			return nsrun_err_set(err, EINVAL, "line %u: bridge %s: listed twice", no, name);
	nb = realloc(r->bridges, (r->nbridges + 1) * sizeof(*nb));
	if (!nb)
		return nsrun_err_set(err, ENOMEM, "line %u: out of memory", no);
	r->bridges = nb;
	snprintf(r->bridges[r->nbridges++], IFNAMSIZ, "%s", name);
	return 0;
}

static int add_option(struct nsrun_policy_rule *r, const char *name, unsigned int no,
		      struct nsrun_err *err)
{
	bool create = false;
	int index = -1;
	const char *why = grant_invalid(name, &index, &create);

	if (why)
		return nsrun_err_set(err, EINVAL, "line %u: option \"%.64s\": %s", no, name, why);
	if ((create && r->create) || (index >= 0 && (r->options & (UINT64_C(1) << index))))
		return nsrun_err_set(err, EINVAL, "line %u: option %s: listed twice", no, name);
	if (create)
		r->create = true;
	else
		r->options |= UINT64_C(1) << index;
	return 0;
}

/* Splits a comma list in place and feeds each name to add(). */
static int parse_list(char *list, const char *what, struct nsrun_policy_rule *r, unsigned int no,
		      int (*add)(struct nsrun_policy_rule *, const char *, unsigned int,
				 struct nsrun_err *),
		      struct nsrun_err *err)
{
	char copy[NSRUN_POLICY_LINE_MAX + 1];
	char *p = list;

	snprintf(copy, sizeof(copy), "%s", list);
	for (;;) {
		char *comma = strchr(p, ',');
		int rc;

		if (comma)
			*comma = '\0';
		if (!*p)
			return nsrun_err_set(err, EINVAL,
					     "line %u: %s list \"%.64s\": empty name (separate names with a comma, no spaces)",
					     no, what, copy);
		rc = add(r, p, no, err);
		if (rc < 0)
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int parse_rule(char **tok, int ntok, unsigned int no, struct nsrun_policy_rule *r,
		      struct nsrun_err *err)
{
	const char *kind, *why;
	int rc;

	if (strcmp(tok[0], "allow") != 0)
		return nsrun_err_set(err, EINVAL, "line %u: unknown rule \"%.64s\" (expected \"allow\")",
				     no, tok[0]);
	if (ntok < 2 || (strcmp(tok[1], "user") != 0 && strcmp(tok[1], "group") != 0))
		return nsrun_err_set(err, EINVAL, "line %u: expected \"user\" or \"group\" after \"allow\"",
				     no);
	r->group = !strcmp(tok[1], "group");
	kind = r->group ? "group" : "user";
	if (ntok < 3)
		return nsrun_err_set(err, EINVAL, "line %u: missing the %s name", no, kind);
	why = nsrun_policy_name_invalid(tok[2]);
	if (why)
		return nsrun_err_set(err, EINVAL, "line %u: %s name \"%.64s\": %s", no, kind, tok[2],
				     why);
	snprintf(r->name, sizeof(r->name), "%s", tok[2]);
	if (ntok < 4 || strcmp(tok[3], "bridge") != 0)
		return nsrun_err_set(err, EINVAL, "line %u: expected \"bridge\" after the %s name", no,
				     kind);
	if (ntok < 5)
		return nsrun_err_set(err, EINVAL, "line %u: missing the bridge list after \"bridge\"",
				     no);
	rc = parse_list(tok[4], "bridge", r, no, add_bridge, err);
	if (rc < 0)
		return rc;
	if (ntok == 5)
		return 0;
	if (strcmp(tok[5], "options") != 0)
		return nsrun_err_set(err, EINVAL,
				     "line %u: unexpected \"%.64s\" (expected \"options\" or the end of the line)",
				     no, tok[5]);
	if (ntok < 7)
		return nsrun_err_set(err, EINVAL, "line %u: missing the option list after \"options\"",
				     no);
	rc = parse_list(tok[6], "option", r, no, add_option, err);
	if (rc < 0)
		return rc;
	if (ntok > 7)
		return nsrun_err_set(err, EINVAL, "line %u: unexpected \"%.64s\" after the option list",
				     no, tok[7]);
	return 0;
}

static void free_rule(struct nsrun_policy_rule *r)
{
	free(r->bridges);
	r->bridges = NULL;
	r->nbridges = 0;
}

/* One line, NUL-terminated in buf (modified in place). */
static int parse_line(char *buf, unsigned int no, struct nsrun_policy *p, struct nsrun_err *err)
{
	struct nsrun_policy_rule r = { .line = no }, *nr;
	char *tok[MAX_TOKENS + 1], *s;
	int ntok = 0, rc;

	s = strchr(buf, '#');
	if (s)
		*s = '\0';
	for (s = buf; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != ' ' && c != '\t' && (c < 0x21 || c > 0x7e))
			return nsrun_err_set(err, EINVAL,
					     "line %u: control character or non-ASCII byte 0x%02x", no,
					     c);
	}
	for (s = buf;;) {
		s += strspn(s, " \t");
		if (!*s)
			break;
		if (ntok == MAX_TOKENS + 1)
			break;
		tok[ntok++] = s;
		s += strcspn(s, " \t");
		if (*s)
			*s++ = '\0';
	}
	if (ntok == 0)
		return 0;
	if (ntok > MAX_TOKENS)
		return nsrun_err_set(err, EINVAL, "line %u: unexpected \"%.64s\" after the option list",
				     no, tok[MAX_TOKENS - 1]);
	rc = parse_rule(tok, ntok, no, &r, err);
	if (rc < 0) {
		free_rule(&r);
		return rc;
	}
	nr = realloc(p->rules, (p->nrules + 1) * sizeof(*nr));
	if (!nr) {
		free_rule(&r);
		return nsrun_err_set(err, ENOMEM, "line %u: out of memory", no);
	}
	p->rules = nr;
	p->rules[p->nrules++] = r;
	return 0;
}

int nsrun_policy_parse(const char *text, size_t len, struct nsrun_policy *p,
		       struct nsrun_err *err)
{
	char buf[NSRUN_POLICY_LINE_MAX + 1];
	unsigned int no = 0;
	size_t pos = 0;

	memset(p, 0, sizeof(*p));
	while (pos < len) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - start) : len - pos;
		int rc;

		pos += l + (nl ? 1 : 0);
		no++;
		if (l > NSRUN_POLICY_LINE_MAX)
			rc = nsrun_err_set(err, EINVAL, "line %u: longer than %d bytes", no,
					   NSRUN_POLICY_LINE_MAX);
		else if (memchr(start, '\0', l))
			rc = nsrun_err_set(err, EINVAL, "line %u: contains a NUL byte", no);
		else {
			memcpy(buf, start, l);
			buf[l] = '\0';
			rc = parse_line(buf, no, p, err);
		}
		if (rc < 0) {
			nsrun_policy_free(p);
			return rc;
		}
	}
	return 0;
}

void nsrun_policy_free(struct nsrun_policy *p)
{
	for (size_t i = 0; i < p->nrules; i++)
		free_rule(&p->rules[i]);
	free(p->rules);
	p->rules = NULL;
	p->nrules = 0;
}

/* ---- matching and checking ---------------------------------------------- */

/* bridge NULL: any bridge (actions on a namespace rather than a bridge). */
static bool has_bridge(const struct nsrun_policy_rule *r, const char *bridge)
{
	if (!bridge)
		return r->nbridges > 0;
	for (size_t i = 0; i < r->nbridges; i++)
		if (!strcmp(r->bridges[i], bridge))
			return true;
	return false;
}

void nsrun_policy_match(const struct nsrun_policy *p, const char *bridge,
			const struct nsrun_policy_who *who, struct nsrun_policy_grant *g)
{
	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < p->nrules; i++) {
		const struct nsrun_policy_rule *r = &p->rules[i];

		/* Names are resolved only for rules about this bridge. */
		if (!has_bridge(r, bridge))
			continue;
		if (r->group ? !who->in_group(who->ctx, r->name) : !who->is_user(who->ctx, r->name))
			continue;
		g->bridge = true;
		g->options |= r->options;
		g->create |= r->create;
	}
}

static int refuse(struct nsrun_err *err, const struct nsrun_policy_who *who, const char *what,
		  const char *bridge, const char *option)
{
	return nsrun_err_set(err, EPERM, "%s: not allowed for user %s (add \"allow user %s bridge %s%s%s\" to %s)",
			     what, who->name, who->name, bridge, option ? " options " : "",
			     option ? option : "", nsrun_policy_path());
}

static int refuse_root_only(struct nsrun_err *err, const struct nsrun_policy_who *who,
			    const char *what)
{
	return nsrun_err_set(err, EPERM, "%s: not allowed for user %s (root only; no policy line allows it)",
			     what, who->name);
}

int nsrun_policy_refuse_create(const struct nsrun_policy_who *who, const char *bridge,
			       struct nsrun_err *err)
{
	return nsrun_err_set(err, EPERM,
			     "bridge %s: does not exist, and creating it is not allowed for user %s (add \"allow user %s bridge %s options create\" to %s)",
			     bridge, who->name, who->name, bridge, nsrun_policy_path());
}

static int check_caps(const struct nsrun_config *cfg, const struct nsrun_policy_who *who,
		      struct nsrun_err *err)
{
	uint64_t extra = cfg->cap_add & ~nsrun_policy_grantable_caps();
	char name[NSRUN_CAP_NAME_MAX] = "ALL";

	if (!cfg->cap_add_all && !extra)
		return 0;
	for (int cap = 0; !cfg->cap_add_all && cap < 64; cap++) {
		if (extra & (UINT64_C(1) << cap)) {
			nsrun_caps_name(cap, name);
			break;
		}
	}
	return nsrun_err_set(err, EPERM,
			     "--cap-add %s: not allowed for user %s (a policy can grant only NET_BIND_SERVICE and NET_RAW, with \"options cap-add\")",
			     name, who->name);
}

int nsrun_policy_check(const struct nsrun_policy *p, const struct nsrun_config *cfg,
		       const struct nsrun_policy_who *who, struct nsrun_policy_grant *g,
		       struct nsrun_err *err)
{
	char what[64];
	const char *name;

	memset(g, 0, sizeof(*g));
	if (cfg->state_dir_env)
		return refuse_root_only(err, who, "NSRUN_STATE_DIR");
	for (unsigned int i = 0; (name = nsrun_cli_option_name(i)); i++) {
		if ((cfg->options_used & (UINT64_C(1) << i)) && listed(root_only, name)) {
			snprintf(what, sizeof(what), "--%s", name);
			return refuse_root_only(err, who, what);
		}
	}
	/* Listing shows what /proc shows anyway; it needs no rule. */
	if (cfg->action == NSRUN_ACTION_LIST)
		return 0;
	/* --join and --rm act on a namespace, not on a bridge: a rule for any
	 * bridge that grants the option allows them. */
	nsrun_policy_match(p,
			   cfg->action == NSRUN_ACTION_JOIN || cfg->action == NSRUN_ACTION_RM
				   ? NULL
				   : cfg->bridge,
			   who, g);
	if (!g->bridge) {
		snprintf(what, sizeof(what), "bridge %s", cfg->bridge);
		return refuse(err, who, what, cfg->bridge, NULL);
	}
	for (unsigned int i = 0; (name = nsrun_cli_option_name(i)); i++) {
		if (!(cfg->options_used & (UINT64_C(1) << i)) || listed(always_allowed, name))
			continue;
		if (!strcmp(name, "seccomp") && cfg->seccomp == NSRUN_SECCOMP_DEFAULT)
			continue; /* what a user gets anyway */
		snprintf(what, sizeof(what), "--%s", name);
		if (!strcmp(name, "subnet")) {
			if (!g->create)
				return refuse(err, who, what, cfg->bridge, "create");
			continue;
		}
		if (!(g->options & (UINT64_C(1) << i)))
			return refuse(err, who, what, cfg->bridge, name);
		if (!strcmp(name, "cap-add") && check_caps(cfg, who, err) < 0)
			return -EPERM;
	}
	return 0;
}

/* ---- loading ------------------------------------------------------------- */

static int check_node(int fd, const char *path, bool dir, struct nsrun_err *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return nsrun_err_sys(err, errno, "policy %s", path);
	if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
		return nsrun_err_set(err, EINVAL, "policy %s: not a %s", path,
				     dir ? "directory" : "regular file");
	if (st.st_uid != 0)
		return nsrun_err_set(err, EPERM, "policy %s: owned by uid %u, not root; refusing it",
				     path, (unsigned int)st.st_uid);
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return nsrun_err_set(err, EPERM,
				     "policy %s: writable by group or others (mode %04o); refusing it",
				     path, (unsigned int)(st.st_mode & 07777));
	return 0;
}

static int read_policy(int fd, struct nsrun_policy *p, struct nsrun_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = nsrun_io_read_all(fd, &buf, &len, NSRUN_POLICY_FILE_MAX);

	if (rc == -EFBIG)
		return nsrun_err_set(err, EFBIG, "policy %s: larger than %d bytes", nsrun_policy_path(),
				     NSRUN_POLICY_FILE_MAX);
	if (rc < 0)
		return nsrun_err_sys(err, -rc, "policy %s: read", nsrun_policy_path());
	rc = nsrun_policy_parse(buf, len, p, err);
	free(buf);
	return rc < 0 ? nsrun_err_ctx(err, "policy %s", nsrun_policy_path()) : 0;
}

static int open_failed(int e, const char *path, struct nsrun_err *err)
{
	if (e == ELOOP || e == ENOTDIR)
		return nsrun_err_set(err, ELOOP,
				     "policy %s: a symbolic link or not a directory; refusing it", path);
	return nsrun_err_sys(err, e, "policy %s", path);
}

int nsrun_policy_load(struct nsrun_policy *p, struct nsrun_err *err)
{
	const char *path = nsrun_policy_path();
	const char *s = path;
	char part[PATH_MAX];
	int dfd, fd, rc;

	memset(p, 0, sizeof(*p));
	if (path[0] != '/' || strlen(path) >= sizeof(part))
		return nsrun_err_set(err, EINVAL, "policy %s: not an absolute path (SYSCONFDIR at build time)",
				     path);
	dfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return nsrun_err_sys(err, errno, "policy %s: /", path);
	rc = check_node(dfd, "/", true, err);
	while (rc == 0) {
		char comp[NAME_MAX + 1];
		const char *e;
		bool last;

		s += strspn(s, "/");
		e = strchrnul(s, '/');
		last = !*e || !e[strspn(e, "/")];
		if ((size_t)(e - s) > NAME_MAX || e == s || (e - s == 1 && *s == '.') ||
		    (e - s == 2 && !strncmp(s, "..", 2))) {
			rc = nsrun_err_set(err, EINVAL, "policy %s: bad path", path);
			break;
		}
		memcpy(comp, s, (size_t)(e - s));
		comp[e - s] = '\0';
		snprintf(part, sizeof(part), "%.*s", (int)(e - path), path);
		fd = openat(dfd, comp,
			    last ? O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK
				 : O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			/* Nothing there: nothing is allowed. */
			rc = errno == ENOENT ? 1 : open_failed(errno, part, err);
			break;
		}
		close(dfd);
		dfd = fd;
		rc = check_node(dfd, part, !last, err);
		if (rc == 0 && last) {
			rc = read_policy(dfd, p, err);
			break;
		}
		s = e;
	}
	close(dfd);
	return rc > 0 ? 0 : rc;
}
