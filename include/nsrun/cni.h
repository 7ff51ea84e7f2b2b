/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_CNI_H
#define NSRUN_CNI_H

#include <jansson.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "nsrun/addr.h"
#include "nsrun/cli.h"
#include "nsrun/err.h"

/*
 * --cni NET: nsrun as a small CNI runtime for one process.  The namespace
 * nsrun unshares is wired by the node's CNI plugins (bridge, macvlan,
 * flannel, ...) instead of nsrun's own bridge code.
 *
 * cni_conf.c (pure: no I/O, unit-tested and fuzzed):
 *   - the configuration list NET from a directory listing, read through a
 *     callback: *.conflist sorted, then the legacy single-plugin *.conf and
 *     *.json sorted (wrapped into a list); the first file named NET wins;
 *   - version negotiation over the VERSION answers of the plugins;
 *   - the request each plugin reads on stdin;
 *   - plugin answers (results, errors, versions), the NSRUN_* values of a
 *     result, and nsrun's own cache file.
 * cni.c: running plugins, the cache on disk, the launch hooks, --cni-del,
 * the collection of attachments whose target is gone, --list rows.
 *
 * Every JSON text is read with jansson: bounded in size, duplicate keys
 * rejected, errors with line and column.
 */

#define NSRUN_CNI_CONF_DIR "/etc/cni/net.d"
#define NSRUN_CNI_PATH "/usr/lib/cni:/opt/cni/bin"
#define NSRUN_CNI_IFNAME "eth0"
/* /run/netns/nsrun-ID pins an attachment's namespace. */
#define NSRUN_CNI_NETNS_PREFIX "nsrun-"
/* "nsrun-" + ID is a namespace name (63 bytes at most). */
#define NSRUN_CNI_ID_MAX 57
#define NSRUN_CNI_NAME_MAX 128		 /* a network's name */
#define NSRUN_CNI_TYPE_MAX 255		 /* a plugin's file name */
#define NSRUN_CNI_PLUGINS_MAX 32	 /* plugins in one list */
#define NSRUN_CNI_ARGS_MAX 4096		 /* CNI_ARGS */
#define NSRUN_CNI_TEXT_MAX (1024 * 1024) /* a configuration file, a plugin's output */
#define NSRUN_CNI_VERSION_MAX 16	 /* "1.1.0" */

/* ---- names and arguments (for cli.c) ---------------------------------- */

/* Container IDs as the spec has them: [A-Za-z0-9][A-Za-z0-9_.-]*, at most
 * NSRUN_CNI_ID_MAX bytes.  NULL when valid, else why not. */
const char *nsrun_cni_id_invalid(const char *id);
/* Network names: the same characters, at most NSRUN_CNI_NAME_MAX bytes. */
const char *nsrun_cni_name_invalid(const char *name);
/* CNI_ARGS: "K=V;K=V", keys [A-Za-z0-9_-], values printable ASCII without
 * ';' or spaces, at most NSRUN_CNI_ARGS_MAX bytes. */
const char *nsrun_cni_args_invalid(const char *args);

/* ---- versions ------------------------------------------------------------ */

/*
 * The versions nsrun speaks, oldest first: bit i of a version mask is
 * nsrun_cni_versions[i].  0.3.x is the oldest with chained plugins and
 * prevResult; DEL carries prevResult from 0.4.0; GC is 1.1.0's.
 */
extern const char *const nsrun_cni_versions[];
#define NSRUN_CNI_NVERSIONS 5
typedef unsigned int nsrun_cni_vmask;

/* "X.Y.Z" (decimal, no leading zeros, each below 1000) as X*10^6+Y*10^3+Z. */
int nsrun_cni_version_parse(const char *s, uint32_t *out);
/* The index in nsrun_cni_versions of s, -1 when nsrun does not speak it. */
int nsrun_cni_version_index(const char *s);
/* "0.4.0, 1.0.0 and 1.1.0" (or "none"), into buf. */
void nsrun_cni_vmask_format(nsrun_cni_vmask m, char *buf, size_t size);

/* ---- the configuration list ---------------------------------------------- */

struct nsrun_cni_conf {
	json_t *list;		 /* the list as loaded (a legacy config wrapped) */
	char *file;		 /* where it came from, for messages */
	const char *name;	 /* in list */
	const char *version;	 /* its cniVersion */
	nsrun_cni_vmask allowed; /* the versions it may run at */
	size_t nplugins;
	bool disable_gc; /* "disableGC": no GC for this network */
};

/* Reads file name of the directory: malloc'ed *data of *len bytes. */
typedef int (*nsrun_cni_read_fn)(void *ctx, const char *name, char **data, size_t *len,
				 struct nsrun_err *err);

