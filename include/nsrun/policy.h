/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_POLICY_H
#define NSRUN_POLICY_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsrun/err.h"

struct nsrun_config;

/*
 * Who may use a capable nsrun, on which bridges, with which options: the
 * policy file $(SYSCONFDIR)/nsrun/nsrun.conf, read only when the real uid is
 * not 0.  One rule per line, '#' starts a comment:
 *
 *     allow user alice bridge br1
 *     allow group lbtest bridge br1,br2 options ip,create
 *
 * Rules only allow; a request is allowed when some rule names the caller
 * (user, or one of the caller's groups) and the bridge, and its options are
 * the union of those rules' options.  See the MUST list in policy.c.
 */

#define NSRUN_POLICY_NAME_MAX 32        /* user and group names */
#define NSRUN_POLICY_LINE_MAX 4096
#define NSRUN_POLICY_FILE_MAX (256 * 1024)

struct nsrun_policy_rule {
	unsigned int line;
	bool group;                     /* "allow group NAME", else user */
	char name[NSRUN_POLICY_NAME_MAX + 1];
	char (*bridges)[IFNAMSIZ];
	size_t nbridges;
	uint64_t options;               /* bit i: nsrun_cli_option_name(i) granted */
	bool create;                    /* "create": may create a bridge (--subnet) */
};

struct nsrun_policy {
	struct nsrun_policy_rule *rules;
	size_t nrules;
};

/* The caller, as the kernel knows it.  The callbacks resolve a rule's
 * name: is it the caller (by uid), is the caller in that group (by gid)? */
struct nsrun_policy_who {
	const char *name;               /* the caller's user name, or uid digits */
	bool (*is_user)(void *ctx, const char *name);
	bool (*in_group)(void *ctx, const char *name);
	void *ctx;
};

struct nsrun_policy_grant {
	bool bridge;                    /* some rule allows the bridge */
	uint64_t options;
	bool create;
};

/* The fixed path, NSRUN_SYSCONFDIR "/nsrun/nsrun.conf". */
const char *nsrun_policy_path(void);

/* User and group names: 1..32 bytes of [A-Za-z0-9_.-], not starting with
 * '-' or '.', optionally ending in '$'.  NULL when valid, else why not. */
const char *nsrun_policy_name_invalid(const char *name);

/* Strict parser (pure): any malformed line fails the whole text with
 * "line N: ...".  On success *p owns its rules; free with
 * nsrun_policy_free(). */
int nsrun_policy_parse(const char *text, size_t len, struct nsrun_policy *p,
		       struct nsrun_err *err);
void nsrun_policy_free(struct nsrun_policy *p);

/* What the rules grant who on bridge (NULL: on any bridge; pure, given the
 * callbacks). */
void nsrun_policy_match(const struct nsrun_policy *p, const char *bridge,
			const struct nsrun_policy_who *who, struct nsrun_policy_grant *g);

/*
 * The whole request of a caller other than root, against the policy (pure):
 * root-only things (--state-dir, NSRUN_STATE_DIR, --user), the bridge, then
 * every option given.  Fills *g; on refusal returns -EPERM with one line
 * saying what was refused and the policy line that would allow it.
 */
int nsrun_policy_check(const struct nsrun_policy *p, const struct nsrun_config *cfg,
		       const struct nsrun_policy_who *who, struct nsrun_policy_grant *g,
		       struct nsrun_err *err);

/* The refusal of a bridge creation found necessary at launch time. */
int nsrun_policy_refuse_create(const struct nsrun_policy_who *who, const char *bridge,
			       struct nsrun_err *err);

/* The capabilities a policy can grant a user with "options cap-add". */
uint64_t nsrun_policy_grantable_caps(void);

/*
 * Opens nsrun_policy_path() component by component from "/", never
 * following a symbolic link, requires every directory and the file to be
 * owned by root and not writable by group or others (checked on the open
 * descriptors), and parses it.  A missing file or directory is an empty
 * policy (nothing allowed).  The caller arranges to read it as root.
 */
int nsrun_policy_load(struct nsrun_policy *p, struct nsrun_err *err);

#endif
