/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_LAUNCH_H
#define NSRUN_LAUNCH_H

#include "nsrun/cli.h"
#include "nsrun/err.h"

/* Exit statuses of nsrun itself (as env(1), timeout(1), podman). */
#define NSRUN_EXIT_FAILURE 125
#define NSRUN_EXIT_CANNOT_EXEC 126
#define NSRUN_EXIT_NOT_FOUND 127

/*
 * The ordered setup sequence of DESIGN.md, then execv() of the target.
 * Returns only on failure: the exit status to use, with err filled in.  A
 * failure leaves no lease and no interface behind.  With --pid the outer
 * process also returns, with the target's status and err unset (code 0).
 */
int nsrun_launch(const struct nsrun_config *cfg, struct nsrun_err *err);

/*
 * Test builds only (NSRUN_TEST_FAULTS): when $NSRUN_FAULT names a step, the
 * process SIGKILLs itself there, to prove crash safety step by step.
 */
void nsrun_fault_point(const char *step);

#endif
