/* SPDX-License-Identifier: MIT */
/*
 * Who nsrun is, who the target will be.  The rules are the MUST list at the
 * top of policy.c; this file carries out 6-8: the caller's identity, state
 * files as root, and the target's clean state.
 */
#include "nsrun/privs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/caps.h"
#include "nsrun/cli.h"
#include "nsrun/log.h"
#include "nsrun/seccomp.h"

#define CAP_BIT(c) (UINT64_C(1) << (c))

const int nsrun_privs_default_caps[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,      CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID,      CAP_SETUID,           CAP_SETFCAP,     CAP_SETPCAP,
	CAP_NET_BIND_SERVICE,         CAP_SYS_CHROOT,       CAP_KILL,        CAP_AUDIT_WRITE,
};
const unsigned int nsrun_privs_default_ncaps =
	sizeof(nsrun_privs_default_caps) / sizeof(nsrun_privs_default_caps[0]);

const int nsrun_privs_setup_caps[] = {
	CAP_NET_ADMIN, CAP_SYS_ADMIN, CAP_SETPCAP, CAP_SETUID, CAP_SETGID,
};
const unsigned int nsrun_privs_setup_ncaps =
	sizeof(nsrun_privs_setup_caps) / sizeof(nsrun_privs_setup_caps[0]);

/* The process's own credentials and inheritance, noted once at start. */
static struct {
	bool user_mode;
	uid_t ruid;
	gid_t rgid;
	mode_t umask;                   /* the caller's, for the target */
	int *fds;                       /* the caller's descriptors above 2, ascending */
	size_t nfds;
	bool fds_known;
} self;

