/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_PRIVS_H
#define NSRUN_PRIVS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "nsrun/err.h"
#include "nsrun/policy.h"

struct nsrun_config;
struct nsrun_seccomp;

/*
 * What the target keeps when root runs nsrun: Docker's default set.  Never
 * CAP_NET_ADMIN (reconfigure its link), CAP_SYS_ADMIN (setns, mount),
 * CAP_SYS_MODULE, CAP_SYS_PTRACE or CAP_BPF.
 */
extern const int nsrun_privs_default_caps[];
extern const unsigned int nsrun_privs_default_ncaps;

/*
 * The capabilities nsrun itself needs when a user runs it (file
 * capabilities, or what it keeps of setuid root): NET_ADMIN (rtnetlink),
 * SYS_ADMIN (unshare, mount /sys), SETPCAP (empty the bounding set),
 * SETUID and SETGID (act as root on its state files, see
 * nsrun_privs_state_enter).  Also kept if present: the capabilities a
 * policy can grant (nsrun_policy_grantable_caps).
 */
extern const int nsrun_privs_setup_caps[];
extern const unsigned int nsrun_privs_setup_ncaps;

/* The privilege plan of one launch: decided before anything is set up. */
struct nsrun_privs {
	bool user_mode;                 /* real uid != 0: the policy applies */
	uid_t ruid;
	gid_t rgid;
	char name[NSRUN_POLICY_NAME_MAX + 1]; /* the caller, for messages */
	bool may_create;                /* may create a missing bridge */
	/* The target. */
	bool target_root;               /* stays uid 0 with the capabilities below */
	uid_t uid;
	gid_t gid;
	bool set_groups;                /* --user: its groups (else the caller's) */
	gid_t *groups;
	size_t ngroups;
	char home[256];                 /* --user: HOME, USER, LOGNAME */
	char user[NSRUN_POLICY_NAME_MAX + 1];
	uint64_t caps;                  /* capabilities the target keeps */
	bool close_inherited;           /* --user: close the caller's descriptors too */
	struct nsrun_seccomp *seccomp;  /* NULL: no filter */
};

/*
 * First thing in main(), before anything opens a descriptor: makes sure
 * descriptors 0-2 are open (a caller may close them so that nsrun's next
 * open file lands there), notes the caller's other descriptors, sets umask
 * 022 (the caller's is restored for the target).  Run by a user other than
 * root: a setuid-root nsrun becomes the caller with nsrun's capabilities (as
 * file capabilities make it), every other capability is dropped, and the
 * process is made non-dumpable.
 */
int nsrun_privs_init(struct nsrun_err *err);

/*
 * Decides the launch: for a user other than root, loads the policy (as
 * root) and checks the whole request against it; resolves --user; the
 * target's capability set; builds the seccomp filter.  Nothing is set up.
 */
int nsrun_privs_plan(const struct nsrun_config *cfg, struct nsrun_privs *p,
		     struct nsrun_err *err);
void nsrun_privs_free(struct nsrun_privs *p);

/* nsrun needs CAP_NET_ADMIN and CAP_SYS_ADMIN; says how to get them. */
int nsrun_privs_check(struct nsrun_err *err);

/* The refusal of creating a missing bridge without "options create". */
int nsrun_privs_refuse_create(const struct nsrun_privs *p, const char *bridge,
			      struct nsrun_err *err);

/*
 * Between enter and leave, files are accessed as root (file system uid and
 * gid 0) when a user runs nsrun, so nsrun's state is root's and the user
 * cannot touch it; outside, as the caller.  No-ops for root.
 */
int nsrun_privs_state_enter(struct nsrun_err *err);
void nsrun_privs_state_leave(void);
/* The current file system uid (owner of what nsrun creates). */
uid_t nsrun_privs_fsuid(void);

/*
 * Right before exec: the target's identity (uid, gid, groups), bounding set
 * reduced to p->caps, permitted = effective = p->caps, inheritable and
 * ambient = p->caps for a target that is not root (else empty),
 * no_new_privs for a target that is not root, the caller's umask.
 */
int nsrun_privs_drop(const struct nsrun_privs *p, struct nsrun_err *err);

/*
 * The very last step before exec: closes every descriptor above 2 that
 * nsrun opened (and, with --user, those the caller passed), then loads the
 * seccomp filter.
 */
int nsrun_privs_seal(const struct nsrun_privs *p, struct nsrun_err *err);

#endif