/*
 * Keeps the names of configuration files, in load order: "*.conflist"
 * sorted, then "*.conf" and "*.json" sorted together.  Hidden files are
 * skipped.  Returns how many of names[] it kept (at the front).
 */
size_t nsrun_cni_conf_order(const char **names, size_t n);

/*
 * One file's text (legacy: a single plugin's configuration).  Returns 1 with
 * *out filled when it is the network net, 0 when it is another network, or
 * an error "FILE: line L, column C: ..." / "FILE: plugins[1].type: ...".
 * Only the network asked for is validated beyond its name.
 */
int nsrun_cni_conf_parse(const char *file, const char *data, size_t len, bool legacy,
			 const char *net, struct nsrun_cni_conf *out, struct nsrun_err *err);

/*
 * The network net in a directory listing (names in any order, dir for
 * messages), reading files through read as needed.  -ENOENT: no file
 * defines it.
 */
int nsrun_cni_conf_find(const char *dir, const char **names, size_t n, const char *net,
			nsrun_cni_read_fn reader, void *ctx, struct nsrun_cni_conf *out,
			struct nsrun_err *err);

/* The same checks on a list already parsed (takes a reference to list). */
int nsrun_cni_conf_from_json(json_t *list, const char *file, struct nsrun_cni_conf *out,
			     struct nsrun_err *err);

void nsrun_cni_conf_free(struct nsrun_cni_conf *c);

/* Plugin i's "type", and whether it declares capability cap. */
const char *nsrun_cni_conf_type(const struct nsrun_cni_conf *c, size_t i);
bool nsrun_cni_conf_has_cap(const struct nsrun_cni_conf *c, size_t i, const char *cap);

/* ---- negotiation and requests ---------------------------------------------- */

/*
 * A plugin's answer to VERSION: {"cniVersion": ..., "supportedVersions":
 * [...]}.  *mask: the versions nsrun speaks among them.
 */
int nsrun_cni_version_answer(const char *out, size_t len, nsrun_cni_vmask *mask,
			     struct nsrun_err *err);

/*
 * The highest version the configuration allows and every plugin speaks
 * (masks[i]: plugin i's), as an index in nsrun_cni_versions.  Otherwise
 * -ENOTSUP, naming the first plugin that leaves no version in common.
 */
int nsrun_cni_version_pick(const struct nsrun_cni_conf *c, const nsrun_cni_vmask *masks,
			   struct nsrun_err *err);

/*
 * --cni-cap NAME=JSON arguments as one object {NAME: value}.  *caps is
 * NULL when n is 0.
 */
int nsrun_cni_caps_build(const char *const *args, size_t n, json_t **caps, struct nsrun_err *err);

/*
 * What plugin i reads on stdin, as the spec derives it: its configuration
 * with every key kept, "name" and "cniVersion" of the list (at version),
 * "prevResult" when prev is given, "runtimeConfig" with the capabilities it
 * declares that caps holds, "capabilities" removed; for GC the attachments
 * that are still valid.  A new reference, NULL when out of memory.
 */
json_t *nsrun_cni_request(const struct nsrun_cni_conf *c, size_t i, const char *version,
			  const json_t *prev, const json_t *caps, const json_t *attachments);

/* ---- answers ---------------------------------------------------------------- */

/*
 * A result, checked for what nsrun and the next plugin rely on: an object
 * in the version asked for, interfaces[] with names, ips[] with addresses
 * (and interface indexes in range), routes[] with destinations.
 */
int nsrun_cni_result_parse(const char *out, size_t len, const char *version, json_t **result,
			   struct nsrun_err *err);
int nsrun_cni_result_check(const json_t *result, const char *version, struct nsrun_err *err);

/* An error object: {"code": N, "msg": "...", "details": "..."}. */
struct nsrun_cni_error {
	long long code;
	char msg[192];
	char details[192];
};
/* 0 and *e when out holds an error object; -EINVAL when it does not. */
int nsrun_cni_error_parse(const char *out, size_t len, struct nsrun_cni_error *e);

/*
 * What the target learns from a result: the first IPv4 address of the
 * interface in the namespace (ifname, or any interface with a sandbox, or an
 * address that names no interface), else the first IPv6 one; its gateway,
 * else the gateway of a default route of that family; the last host-side
 * interface (the host end of a veth, for --list).
 */
struct nsrun_cni_env {
	bool has_addr;
	struct nsrun_prefix addr;
	bool has_gateway;
	struct nsrun_addr gateway;
	char host_ifname[IFNAMSIZ]; /* "" when none */
};
void nsrun_cni_result_env(const json_t *result, const char *ifname, struct nsrun_cni_env *env);

/* ---- the cache: everything DEL needs ---------------------------------------- */

