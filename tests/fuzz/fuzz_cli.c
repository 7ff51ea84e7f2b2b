/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the command line parser.  The input is argv, its words
 * separated by NUL bytes (argv[0] is "nsrun"); a first byte 'E' passes the
 * second word as $NSRUN_STATE_DIR.  Properties: a rejected command line has
 * a message and sets nothing the caller could act on; an accepted one
 * satisfies every rule the launch relies on.  nsrun_cli_parse resets
 * getopt's global state (optind = 0) itself: runs are independent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/cli.h"
#include "nsrun/name.h"

#define MAX_ARGS 32

static void check_ok(const struct nsrun_config *cfg, int argc, char **argv)
{
	if (nsrun_ifname_invalid(cfg->bridge) || nsrun_ifname_invalid(cfg->ifname) ||
	    !strcmp(cfg->ifname, "lo"))
		abort();
	if (cfg->mtu && (cfg->mtu < 68 || cfg->mtu > 65535))
		abort();
	if (cfg->has_subnet && (cfg->subnet.len < 8 || cfg->subnet.len > 30))
		abort();
	if (cfg->state_dir[0] != '/')
		abort();
	if (cfg->has_mac && (cfg->mac[0] & 1))
		abort();
	/* --rebuild: only --gc --bridge (or --help and --version, which win). */
	if (cfg->gc_rebuild && cfg->action != NSRUN_ACTION_HELP &&
	    cfg->action != NSRUN_ACTION_VERSION && (cfg->action != NSRUN_ACTION_GC || cfg->gc_all))
		abort();
	if (cfg->action == NSRUN_ACTION_LAUNCH) {
		/* The command is the tail of argv, NULL-terminated, not empty. */
		if (!cfg->command || cfg->command_argc < 1 || !cfg->command[0][0] ||
		    cfg->command + cfg->command_argc != argv + argc || cfg->command[cfg->command_argc])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *argv[MAX_ARGS + 2], *env = NULL;
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };
	int argc = 0;
	size_t i, start;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"nsrun";
	for (i = 0, start = 0; i <= size && argc <= MAX_ARGS; i++) {
		if (i == size || buf[i] == '\0') {
			if (i > start || i < size)
				argv[argc++] = buf + start;
			start = i + 1;
		}
	}
	argv[argc] = NULL;
	if (argc > 2 && argv[1][0] == 'E' && !argv[1][1]) {
		env = argv[2];
		argv[2] = argv[0];
		if (nsrun_cli_parse(argc - 2, argv + 2, env, &cfg, &err) == 0)
			check_ok(&cfg, argc - 2, argv + 2);
		else if (!err.code || !err.msg[0])
			abort();
	} else if (nsrun_cli_parse(argc, argv, env, &cfg, &err) == 0) {
		check_ok(&cfg, argc, argv);
	} else if (!err.code || !err.msg[0]) {
		abort();
	}
	free(buf);
	return 0;
}
