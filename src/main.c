/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>

#include "nsrun/cli.h"
#include "nsrun/launch.h"
#include "nsrun/log.h"

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
	case NSRUN_ACTION_LAUNCH:
		break;
	}
	status = nsrun_launch(&cfg, &err);
	if (err.code)
		nsrun_log_error("%s", err.msg);
	return status;
}
