/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_CLI_H
#define NSRUN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "nsrun/addr.h"
#include "nsrun/err.h"
#include "nsrun/shape.h"
#include "nsrun/seccomp.h"

struct nsrun_privs;

#define NSRUN_DEFAULT_BRIDGE "nsrun0"
#define NSRUN_DEFAULT_SUBNET "10.47.0.0/16"
#define NSRUN_DEFAULT_IFNAME "eth0"
#define NSRUN_LO_ADDR_MAX 8

enum nsrun_action {
	NSRUN_ACTION_LAUNCH,
	NSRUN_ACTION_HELP,
	NSRUN_ACTION_VERSION,
	NSRUN_ACTION_JOIN,              /* --join NAME: a launch into a named netns */
	NSRUN_ACTION_LIST,              /* --list */
	NSRUN_ACTION_RM,                /* --rm NAME */
	NSRUN_ACTION_NAT_OFF,           /* --nat-off: remove the bridge's NAT rules */
	NSRUN_ACTION_GC,                /* --gc [--rebuild]: no command */
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
	bool nat;                       /* --nat: masquerade + forwarding (nat.c) */
	const char *state_dir;
	bool state_dir_set;             /* chosen by --state-dir or NSRUN_STATE_DIR */
	bool pid;                       /* --pid: a PID namespace under nsrun's init */
	bool pid_exec;                  /* --pid-exec: ... with the target as PID 1 */
	int verbosity;
	/* lifecycle: named namespaces, scripting */
	const char *netns;              /* --name, --join or --rm NAME; NULL */
	const char *hostname;           /* --hostname: a UTS namespace; NULL */
	struct nsrun_addr dns[NSRUN_DNS_MAX];
	unsigned int ndns;              /* --dns servers */
	int info_fd;                    /* --info-fd; -1 when none */
	bool force;                     /* --rm --force */
	bool json;                      /* --list --json */
	/* --lo-addr (VIPs for direct server return) and link shaping */
	struct nsrun_prefix lo_addrs[NSRUN_LO_ADDR_MAX];
	unsigned int n_lo_addrs;
	struct nsrun_shape shape;
	bool gc_rebuild;                /* --rebuild (with --gc --bridge) */
	bool gc_all;                    /* --gc without --bridge: every bridge */
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
	/* Privileges (privs.c, policy.c, seccomp.c) */
	uint64_t options_used;          /* bit i: nsrun_cli_option_name(i) was given */
	bool state_dir_env;             /* NSRUN_STATE_DIR was set */
	const char *user;               /* --user USER[:GROUP] */
	uint64_t cap_add, cap_drop;     /* --cap-add, --cap-drop: bit per capability */
	bool cap_add_all, cap_drop_all; /* ... ALL */
	enum nsrun_seccomp_mode seccomp;
	const char *seccomp_file;       /* --seccomp FILE */
	const struct nsrun_privs *privs; /* the privilege plan, set before launch */
};

/*
 * Parses argv (getopt_long; stops at the first non-option, as env(1)).
 * env_state_dir is $NSRUN_STATE_DIR or NULL.  Pure: nothing is printed.
 */
int nsrun_cli_parse(int argc, char **argv, const char *env_state_dir, struct nsrun_config *cfg,
		    struct nsrun_err *err);
void nsrun_cli_usage(FILE *f);

/* The long options by index (bit i of options_used), NULL past the last;
 * the index of a long option's name, -1 if there is none. */
const char *nsrun_cli_option_name(unsigned int i);
int nsrun_cli_option_index(const char *name);

#endif
