/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_GC_H
#define NSRUN_GC_H

#include <stddef.h>
#include <stdio.h>

#include "nsrun/cli.h"
#include "nsrun/err.h"
#include "nsrun/lease.h"

/*
 * The lease files' housekeeping, on demand:
 *
 *   nsrun --gc [--bridge NAME]             reclaim stale leases now
 *   nsrun --gc --rebuild --bridge NAME     rewrite the file from the live
 *                                          interfaces on the bridge
 *
 * Each reclaimed, recovered, kept or dropped lease is one line on out
 * ("nsrun: bridge br1: reclaimed 10.0.0.5 (pid 123 gone, no veth)"), then a
 * summary.  Without --rebuild a malformed lease file is an error and is left
 * as it is; --rebuild replaces it.
 */
int nsrun_gc(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err);

/*
 * Why lease l is stale, as "pid 123 gone, no veth" (pure: asks lv only).
 * Meant for a lease nsrun_lease_live() just called stale.
 */
void nsrun_gc_why(const struct nsrun_lease *l, const struct nsrun_liveness *lv, char *buf,
		  size_t size);

#endif
