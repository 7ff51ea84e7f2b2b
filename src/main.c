/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "nsrun/cli.h"
#include "nsrun/cni.h"
#include "nsrun/gc.h"
#include "nsrun/launch.h"
#include "nsrun/list.h"
#include "nsrun/log.h"
#include "nsrun/netns.h"
#include "nsrun/privs.h"
#include "nsrun/nat.h"

#ifndef NSRUN_VERSION
#define NSRUN_VERSION "0.0.0"
#endif

/* The only place that prints errors and chooses the exit status. */
int main(int argc, char **argv)
{
	struct nsrun_config cfg;
	struct nsrun_privs privs;
	struct nsrun_err err = { 0 };
	int status;

	/* Before anything opens a descriptor or trusts an id (privs.h). */
	if (argc < 1 || nsrun_privs_init(&err) < 0) {
		nsrun_log_error("%s", argc < 1 ? "no arguments, not even a program name" : err.msg);
		return NSRUN_EXIT_FAILURE;
	}
	if (nsrun_cli_parse(argc, argv, getenv("NSRUN_STATE_DIR"), &cfg, &err) < 0) {
		nsrun_log_error("%s", err.msg);
		return NSRUN_EXIT_FAILURE;
	}
	nsrun_log_init(cfg.verbosity);
	/* Every action but help and version: the whole request is checked,
	 * and the privileges decided, before anything is done (privs.h).  For
	 * a user other than root an action is an option the policy must grant. */
	if (cfg.action != NSRUN_ACTION_HELP && cfg.action != NSRUN_ACTION_VERSION) {
		if (nsrun_privs_plan(&cfg, &privs, &err) < 0) {
			nsrun_log_error("%s", err.msg);
			return NSRUN_EXIT_FAILURE;
		}
		cfg.privs = &privs;
	}
	switch (cfg.action) {
	case NSRUN_ACTION_HELP:
		nsrun_cli_usage(stdout);
		return fflush(stdout) == 0 ? 0 : NSRUN_EXIT_FAILURE;
	case NSRUN_ACTION_VERSION:
		printf("nsrun %s\n", NSRUN_VERSION);
		return fflush(stdout) == 0 ? 0 : NSRUN_EXIT_FAILURE;
	case NSRUN_ACTION_LIST:
		if (nsrun_list_run(&cfg, stdout, &err) < 0 || fflush(stdout) != 0) {
			nsrun_log_error("%s", err.code ? err.msg : "list: write error");
			return NSRUN_EXIT_FAILURE;
		}
		return 0;
	case NSRUN_ACTION_RM:
		if (nsrun_netns_remove(&cfg, &err) < 0) {
			nsrun_log_error("%s", err.msg);
			return NSRUN_EXIT_FAILURE;
		}
		return 0;
	case NSRUN_ACTION_NAT_OFF:
		if (nsrun_nat_off(cfg.bridge, &err) == 0)
			return 0;
		nsrun_log_error("%s", err.msg);
		return NSRUN_EXIT_FAILURE;
	case NSRUN_ACTION_CNI_DEL:
		if (nsrun_cni_del(&cfg, &err) < 0) {
			nsrun_log_error("%s", err.msg);
			return NSRUN_EXIT_FAILURE;
		}
		return 0;
	case NSRUN_ACTION_GC:
	case NSRUN_ACTION_CNI_GC:
		/* --gc: the leases (of --bridge, else of every bridge), and without
		 * --bridge the CNI attachments too; --cni-gc: those alone. */
		if ((cfg.action == NSRUN_ACTION_GC && nsrun_gc(&cfg, stdout, &err) < 0) ||
		    ((cfg.action == NSRUN_ACTION_CNI_GC || cfg.gc_all) &&
		     nsrun_cni_gc(&cfg, stdout, &err) < 0)) {
			fflush(stdout);
			nsrun_log_error("%s", err.msg);
			return NSRUN_EXIT_FAILURE;
		}
		return fflush(stdout) == 0 ? 0 : NSRUN_EXIT_FAILURE;
	case NSRUN_ACTION_LAUNCH:
	case NSRUN_ACTION_JOIN:
		break;
	}
	status = nsrun_launch(&cfg, &err);
	nsrun_privs_free(&privs);
	if (err.code) /* --pid: the outer nsrun returns the target's status */
		nsrun_log_error("%s", err.msg);
	return status;
}
