/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_NAME_H
#define NSRUN_NAME_H

#include <net/if.h>

/* Longest namespace name nsrun accepts (a file name under /run/netns). */
#define NSRUN_NETNS_MAX 63

/*
 * Interface names as the kernel accepts them (dev_valid_name), but stricter:
 * 1..15 printable ASCII bytes, no '/', ':' or space, not "." or "..".
 * Returns NULL when valid, else why not.
 */
const char *nsrun_ifname_invalid(const char *name);

/* Namespace names: 1..63 bytes of [A-Za-z0-9_.-], not starting with '-' or
 * '.', so they are safe as file names, in the lease file and in JSON. */
const char *nsrun_netns_name_invalid(const char *name);

/* Host names as RFC 1123 has them: 1..64 bytes, dot-separated labels of
 * 1..63 letters, digits and '-', no label starting or ending with '-'. */
#define NSRUN_HOSTNAME_MAX 64
const char *nsrun_hostname_invalid(const char *name);

#endif
