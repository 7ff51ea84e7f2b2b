/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_SECCOMP_H
#define NSRUN_SECCOMP_H

#include <stddef.h>

#include "nsrun/err.h"

/* --seccomp default|none|FILE; UNSET: default for a target that is not
 * root (a user's nsrun, or --user), none for root. */
enum nsrun_seccomp_mode {
	NSRUN_SECCOMP_UNSET,
	NSRUN_SECCOMP_DEFAULT,
	NSRUN_SECCOMP_NONE,
	NSRUN_SECCOMP_FILE,
};

/*
 * The default profile: system calls a program in a throw-away network
 * namespace never needs, denied with EPERM; everything else is allowed.
 * Besides this list, the default profile also denies clone() with a
 * CLONE_NEW* flag (EPERM), makes clone3() fail with ENOSYS (its flags are
 * out of the filter's reach; libc then falls back to clone()), and denies
 * the TIOCSTI and TIOCLINUX ioctls (typing into the caller's terminal).
 */
struct nsrun_seccomp_entry {
	const char *syscall;
	const char *why;
};
extern const struct nsrun_seccomp_entry nsrun_seccomp_default_profile[]; /* {NULL} ends it */

#define NSRUN_SECCOMP_FILE_MAX (64 * 1024)

/* --seccomp FILE: one system call name per line, '#' comments, blank
 * lines.  Strict: unknown names and duplicates are errors with line
 * numbers.  Pure (libseccomp's name table only). */
struct nsrun_seccomp_list {
	char (*names)[40];
	size_t n;
};
int nsrun_seccomp_parse_list(const char *text, size_t len, struct nsrun_seccomp_list *l,
			     struct nsrun_err *err);
void nsrun_seccomp_list_free(struct nsrun_seccomp_list *l);

/* A filter built before setup and loaded right before exec. */
struct nsrun_seccomp;

/* Builds the filter of mode (FILE: file is read, as the current file system
 * identity).  *out is NULL for NSRUN_SECCOMP_NONE. */
int nsrun_seccomp_prepare(enum nsrun_seccomp_mode mode, const char *file,
			  struct nsrun_seccomp **out, struct nsrun_err *err);
/* Loads it (sets no_new_privs, as an unprivileged filter needs). */
int nsrun_seccomp_load(struct nsrun_seccomp *s, struct nsrun_err *err);
void nsrun_seccomp_free(struct nsrun_seccomp *s);

#endif
