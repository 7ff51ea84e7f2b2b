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
	NSRUN_ACTION_JOIN,              /* --join NAME: a launch into a named netns */
	NSRUN_ACTION_LIST,              /* --list */
	NSRUN_ACTION_RM,                /* --rm NAME */
	NSRUN_ACTION_CNI_DEL,           /* --cni-del ID */
	NSRUN_ACTION_CNI_GC,            /* --cni-gc [--cni-plugin-gc] */
};

/* --cni-cap arguments at most. */
#define NSRUN_CNI_CAPS_MAX 16

/* The C library's resolver reads no more nameservers than this (MAXNS). */
#define NSRUN_DNS_MAX 3

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
	int verbosity;
	/* lifecycle: named namespaces, scripting */
	const char *netns;              /* --name, --join or --rm NAME; NULL */
	const char *hostname;           /* --hostname: a UTS namespace; NULL */
	struct nsrun_addr dns[NSRUN_DNS_MAX];
	unsigned int ndns;              /* --dns servers */
	int info_fd;                    /* --info-fd; -1 when none */
	bool force;                     /* --rm --force */
	bool json;                      /* --list --json */
	/* --cni: the node's CNI plugins wire the namespace (cni.c) */
	const char *cni_net;            /* --cni NET; NULL: nsrun's own bridge */
	const char *cni_id;             /* --cni-id, --cni-del ID; NULL: PID-STARTTIME */
	const char *cni_ifname;         /* --cni-ifname; NULL: eth0 */
	const char *cni_args;           /* --cni-args (CNI_ARGS); NULL */
	const char *cni_conf_dir;       /* --cni-conf-dir; NULL: /etc/cni/net.d */
	const char *cni_path;           /* --cni-path; NULL: the default, or the ADD's */
	const char *cni_caps[NSRUN_CNI_CAPS_MAX]; /* --cni-cap NAME=JSON */
	unsigned int ncni_caps;
	bool cni_plugin_gc;             /* --cni-gc --cni-plugin-gc */
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
