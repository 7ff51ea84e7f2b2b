/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_CAPS_H
#define NSRUN_CAPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * Capability names and sets, as --cap-add/--cap-drop take them (Docker's
 * spelling): NET_RAW, CAP_NET_RAW, net_raw and Cap_Net_Raw are the same
 * capability; ALL is every capability.  A set is a bit mask, bit N for
 * capability N (capabilities(7) numbers; the kernel has fewer than 64).
 * Pure: no kernel state is read.
 */

#define NSRUN_CAP_ALL (-1)
#define NSRUN_CAP_NAME_MAX 32

/* Sets *cap to the capability's number, or NSRUN_CAP_ALL.  -EINVAL when the
 * name is not a capability libcap knows (numbers are not names). */
int nsrun_caps_from_name(const char *name, int *cap);

/* "NET_RAW" for 13; "CAP_45" for a number libcap has no name for. */
void nsrun_caps_name(int cap, char buf[NSRUN_CAP_NAME_MAX]);

/* "NET_RAW,SYS_ADMIN" for a set, "none" for the empty set (truncated to size). */
void nsrun_caps_format(uint64_t set, char *buf, size_t size);

#endif