/*
 * <state-dir>/cni/<ID>.json, mode 0600, replaced atomically: one object
 *   {"nsrun_cni_cache":1, "id", "network", "file", "cni_version",
 *    "ifname", "args", "capability_args", "cni_path", "netns",
 *    "netns_dev", "netns_ino", "pid", "start", "created",
 *    "config": <the list as used>, "result": <the final result, or null
 *    while ADD runs>}
 * It is never kept in /var/lib/cni/results, which other runtimes collect.
 */
#define NSRUN_CNI_CACHE_VERSION 1
struct nsrun_cni_cache {
	char id[NSRUN_CNI_ID_MAX + 1];
	struct nsrun_cni_conf conf;
	int version; /* index in nsrun_cni_versions */
	char ifname[IFNAMSIZ];
	char *args;   /* CNI_ARGS; NULL when none */
	json_t *caps; /* --cni-cap values; NULL when none */
	char *cni_path;
	char netns[sizeof("/run/netns/") + NSRUN_CNI_ID_MAX + sizeof(NSRUN_CNI_NETNS_PREFIX)];
	uint64_t netns_dev, netns_ino; /* 0 until pinned */
	pid_t pid;
	uint64_t start;
	int64_t created;
	json_t *result; /* NULL while ADD runs */
};

/* The cache's text (compact JSON and a newline), malloc'ed; NULL: no memory. */
char *nsrun_cni_cache_format(const struct nsrun_cni_cache *c);
/* Strict: every key, no other, of the right type; the config checked again. */
int nsrun_cni_cache_parse(const char *data, size_t len, const char *file, struct nsrun_cni_cache *c,
			  struct nsrun_err *err);
void nsrun_cni_cache_free(struct nsrun_cni_cache *c);

/* ---- the runtime (cni.c) ------------------------------------------------------ */

/* One attachment being made by a launch. */
struct nsrun_cni;

/*
 * Before anything changes: checks the caller is root, loads the network,
 * finds its plugins, negotiates the version, reserves /run/netns/nsrun-ID,
 * opens the host's network namespace and writes the cache (no result yet).
 */
int nsrun_cni_prepare(const struct nsrun_config *cfg, struct nsrun_cni **out,
		      struct nsrun_err *err);
/*
 * After unshare(CLONE_NEWNET), still in the host's mount namespace: pins
 * the new namespace and runs ADD through the chain (each plugin in the
 * host's network namespace), then caches the result.  On failure the
 * caller runs nsrun_cni_abort().
 */
int nsrun_cni_attach(struct nsrun_cni *c, struct nsrun_err *err);
/* NSRUN_ADDR, NSRUN_PREFIX, NSRUN_GATEWAY, NSRUN_IFNAME, NSRUN_CNI_ID,
 * NSRUN_CNI_NETWORK, NSRUN_CNI_RESULT; NSRUN_BRIDGE and absent values unset. */
int nsrun_cni_export_env(const struct nsrun_cni *c, struct nsrun_err *err);
/* --info-fd: one JSON object on fd, which is closed. */
int nsrun_cni_write_info(const struct nsrun_cni *c, int fd, struct nsrun_err *err);
/*
 * Undoes a launch that failed: DEL for the plugins that ran, in reverse
 * order, with the last result; unpin; the cache removed.  In the host's
 * mount namespace, with privileges; without (!can_undo: they are dropped
 * already), it only says that the attachment stays, for --cni-del or the
 * collection.
 */
void nsrun_cni_abort(struct nsrun_cni *c, bool can_undo);
/* Frees c (the attachment stays, for a launch that execs). */
void nsrun_cni_free(struct nsrun_cni *c);

/* --cni-del ID: DEL in reverse order with the cached result, then unpin. */
int nsrun_cni_del(const struct nsrun_config *cfg, struct nsrun_err *err);

/*
 * Collects the attachments of state_dir whose target is gone (pid and start
 * time): DEL, unpin, cache removed; one line on out for each, then a
 * summary.  With cfg->cni_plugin_gc, also sends CNI 1.1 GC, with the
 * attachments still live, to the plugins of each network nsrun has
 * attachments on that speak 1.1.0.  For --cni-gc, and for --gc to call.
 */
int nsrun_cni_gc(const struct nsrun_config *cfg, FILE *out, struct nsrun_err *err);

/* An attachment, for --list. */
struct nsrun_cni_listing {
	const char *id;
	const char *network;
	const struct nsrun_cni_env *env;
	bool added;  /* ADD done (else in progress) */
	bool pinned; /* /run/netns/nsrun-ID still holds its namespace */
	pid_t pid;
	uint64_t start;
	int64_t created;
};
typedef int (*nsrun_cni_list_fn)(const struct nsrun_cni_listing *a, void *data);
/* Calls fn for every attachment cached in state_dir, sorted by ID. */
int nsrun_cni_list(const char *state_dir, nsrun_cni_list_fn fn, void *data, struct nsrun_err *err);

#endif
