/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_MOUNT_H
#define NSRUN_MOUNT_H

#include "nsrun/err.h"

/*
 * In the new mount namespace: stop propagation back to the host, then a
 * fresh /sys of the new network namespace, as `ip netns exec` does, so
 * /sys/class/net lists only the namespace's own interfaces.
 */
int nsrun_mount_fresh_sys(struct nsrun_err *err);

#endif
