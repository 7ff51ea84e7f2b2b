/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_CLI_H
#define NSRUN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"

#define NSRUN_DEFAULT_BRIDGE "nsrun0"
#define NSRUN_DEFAULT_SUBNET "10.47.0.0/16"
#define NSRUN_DEFAULT_IFNAME "eth0"

enum nsrun_action {
	NSRUN_ACTION_LAUNCH,
	NSRUN_ACTION_HELP,
	NSRUN_ACTION_VERSION,
};

/* The plan: argv parsed and validated, nothing done yet. */
struct nsrun_config {
	enum nsrun_action action;
	const char *bridge;
	bool bridge_is_default;         /* no --bridge: may be created */
	bool has_subnet;
	struct nsrun_prefix subnet;
	bool has_ip;
	struct nsrun_addr ip;
	const char *ifname;
	unsigned int mtu;               /* 0: the bridge's */
	bool has_mac;
	uint8_t mac[NSRUN_MAC_LEN];
	const char *state_dir;
	bool state_dir_set;             /* chosen by --state-dir or NSRUN_STATE_DIR */
	bool pid;                       /* --pid: a PID namespace under nsrun's init */
	bool pid_exec;                  /* --pid-exec: ... with the target as PID 1 */
	int verbosity;
	char **command;                 /* NULL-terminated, from argv */
	int command_argc;
};

/*
 * Parses argv (getopt_long; stops at the first non-option, as env(1)).
 * env_state_dir is $NSRUN_STATE_DIR or NULL.  Pure: nothing is printed.
 */
int nsrun_cli_parse(int argc, char **argv, const char *env_state_dir, struct nsrun_config *cfg,
		    struct nsrun_err *err);
void nsrun_cli_usage(FILE *f);

#endif
