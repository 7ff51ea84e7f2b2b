/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_TEST_CLI_ARGS_H
#define NSRUN_TEST_CLI_ARGS_H

#include <stdarg.h>

#include "nsrun/cli.h"

/* nsrun_cli_parse() of "nsrun" and the NULL-terminated arguments. */
static int parse_args(struct nsrun_config *cfg, struct nsrun_err *err, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"nsrun";
	va_start(ap, err);
	for (char *a; argc < 31 && (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	nsrun_err_clear(err);
	return nsrun_cli_parse(argc, argv, NULL, cfg, err);
}

#endif