static void free_cap(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

static uint64_t mask_of(const int *caps, unsigned int n)
{
	uint64_t m = 0;

	for (unsigned int i = 0; i < n; i++)
		m |= CAP_BIT(caps[i]);
	return m;
}

static uint64_t all_caps(void)
{
	int last = (int)cap_max_bits();

	return last >= 64 ? ~UINT64_C(0) : CAP_BIT(last) - 1;
}

static bool has_cap(cap_t c, cap_value_t cap, cap_flag_t set)
{
	cap_flag_value_t v = CAP_CLEAR;

	return cap_get_flag(c, cap, set, &v) == 0 && v == CAP_SET;
}

/* The permitted set: what nsrun can hand on at all.  Read once: it does not
 * change between nsrun_privs_init() and the drop. */
static uint64_t held_caps(void)
{
	static uint64_t m;
	static bool known;
	__attribute__((cleanup(free_cap))) cap_t c = NULL;

	if (known)
		return m;
	c = cap_get_proc();
	for (cap_value_t cap = 0; c && cap < 64; cap++)
		if (has_cap(c, cap, CAP_PERMITTED))
			m |= CAP_BIT(cap);
	known = c != NULL;
	return m;
}

/* ---- start-up ---------------------------------------------------------------- */

/* A closed 0, 1 or 2 would be taken by nsrun's next open(): a lease file
 * would receive error messages, or the target would read a state file. */
static int open_std_fds(struct nsrun_err *err)
{
	for (int fd = 0; fd <= 2; fd++) {
		int n;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* Not O_CLOEXEC: it stands in for the caller's descriptor. */
		n = open("/dev/null", O_RDWR | O_NOCTTY);
		if (n != fd) {
			if (n >= 0)
				close(n);
			return nsrun_err_sys(err, n < 0 ? errno : EBADF,
					     "descriptor %d: reopen as /dev/null", fd);
		}
	}
	return 0;
}

static int cmp_fd(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* Before nsrun opens anything: every descriptor above 2 is the caller's. */
static void note_inherited(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t cap = 0;

	if (!d)
		return; /* unknown: nsrun_privs_seal() then closes them all */
	while ((e = readdir(d))) {
		char *end;
		long fd;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		fd = strtol(e->d_name, &end, 10);
		if (*end || fd <= 2 || fd > INT_MAX || fd == dirfd(d))
			continue;
		if (self.nfds == cap) {
			int *grown = realloc(self.fds, (cap ? cap * 2 : 16) * sizeof(int));

			if (!grown) {
				closedir(d);
				return;
			}
			self.fds = grown;
			cap = cap ? cap * 2 : 16;
		}
		self.fds[self.nfds++] = (int)fd;
	}
	closedir(d);
	if (self.nfds)
		qsort(self.fds, self.nfds, sizeof(int), cmp_fd);
	self.fds_known = true;
}

/* Permitted = effective = what nsrun needs (and may hand on); nothing else. */
static int keep_own_caps(struct nsrun_err *err)
{
	__attribute__((cleanup(free_cap))) cap_t cur = cap_get_proc();
	__attribute__((cleanup(free_cap))) cap_t want = cap_init();
	uint64_t own = mask_of(nsrun_privs_setup_caps, nsrun_privs_setup_ncaps) |
		       nsrun_policy_grantable_caps();

	if (!cur || !want)
		return nsrun_err_sys(err, errno, "capabilities: read");
	for (cap_value_t cap = 0; cap < 64; cap++) {
		cap_flag_value_t v = CAP_CLEAR;

		if (!(own & CAP_BIT(cap)) || cap_get_flag(cur, cap, CAP_PERMITTED, &v) < 0 ||
		    v != CAP_SET)
			continue;
		if (cap_set_flag(want, CAP_PERMITTED, 1, &cap, CAP_SET) < 0 ||
		    cap_set_flag(want, CAP_EFFECTIVE, 1, &cap, CAP_SET) < 0)
			return nsrun_err_sys(err, errno, "capabilities");
	}
	if (cap_set_proc(want) < 0)
		return nsrun_err_sys(err, errno, "capabilities: keep nsrun's own");
	return 0;
}

int nsrun_privs_init(struct nsrun_err *err)
{
	int r = open_std_fds(err);

	if (r < 0)
		return r;
	self.ruid = getuid();
	self.rgid = getgid();
	self.user_mode = self.ruid != 0;
	/* nsrun's state files get 0644 whatever the caller's umask. */
	self.umask = umask(022);
	if (!self.user_mode)
		return 0;
	/* Only a user's target needs telling its own descriptors from any a
	 * library of nsrun's opened without O_CLOEXEC (nsrun_privs_seal). */
	note_inherited();
	/* A setuid-root nsrun becomes the caller holding its capabilities,
	 * exactly what file capabilities give: one model for both installs. */
	if (geteuid() == 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 ||
		    setresuid(self.ruid, self.ruid, self.ruid) < 0 ||
		    prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
			return nsrun_err_sys(err, errno, "setuid root: switch to uid %u",
					     (unsigned int)self.ruid);
	}
	r = keep_own_caps(err);
	if (r < 0)
		return r;
	/* No ptrace, no /proc/PID/mem, no core dump by the caller. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return nsrun_err_sys(err, errno, "make nsrun non-dumpable");
	return 0;
}

/* ---- capabilities nsrun holds ----------------------------------------------- */

int nsrun_privs_check(struct nsrun_err *err)
{
	__attribute__((cleanup(free_cap))) cap_t c = cap_get_proc();
	char missing[160] = "", name[NSRUN_CAP_NAME_MAX];
	size_t len = 0;

	if (!c)
		return nsrun_err_sys(err, errno, "capabilities: read");
	if (!has_cap(c, CAP_NET_ADMIN, CAP_EFFECTIVE) || !has_cap(c, CAP_SYS_ADMIN, CAP_EFFECTIVE)) {
		if (!self.user_mode)
			return nsrun_err_set(err, EPERM,
					     "permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root)");
		return nsrun_err_set(err, EPERM,
				     "permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run it as root, or have root install it with `make install-privileged` and allow you in %s)",
				     nsrun_policy_path());
	}
	/* A user's nsrun needs the rest of its set too. */
	for (unsigned int i = 2; self.user_mode && i < nsrun_privs_setup_ncaps; i++) {
		if (has_cap(c, nsrun_privs_setup_caps[i], CAP_EFFECTIVE))
			continue;
		nsrun_caps_name(nsrun_privs_setup_caps[i], name);
		len += (size_t)snprintf(missing + len, sizeof(missing) - len, "%sCAP_%s",
					len ? ", " : "", name);
		if (len >= sizeof(missing))
			break;
	}
	if (len)
		return nsrun_err_set(err, EPERM,
				     "permission denied: nsrun is installed without %s (install it with `make install-privileged`)",
				     missing);
	return 0;
}

/* ---- state files as root ------------------------------------------------------ */

uid_t nsrun_privs_fsuid(void)
{
	/* An invalid id changes nothing and returns the current one. */
	return (uid_t)setfsuid((uid_t)-1);
}

int nsrun_privs_state_enter(struct nsrun_err *err)
{
	if (!self.user_mode)
		return 0;
	/* Needs CAP_SETGID and CAP_SETUID; nothing else changes (the DAC
	 * capabilities it would raise are not in nsrun's permitted set). */
	setfsgid(0);
	setfsuid(0);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (nsrun_privs_fsuid() != 0 || (gid_t)setfsgid((gid_t)-1) != 0) {
		nsrun_privs_state_leave();
		return nsrun_err_set(err, EPERM,
				     "state files: cannot act as root (nsrun lacks CAP_SETUID and CAP_SETGID; `make install-privileged` sets them)");
	}
	return 0;
}

void nsrun_privs_state_leave(void)
{
	if (!self.user_mode)
		return;
	setfsuid(self.ruid);
	setfsgid(self.rgid);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/* ---- the plan ------------------------------------------------------------------- */

struct who_ctx {
	uid_t uid;
	gid_t *gids;
	size_t ngids;
};

static bool parse_id(const char *s, unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*end && errno == 0 && *v < UINT32_MAX;
}

/* Rule names resolve to ids; the caller is matched by the kernel's ids. */
static bool who_is_user(void *ctx, const char *name)
{
	const struct who_ctx *w = ctx;
	struct passwd *pw = getpwnam(name);
	unsigned long v;

	if (pw)
		return pw->pw_uid == w->uid;
	return parse_id(name, &v) && v == w->uid;
}

static bool who_in_group(void *ctx, const char *name)
{
	const struct who_ctx *w = ctx;
	struct group *gr = getgrnam(name);
	unsigned long v;

	if (gr)
		v = gr->gr_gid;
	else if (!parse_id(name, &v))
		return false;
	for (size_t i = 0; i < w->ngids; i++)
		if (w->gids[i] == v)
			return true;
	return false;
}

static void caller_name(struct nsrun_privs *p)
{
	struct passwd *pw = getpwuid(p->ruid);

	if (pw && !nsrun_policy_name_invalid(pw->pw_name))
		snprintf(p->name, sizeof(p->name), "%s", pw->pw_name);
	else
		snprintf(p->name, sizeof(p->name), "%u", (unsigned int)p->ruid);
}

static int refuse_unheld(const struct nsrun_privs *p, uint64_t caps, struct nsrun_err *err)
{
	char name[NSRUN_CAP_NAME_MAX], lower[NSRUN_CAP_NAME_MAX];
	int cap = 0;

	while (cap < 63 && !(caps & CAP_BIT(cap)))
		cap++;
	nsrun_caps_name(cap, name);
	for (size_t i = 0; i < sizeof(lower); i++) {
		lower[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] - 'A' + 'a') : name[i];
		if (!name[i])
			break;
	}
	if (!p->user_mode)
		return nsrun_err_set(err, EPERM,
				     "--cap-add %s: nsrun itself does not hold it (not in its bounding set)",
				     name);
	return nsrun_err_set(err, EPERM,
			     "--cap-add %s: nsrun itself does not hold it (install it with `make install-privileged PRIV_EXTRA_CAPS=cap_%s`)",
			     name, lower);
}

/* A user other than root: the policy decides, the target is the caller. */
static int plan_user(const struct nsrun_config *cfg, struct nsrun_privs *p, struct nsrun_err *err)
{
	struct who_ctx wc = { .uid = p->ruid };
	struct nsrun_policy_who who = { p->name, who_is_user, who_in_group, &wc };
	struct nsrun_policy pol;
	struct nsrun_policy_grant g;
	int n, r;

	r = nsrun_privs_check(err);
	if (r < 0)
		return r;
	/* The kernel's groups, real gid included, not /etc/group's claims. */
	n = getgroups(0, NULL);
	wc.gids = n >= 0 ? calloc((size_t)n + 1, sizeof(gid_t)) : NULL;
	if (!wc.gids || (n = getgroups(n, wc.gids)) < 0) {
		free(wc.gids);
		return nsrun_err_sys(err, n < 0 ? errno : ENOMEM, "groups of user %s", p->name);
	}
	wc.gids[n] = p->rgid;
	wc.ngids = (size_t)n + 1;

	r = nsrun_privs_state_enter(err);
	if (r == 0) {
		r = nsrun_policy_load(&pol, err);
		nsrun_privs_state_leave();
	}
	if (r == 0) {
		r = nsrun_policy_check(&pol, cfg, &who, &g, err);
		nsrun_policy_free(&pol);
	}
	free(wc.gids);
	if (r < 0)
		return r;

	p->may_create = g.create;
	p->uid = p->ruid;
	p->gid = p->rgid;
	p->caps = cfg->cap_drop_all ? 0 : cfg->cap_add & ~cfg->cap_drop;
	return 0;
}

static int resolve_group(const char *spec, const char *group, gid_t *gid, struct nsrun_err *err)
{
	struct group *gr = getgrnam(group);
	unsigned long v;

	if (gr)
		*gid = gr->gr_gid;
	else if (parse_id(group, &v))
		*gid = (gid_t)v;
	else
		return nsrun_err_set(err, ENOENT, "--user %s: no such group %s", spec, group);
	return 0;
}

/* Root with --user USER[:GROUP]: that user, with a user's clean state. */
static int plan_as_user(const struct nsrun_config *cfg, struct nsrun_privs *p,
			struct nsrun_err *err)
{
	char user[NSRUN_POLICY_NAME_MAX + 1];
	const char *colon = strchr(cfg->user, ':');
	struct passwd *pw;
	unsigned long v;
	int n = 16, r;

	snprintf(user, sizeof(user), "%.*s",
		 colon ? (int)(colon - cfg->user) : (int)strlen(cfg->user), cfg->user);
	pw = getpwnam(user);
	if (!pw && parse_id(user, &v))
		pw = getpwuid((uid_t)v);
	if (pw) {
		p->uid = pw->pw_uid;
		p->gid = pw->pw_gid;
		snprintf(p->user, sizeof(p->user), "%s", pw->pw_name);
		snprintf(p->home, sizeof(p->home), "%s", pw->pw_dir);
	} else if (parse_id(user, &v)) {
		p->uid = (uid_t)v;
		if (!colon)
			return nsrun_err_set(err, ENOENT,
					     "--user %s: uid %s has no entry in the user database; name its group too (--user %s:GROUP)",
					     cfg->user, user, user);
	} else {
		return nsrun_err_set(err, ENOENT, "--user %s: no such user", cfg->user);
	}
	if (colon) {
		r = resolve_group(cfg->user, colon + 1, &p->gid, err);
		if (r < 0)
			return r;
	}
	/* initgroups() semantics, computed now: after unshare() a network
	 * user database would be out of reach. */
	p->set_groups = true;
	for (;;) {
		gid_t *grown = realloc(p->groups, (size_t)n * sizeof(gid_t));
		int got = n;

		if (!grown)
			return nsrun_err_set(err, ENOMEM, "--user %s: groups", cfg->user);
		p->groups = grown;
		if (!pw) {
			p->groups[0] = p->gid;
			p->ngroups = 1;
			break;
		}
		if (getgrouplist(pw->pw_name, p->gid, p->groups, &got) >= 0) {
			p->ngroups = (size_t)got;
			break;
		}
		if (got <= n || got > 65536)
			return nsrun_err_set(err, E2BIG, "--user %s: too many groups", cfg->user);
		n = got;
	}
	p->caps = (cfg->cap_add_all ? held_caps() : cfg->cap_add) &
		  ~(cfg->cap_drop_all ? all_caps() : cfg->cap_drop);
	/* Root's own descriptors are not for another user. */
	p->close_inherited = true;
	p->may_create = true;
	return 0;
}

static int plan_root(const struct nsrun_config *cfg, struct nsrun_privs *p)
{
	/* The default set is a ceiling: what root itself lacks is left out. */
	uint64_t caps = mask_of(nsrun_privs_default_caps, nsrun_privs_default_ncaps) & held_caps();

	/* As Docker: ALL first, then the single capabilities.  ALL is all
	 * that nsrun holds. */
	if (cfg->cap_add_all)
		caps = held_caps();
	if (cfg->cap_drop_all)
		caps = 0;
	caps = (caps | cfg->cap_add) & ~cfg->cap_drop;
	p->target_root = true;
	p->caps = caps;
	p->may_create = true;
	return 0;
}

int nsrun_privs_plan(const struct nsrun_config *cfg, struct nsrun_privs *p,
		     struct nsrun_err *err)
{
	enum nsrun_seccomp_mode mode = cfg->seccomp;
	uint64_t unknown;
	int r;

	memset(p, 0, sizeof(*p));
	p->user_mode = self.user_mode;
	p->ruid = self.ruid;
	p->rgid = self.rgid;
	/* The name only ever appears in a user's refusals: root is spared a
	 * user database lookup (NSS, a dlopen) on every launch. */
	if (p->user_mode)
		caller_name(p);
	else
		snprintf(p->name, sizeof(p->name), "root");
	if (p->user_mode)
		r = plan_user(cfg, p, err);
	else if (cfg->user)
		r = plan_as_user(cfg, p, err);
	else
		r = plan_root(cfg, p);
	unknown = p->caps & ~all_caps();
	if (r == 0 && unknown) {
		char name[NSRUN_CAP_NAME_MAX];
		int cap = 0;

		while (!(unknown & CAP_BIT(cap)))
			cap++;
		nsrun_caps_name(cap, name);
		r = nsrun_err_set(err, EINVAL, "--cap-add %s: not supported by this kernel", name);
	}
	/* A capability nsrun lacks cannot be handed on. */
	if (r == 0 && (p->caps & ~held_caps()))
		r = refuse_unheld(p, p->caps & ~held_caps(), err);
	if (r == 0) {
		if (mode == NSRUN_SECCOMP_UNSET)
			mode = p->target_root ? NSRUN_SECCOMP_NONE : NSRUN_SECCOMP_DEFAULT;
		/* FILE is read with the caller's file system identity. */
		r = nsrun_seccomp_prepare(mode, cfg->seccomp_file, &p->seccomp, err);
	}
	if (r < 0) {
		nsrun_privs_free(p);
		return r;
	}
	if (nsrun_log_verbose_on()) {
		char caps[512];

		nsrun_caps_format(p->caps, caps, sizeof(caps));
		nsrun_log_verbose("target: uid %u gid %u, capabilities %s, seccomp %s",
				  (unsigned int)p->uid, (unsigned int)p->gid, caps,
				  mode == NSRUN_SECCOMP_DEFAULT ? "default"
				  : mode == NSRUN_SECCOMP_FILE ? cfg->seccomp_file
							       : "none");
	}
	return 0;
}

void nsrun_privs_free(struct nsrun_privs *p)
{
	free(p->groups);
	p->groups = NULL;
	nsrun_seccomp_free(p->seccomp);
	p->seccomp = NULL;
}

int nsrun_privs_refuse_create(const struct nsrun_privs *p, const char *bridge,
			      struct nsrun_err *err)
{
	struct nsrun_policy_who who = { .name = p->name };

	return nsrun_policy_refuse_create(&who, bridge, err);
}

/* ---- the target ------------------------------------------------------------------ */

static int become(const struct nsrun_privs *p, struct nsrun_err *err)
{
	/* --user: the user's HOME, USER and LOGNAME, as su(1) sets them. */
	if (p->set_groups && p->user[0] &&
	    (setenv("USER", p->user, 1) < 0 || setenv("LOGNAME", p->user, 1) < 0 ||
	     setenv("HOME", p->home[0] ? p->home : "/", 1) < 0))
		return nsrun_err_sys(err, errno, "environment");
	if (p->set_groups && !p->user[0] &&
	    (unsetenv("USER") < 0 || unsetenv("LOGNAME") < 0 || setenv("HOME", "/", 1) < 0))
		return nsrun_err_sys(err, errno, "environment");
	if (p->set_groups && setgroups(p->ngroups, p->groups) < 0)
		return nsrun_err_sys(err, errno, "identity: set groups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return nsrun_err_sys(err, errno, "identity: set gid %u", (unsigned int)p->gid);
	/* Keep the permitted set through the uid switch, for granted caps. */
	if (p->caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return nsrun_err_sys(err, errno, "identity: keep capabilities");
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return nsrun_err_sys(err, errno, "identity: set uid %u", (unsigned int)p->uid);
	return 0;
}

/* Trust, but verify: the switch happened and cannot be undone. */
static int verify(const struct nsrun_privs *p, struct nsrun_err *err)
{
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (getresuid(&r, &e, &s) < 0 || r != p->uid || e != p->uid || s != p->uid ||
	    getresgid(&rg, &eg, &sg) < 0 || rg != p->gid || eg != p->gid || sg != p->gid ||
	    nsrun_privs_fsuid() != p->uid)
		return nsrun_err_set(err, EPERM, "identity: not uid %u gid %u after the switch",
				     (unsigned int)p->uid, (unsigned int)p->gid);
	if (p->uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
		return nsrun_err_set(err, EPERM, "identity: could become root again");
	return 0;
}

int nsrun_privs_drop(const struct nsrun_privs *p, struct nsrun_err *err)
{
	__attribute__((cleanup(free_cap))) cap_t c = NULL;
	int last = (int)cap_max_bits();
	cap_value_t list[64];
	int n = 0, r;

	for (int cap = 0; cap < last && cap < 64; cap++)
		if (p->caps & CAP_BIT(cap))
			list[n++] = cap;
	/* The bounding set caps what any later execve can regain: after it,
	 * even a setuid-root binary cannot reach CAP_NET_ADMIN. */
	for (int cap = 0; cap < last; cap++) {
		char name[NSRUN_CAP_NAME_MAX];

		if (!(p->caps & CAP_BIT(cap)) && cap_drop_bound((cap_value_t)cap) < 0 &&
		    errno != EINVAL) {
			nsrun_caps_name(cap, name);
			return nsrun_err_sys(err, errno, "capabilities: drop %s from the bounding set",
					     name);
		}
	}
	if (!p->target_root) {
		r = become(p, err);
		if (r < 0)
			return r;
	}
	c = cap_init();
	if (!c)
		return nsrun_err_sys(err, errno, "capabilities");
	if (n && (cap_set_flag(c, CAP_PERMITTED, n, list, CAP_SET) < 0 ||
		  cap_set_flag(c, CAP_EFFECTIVE, n, list, CAP_SET) < 0 ||
		  (!p->target_root && cap_set_flag(c, CAP_INHERITABLE, n, list, CAP_SET) < 0)))
		return nsrun_err_sys(err, errno, "capabilities");
	if (cap_set_proc(c) < 0)
		return nsrun_err_sys(err, errno, "capabilities: set");
	/* Root's target keeps its set through exec as root does; a user's
	 * target only through the ambient set, and only what was granted. */
	/* One prctl: libcap's cap_reset_ambient() asks about every capability
	 * first (41 system calls on every launch). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return nsrun_err_sys(err, errno, "capabilities: clear ambient set");
	if (!p->target_root) {
		for (int i = 0; i < n; i++) {
			char name[NSRUN_CAP_NAME_MAX];

			if (cap_set_ambient(list[i], CAP_SET) < 0) {
				nsrun_caps_name(list[i], name);
				return nsrun_err_sys(err, errno, "capabilities: ambient %s", name);
			}
		}
		/* Nothing the target execs may gain privileges (setuid root,
		 * file capabilities). */
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return nsrun_err_sys(err, errno, "no_new_privs");
		r = verify(p, err);
		if (r < 0)
			return r;
	}
	umask(self.umask);
	return 0;
}

/* Closes [from, to]; close_range() first, one by one on kernels before 5.9. */
static void close_span(unsigned int from, unsigned int to)
{
	long max;

	if (from > to || close_range(from, to, 0) == 0)
		return;
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > (1L << 20))
		max = 1L << 20;
	for (unsigned long fd = from; fd <= to && fd < (unsigned long)max; fd++)
		close((int)fd);
}

int nsrun_privs_seal(const struct nsrun_privs *p, struct nsrun_err *err)
{
	unsigned int from = 3;

	/* Every descriptor nsrun opened is O_CLOEXEC; for a user's target this
	 * also catches those a library opened without it.  The caller's own
	 * stay open (they are already the caller's), except across --user.
	 * Root running its own command as root crosses no boundary here. */
	if (!p->user_mode && !p->close_inherited)
		return nsrun_seccomp_load(p->seccomp, err);
	if (!p->close_inherited && self.fds_known) {
		for (size_t i = 0; i < self.nfds; i++) {
			unsigned int fd = (unsigned int)self.fds[i];

			if (fd > from)
				close_span(from, fd - 1);
			from = fd + 1;
		}
	}
	close_span(from, ~0U);
	/* Last, right before exec: nothing nsrun does after it is filtered. */
	return nsrun_seccomp_load(p->seccomp, err);
}
