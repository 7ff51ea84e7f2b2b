/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_PRIVS_H
#define NSRUN_PRIVS_H

#include <stdbool.h>

#include "nsrun/err.h"

/*
 * What the target keeps when root runs nsrun: Docker's default set.  Never
 * CAP_NET_ADMIN (reconfigure its link), CAP_SYS_ADMIN (setns, mount),
 * CAP_SYS_MODULE, CAP_SYS_PTRACE or CAP_BPF.
 */
extern const int nsrun_privs_default_caps[];
extern const unsigned int nsrun_privs_default_ncaps;

/* nsrun needs CAP_NET_ADMIN and CAP_SYS_ADMIN; says how to get them. */
int nsrun_privs_check(struct nsrun_err *err);

/*
 * Right before exec: bounding set reduced to the default set, permitted =
 * effective = that set, inheritable and ambient empty.
 */
int nsrun_privs_drop(struct nsrun_err *err);

#endif
