/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LEASEFILE_H
#define NSRUN_LEASEFILE_H

#include <limits.h>
#include <net/if.h>
#include <stdbool.h>

#include "nsrun/err.h"
#include "nsrun/lease.h"

/*
 * The lease file on disk: <state-dir>/<bridge>.leases, guarded by an flock on
 * <state-dir>/<bridge>.lock held for the whole read-modify-write, replaced by
 * rename() of an fsync'ed temporary so readers never see half a file.
 */

#define NSRUN_DEFAULT_STATE_DIR "/run/nsrun"

struct nsrun_leasefile {
	int dirfd;
	int lockfd;
	char bridge[IFNAMSIZ];
	char path[PATH_MAX];            /* of the lease file, for messages */
	bool existed;                   /* the lease file was there at load */
};

/*
 * Opens (creating the last component if missing, mode 0755) and checks the
 * state directory: a real directory, not a symlink, owned by the effective
 * uid and not writable by group or others.  Then takes the bridge's lock.
 */
int nsrun_leasefile_open(struct nsrun_leasefile *lf, const char *dir, const char *bridge,
			 struct nsrun_err *err);
/* Reads and parses; a missing file yields an empty table (existed=false). */
int nsrun_leasefile_load(struct nsrun_leasefile *lf, struct nsrun_lease_table *t,
			 struct nsrun_err *err);
/* Atomic replacement: temporary, write, fsync, rename. */
int nsrun_leasefile_save(struct nsrun_leasefile *lf, const struct nsrun_lease_table *t,
			 struct nsrun_err *err);
/* The state directory alone, checked as above: an O_CLOEXEC fd or -errno. */
int nsrun_leasefile_open_dir(const char *dir, struct nsrun_err *err);
/* Releases the lock. Idempotent. */
void nsrun_leasefile_close(struct nsrun_leasefile *lf);

/*
 * The bridges that have a lease file in dir (<bridge>.leases), sorted by
 * name, in a malloc'ed array; none (and no error) when dir does not exist.
 */
int nsrun_leasefile_bridges(const char *dir, char (**names)[IFNAMSIZ], size_t *n,
			    struct nsrun_err *err);

#endif
