/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "nsrun/cli.h"
#include "nsrun/cni.h"
#include "nsrun/launch.h"
#include "nsrun/list.h"
#include "nsrun/log.h"
#include "nsrun/netns.h"

#ifndef NSRUN_VERSION
#define NSRUN_VERSION "0.0.0"
#endif

/* The only place that prints errors and chooses the exit status. */
int main(int argc, char **argv)
{
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };
	int status;

	if (nsrun_cli_parse(argc, argv, getenv("NSRUN_STATE_DIR"), &cfg, &err) < 0) {
		nsrun_log_error("%s", err.msg);
		return NSRUN_EXIT_FAILURE;
	}
	nsrun_log_init(cfg.verbosity);
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
	case NSRUN_ACTION_CNI_DEL:
		if (nsrun_cni_del(&cfg, &err) < 0) {
			nsrun_log_error("%s", err.msg);
			return NSRUN_EXIT_FAILURE;
		}
		return 0;
	case NSRUN_ACTION_CNI_GC:
		if (nsrun_cni_gc(&cfg, stdout, &err) < 0) {
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
	nsrun_log_error("%s", err.msg);
	return status;
}
