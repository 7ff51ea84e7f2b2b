/* SPDX-License-Identifier: MIT */
#include "nsrun/cli.h"

#include <errno.h>
#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/caps.h"
#include "nsrun/cni.h"
#include "nsrun/leasefile.h"
#include "nsrun/name.h"
#include "nsrun/policy.h"

enum {
	OPT_SUBNET = 0x100,
	OPT_IP,
	OPT_IFNAME,
	OPT_MTU,
	OPT_MAC,
	OPT_STATE_DIR,
	OPT_NAME,
	OPT_HOSTNAME,
	OPT_DNS,
	OPT_INFO_FD,
	OPT_JOIN,
	OPT_LIST,
	OPT_JSON,
	OPT_RM,
	OPT_FORCE,
	OPT_LO_ADDR,
	OPT_RATE,
	OPT_DELAY,
	OPT_JITTER,
	OPT_LOSS,
	OPT_USER,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_SECCOMP,
	OPT_NAT,
	OPT_NAT_OFF,
	OPT_GC,
	OPT_REBUILD,
	OPT_CNI,
	OPT_CNI_ID,
	OPT_CNI_IFNAME,
	OPT_CNI_ARGS,
	OPT_CNI_CAP,
	OPT_CNI_CONF_DIR,
	OPT_CNI_PATH,
	OPT_CNI_DEL,
	OPT_CNI_GC,
	OPT_CNI_PLUGIN_GC,
	OPT_PID,
	OPT_PID_EXEC,
};

static const struct option long_options[] = {
	{ "bridge", required_argument, NULL, 'b' },
	{ "subnet", required_argument, NULL, OPT_SUBNET },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "ifname", required_argument, NULL, OPT_IFNAME },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "mac", required_argument, NULL, OPT_MAC },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "dns", required_argument, NULL, OPT_DNS },
	{ "info-fd", required_argument, NULL, OPT_INFO_FD },
	{ "join", required_argument, NULL, OPT_JOIN },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "rm", required_argument, NULL, OPT_RM },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "lo-addr", required_argument, NULL, OPT_LO_ADDR },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "jitter", required_argument, NULL, OPT_JITTER },
	{ "loss", required_argument, NULL, OPT_LOSS },
	{ "user", required_argument, NULL, OPT_USER },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "nat", no_argument, NULL, OPT_NAT },
	{ "nat-off", no_argument, NULL, OPT_NAT_OFF },
	{ "gc", no_argument, NULL, OPT_GC },
	{ "rebuild", no_argument, NULL, OPT_REBUILD },
	{ "cni", required_argument, NULL, OPT_CNI },
	{ "cni-id", required_argument, NULL, OPT_CNI_ID },
	{ "cni-ifname", required_argument, NULL, OPT_CNI_IFNAME },
	{ "cni-args", required_argument, NULL, OPT_CNI_ARGS },
	{ "cni-cap", required_argument, NULL, OPT_CNI_CAP },
	{ "cni-conf-dir", required_argument, NULL, OPT_CNI_CONF_DIR },
	{ "cni-path", required_argument, NULL, OPT_CNI_PATH },
	{ "cni-del", required_argument, NULL, OPT_CNI_DEL },
	{ "cni-gc", no_argument, NULL, OPT_CNI_GC },
	{ "cni-plugin-gc", no_argument, NULL, OPT_CNI_PLUGIN_GC },
	{ "pid", no_argument, NULL, OPT_PID },
	{ "pid-exec", no_argument, NULL, OPT_PID_EXEC },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void nsrun_cli_usage(FILE *f)
{
	/* One screen, one line per option, grouped by topic: nsrun(1) has the rest. */
	fputs("Usage: nsrun [OPTIONS] [--] COMMAND [ARG...]\n"
	      "       nsrun --join NAME [OPTIONS] [--] COMMAND [ARG...]\n"
	      "       nsrun --cni NET [CNI OPTIONS] [OPTIONS] [--] COMMAND [ARG...]\n"
	      "       nsrun --list [--json] | --gc [--rebuild] | --nat-off  [--bridge NAME]\n"
	      "       nsrun --rm NAME [--force] | --cni-del ID | --cni-gc [--cni-plugin-gc]\n"
	      "Run COMMAND in a network namespace of its own, on a bridge, at its own address.\n"
	      "Network:\n"
	      "  -b, --bridge NAME         bridge (default " NSRUN_DEFAULT_BRIDGE ", created with " NSRUN_DEFAULT_SUBNET ")\n"
	      "      --subnet CIDR         subnet of a bridge to create, or to address\n"
	      "      --ip ADDR             this address, not the lowest free one\n"
	      "      --ifname NAME         interface inside (default " NSRUN_DEFAULT_IFNAME ")\n"
	      "      --mtu N               MTU inside (default: the bridge's)\n"
	      "      --mac ADDR            MAC inside (default: 02:6e: + the IPv4 address)\n"
	      "      --lo-addr ADDR[/N]    a VIP on lo, for direct server return (up to 8)\n"
	      "      --nat                 masquerade the subnet out; IPv4 forwarding on\n"
	      "Link shaping, each direction, both ends:\n"
	      "      --rate RATE           bandwidth: 500kbit, 10mbit, 1gbit, 125kbps\n"
	      "      --delay MS            added latency (needs the kernel's netem)\n"
	      "      --jitter MS           uniform +/- variation of --delay\n"
	      "      --loss PCT            random loss (netem, else tc-bpf)\n"
	      "Namespaces and scripting:\n"
	      "      --name NAME           pin the namespace at /run/netns/NAME\n"
	      "      --hostname NAME       a UTS namespace with this host name\n"
	      "      --dns ADDR            a nameserver in COMMAND's resolv.conf (up to 3)\n"
	      "      --info-fd FD          the network as one JSON object on FD, before exec\n"
	      "      --pid                 a PID namespace too, under a minimal init\n"
	      "      --pid-exec            a PID namespace, COMMAND itself as PID 1\n"
	      "Privileges:\n"
	      "      --user USER[:GROUP]   run COMMAND as USER (root only)\n"
	      "      --cap-add CAP         give COMMAND capability CAP too (or ALL)\n"
	      "      --cap-drop CAP        take CAP from COMMAND's default set (or ALL)\n"
	      "      --seccomp PROFILE     default, none, or a FILE of system calls to deny\n"
	      "CNI: the node's plugins wire the namespace, not a bridge (root only):\n"
	      "      --cni NET             the network configuration list NET\n"
	      "      --cni-id ID           the attachment (default PID-STARTTIME)\n"
	      "      --cni-ifname NAME     interface inside (default " NSRUN_CNI_IFNAME ")\n"
	      "      --cni-args ARGS       CNI_ARGS for the plugins (K=V;K=V)\n"
	      "      --cni-cap NAME=JSON   a runtimeConfig capability argument (repeatable)\n"
	      "      --cni-conf-dir DIR    configurations (default " NSRUN_CNI_CONF_DIR ")\n"
	      "      --cni-path DIRS       plugins (default " NSRUN_CNI_PATH ")\n"
	      "Actions:\n"
	      "      --join NAME           run COMMAND in the existing namespace NAME\n"
	      "      --list                the live leases (of --bridge, or all)\n"
	      "      --json                --list as one JSON array\n"
	      "      --rm NAME             unpin namespace NAME\n"
	      "      --force               --rm a namespace nsrun did not make\n"
	      "      --nat-off             remove the bridge's --nat rules\n"
	      "      --gc                  reclaim stale leases (and CNI attachments) now\n"
	      "      --rebuild             --gc --bridge: rebuild its lease file from its veths\n"
	      "      --cni-del ID          DEL the CNI attachment ID, unpin its namespace\n"
	      "      --cni-gc              collect the CNI attachments whose COMMAND is gone\n"
	      "      --cni-plugin-gc       --cni-gc or --gc: also CNI 1.1 GC to the plugins\n"
	      "State and output:\n"
	      "      --state-dir DIR       lease files (default $NSRUN_STATE_DIR, " NSRUN_DEFAULT_STATE_DIR ")\n"
	      "  -v, --verbose             each setup step and its duration, on stderr\n"
	      "  -q, --quiet               no warnings\n"
	      "  -h, --help                this help\n"
	      "  -V, --version             the version\n"
	      "Exit status: COMMAND's, or 125 (nsrun failed), 126 (COMMAND cannot be run),\n"
	      "127 (COMMAND not found).  See nsrun(1).\n",
	      f);
}

static int bad(struct nsrun_err *err, const char *opt, const char *arg, const char *why)
{
	return nsrun_err_set(err, EINVAL, "%s %s: %s", opt, arg, why);
}

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	unsigned long v;
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_subnet(const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct nsrun_prefix p, net;
	char buf[NSRUN_PREFIX_STRLEN];
	int r = nsrun_prefix_parse(arg, &p, false);

	if (r < 0)
		return bad(err, "--subnet", arg, "not an IPv4 subnet (expected A.B.C.D/N)");
	if (p.len > 30)
		return bad(err, "--subnet", arg,
			   "prefix longer than /30 leaves no room for a gateway and a host");
	if (p.len < 8)
		return bad(err, "--subnet", arg, "prefix shorter than /8 is not a bridge subnet");
	net = nsrun_prefix_network(&p);
	if (!nsrun_addr_equal(&net.addr, &p.addr)) {
		char why[96];

		nsrun_prefix_format(&net, buf);
		snprintf(why, sizeof(why), "not a network address (did you mean %s?)", buf);
		return bad(err, "--subnet", arg, why);
	}
	cfg->has_subnet = true;
	cfg->subnet = p;
	return 0;
}

static int parse_state_dir(const char *what, const char *arg, struct nsrun_config *cfg,
			   struct nsrun_err *err)
{
	if (arg[0] != '/')
		return bad(err, what, arg, "not an absolute path");
	if (strlen(arg) > 3000)
		return bad(err, what, "...", "path too long");
	cfg->state_dir = arg;
	cfg->state_dir_set = true;
	return 0;
}

/* --list, --rm, --join: one action per invocation; --help and --version win. */
static int set_action(struct nsrun_config *cfg, enum nsrun_action a, struct nsrun_err *err)
{
	static const char *const names[] = {
		[NSRUN_ACTION_JOIN] = "--join",
		[NSRUN_ACTION_LIST] = "--list",
		[NSRUN_ACTION_RM] = "--rm",
		[NSRUN_ACTION_NAT_OFF] = "--nat-off",
		[NSRUN_ACTION_GC] = "--gc",
		[NSRUN_ACTION_CNI_DEL] = "--cni-del",
		[NSRUN_ACTION_CNI_GC] = "--cni-gc",
	};

	if (cfg->action == NSRUN_ACTION_HELP || cfg->action == NSRUN_ACTION_VERSION)
		return 0;
	if (cfg->action != NSRUN_ACTION_LAUNCH && cfg->action != a)
		return nsrun_err_set(err, EINVAL, "%s: cannot be combined with %s", names[a],
				     names[cfg->action]);
	cfg->action = a;
	return 0;
}

static int parse_netns_name(const char *opt, const char *arg, struct nsrun_config *cfg,
			    struct nsrun_err *err)
{
	const char *why = nsrun_netns_name_invalid(arg);

	if (why)
		return bad(err, opt, arg, why);
	if (cfg->netns && strcmp(cfg->netns, arg))
		return nsrun_err_set(err, EINVAL, "%s %s: a namespace name was already given (%s)",
				     opt, arg, cfg->netns);
	cfg->netns = arg;
	return 0;
}

static int parse_dns(const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct nsrun_addr a = { .family = AF_INET6 };

	if (nsrun_addr_parse(arg, &a) < 0 && inet_pton(AF_INET6, arg, &a.u.v6) != 1)
		return bad(err, "--dns", arg, "not an IPv4 or IPv6 address");
	if (cfg->ndns == NSRUN_DNS_MAX)
		return bad(err, "--dns", arg, "more than 3 servers (the resolver reads no more)");
	cfg->dns[cfg->ndns++] = a;
	return 0;
}

static int parse_lifecycle_option(int c, const char *arg, struct nsrun_config *cfg,
				  struct nsrun_err *err)
{
	unsigned long v;
	const char *why;
	int r;

	switch (c) {
	case OPT_NAME:
		return parse_netns_name("--name", arg, cfg, err);
	case OPT_HOSTNAME:
		why = nsrun_hostname_invalid(arg);
		if (why)
			return bad(err, "--hostname", arg, why);
		cfg->hostname = arg;
		return 0;
	case OPT_DNS:
		return parse_dns(arg, cfg, err);
	case OPT_INFO_FD:
		if (parse_uint(arg, 0, INT_MAX, &v) < 0)
			return bad(err, "--info-fd", arg, "not a file descriptor number");
		if (v <= 2)
			return bad(err, "--info-fd", arg,
				   "stdin, stdout and stderr belong to the command");
		cfg->info_fd = (int)v;
		return 0;
	case OPT_JOIN:
	case OPT_RM:
		r = set_action(cfg, c == OPT_JOIN ? NSRUN_ACTION_JOIN : NSRUN_ACTION_RM, err);
		if (r < 0)
			return r;
		return parse_netns_name(c == OPT_JOIN ? "--join" : "--rm", arg, cfg, err);
	case OPT_LIST:
		return set_action(cfg, NSRUN_ACTION_LIST, err);
	case OPT_JSON:
		cfg->json = true;
		return 0;
	case OPT_FORCE:
		cfg->force = true;
		return 0;
	}
	return nsrun_err_set(err, EINVAL, "internal: unhandled option %d", c);
}

static int parse_dirs(const char *opt, const char *arg, bool many, struct nsrun_err *err)
{
	bool any = false;

	if (strlen(arg) > 3000)
		return bad(err, opt, "...", "too long");
	for (const char *p = arg; *p;) {
		const char *end = many ? strchrnul(p, ':') : p + strlen(p);

		if (end > p && *p != '/')
			return bad(err, opt, arg, many ? "a directory is not an absolute path"
						       : "not an absolute path");
		any |= end > p;
		p = *end ? end + 1 : end;
	}
	return any ? 0 : bad(err, opt, arg, "empty");
}

static int parse_cni_option(int c, const char *arg, struct nsrun_config *cfg,
			    struct nsrun_err *err)
{
	const char *why = NULL, *opt = "--cni";
	int r;

	switch (c) {
	case OPT_CNI:
		why = nsrun_cni_name_invalid(arg);
		cfg->cni_net = arg;
		break;
	case OPT_CNI_DEL:
		r = set_action(cfg, NSRUN_ACTION_CNI_DEL, err);
		if (r < 0)
			return r;
		opt = "--cni-del";
		why = nsrun_cni_id_invalid(arg);
		cfg->cni_id = arg;
		break;
	case OPT_CNI_ID:
		opt = "--cni-id";
		why = nsrun_cni_id_invalid(arg);
		cfg->cni_id = arg;
		break;
	case OPT_CNI_IFNAME:
		opt = "--cni-ifname";
		why = nsrun_ifname_invalid(arg);
		if (!why && !strcmp(arg, "lo"))
			why = "the loopback interface's name";
		cfg->cni_ifname = arg;
		break;
	case OPT_CNI_ARGS:
		opt = "--cni-args";
		why = nsrun_cni_args_invalid(arg);
		cfg->cni_args = arg;
		break;
	case OPT_CNI_CAP:
		opt = "--cni-cap";
		if (cfg->ncni_caps == NSRUN_CNI_CAPS_MAX)
			why = "more than 16 capability arguments";
		else if (!strchr(arg, '=') || arg[0] == '=')
			why = "expected NAME=JSON";
		else
			cfg->cni_caps[cfg->ncni_caps++] = arg;
		break;
	case OPT_CNI_CONF_DIR:
		cfg->cni_conf_dir = arg;
		return parse_dirs("--cni-conf-dir", arg, false, err);
	case OPT_CNI_PATH:
		cfg->cni_path = arg;
		return parse_dirs("--cni-path", arg, true, err);
	case OPT_CNI_GC:
		return set_action(cfg, NSRUN_ACTION_CNI_GC, err);
	case OPT_CNI_PLUGIN_GC:
		cfg->cni_plugin_gc = true;
		return 0;
	}
	return why ? bad(err, opt, arg, why) : 0;
}

/*
 * Which actions an option applies to; the options not listed (--state-dir,
 * -v, -q, -h, -V) apply to all.
 */
#define FOR_LAUNCH (1u << NSRUN_ACTION_LAUNCH)
#define FOR_JOIN (1u << NSRUN_ACTION_JOIN)
#define FOR_LIST (1u << NSRUN_ACTION_LIST)
#define FOR_RM (1u << NSRUN_ACTION_RM)
#define FOR_NAT_OFF (1u << NSRUN_ACTION_NAT_OFF)
#define FOR_GC (1u << NSRUN_ACTION_GC)
#define FOR_CNI_DEL (1u << NSRUN_ACTION_CNI_DEL)
#define FOR_CNI_GC (1u << NSRUN_ACTION_CNI_GC)
static const struct {
	int opt;
	unsigned int actions;
} option_scope[] = {
	{ 'b', FOR_LAUNCH | FOR_LIST | FOR_NAT_OFF | FOR_GC },
	{ OPT_REBUILD, FOR_GC },
	{ OPT_NAT, FOR_LAUNCH },
	{ OPT_SUBNET, FOR_LAUNCH },
	{ OPT_IP, FOR_LAUNCH },
	{ OPT_IFNAME, FOR_LAUNCH },
	{ OPT_MTU, FOR_LAUNCH },
	{ OPT_MAC, FOR_LAUNCH },
	{ OPT_NAME, FOR_LAUNCH },
	{ OPT_INFO_FD, FOR_LAUNCH },
	{ OPT_HOSTNAME, FOR_LAUNCH | FOR_JOIN },
	{ OPT_DNS, FOR_LAUNCH | FOR_JOIN },
	{ OPT_JSON, FOR_LIST },
	{ OPT_FORCE, FOR_RM },
	{ OPT_LO_ADDR, FOR_LAUNCH },
	{ OPT_RATE, FOR_LAUNCH },
	{ OPT_DELAY, FOR_LAUNCH },
	{ OPT_JITTER, FOR_LAUNCH },
	{ OPT_LOSS, FOR_LAUNCH },
	{ OPT_USER, FOR_LAUNCH | FOR_JOIN },
	{ OPT_CAP_ADD, FOR_LAUNCH | FOR_JOIN },
	{ OPT_CAP_DROP, FOR_LAUNCH | FOR_JOIN },
	{ OPT_SECCOMP, FOR_LAUNCH | FOR_JOIN },
	{ OPT_PID, FOR_LAUNCH | FOR_JOIN },
	{ OPT_PID_EXEC, FOR_LAUNCH | FOR_JOIN },
	{ OPT_CNI, FOR_LAUNCH },
	{ OPT_CNI_ID, FOR_LAUNCH },
	{ OPT_CNI_IFNAME, FOR_LAUNCH },
	{ OPT_CNI_ARGS, FOR_LAUNCH },
	{ OPT_CNI_CAP, FOR_LAUNCH },
	{ OPT_CNI_CONF_DIR, FOR_LAUNCH },
	{ OPT_CNI_PATH, FOR_LAUNCH | FOR_CNI_DEL | FOR_CNI_GC | FOR_GC },
	{ OPT_CNI_PLUGIN_GC, FOR_CNI_GC | FOR_GC },
};

static unsigned int option_index(int c)
{
	unsigned int i;

	for (i = 0; long_options[i].name && long_options[i].val != c; i++)
		;
	return i;
}

static int check_scope(const struct nsrun_config *cfg, uint64_t seen, struct nsrun_err *err)
{
	static const char *const action_opt[] = {
		[NSRUN_ACTION_LAUNCH] = "a launch",
		[NSRUN_ACTION_JOIN] = "--join",
		[NSRUN_ACTION_LIST] = "--list",
		[NSRUN_ACTION_RM] = "--rm",
		[NSRUN_ACTION_NAT_OFF] = "--nat-off",
		[NSRUN_ACTION_GC] = "--gc",
		[NSRUN_ACTION_CNI_DEL] = "--cni-del",
		[NSRUN_ACTION_CNI_GC] = "--cni-gc",
	};

	for (size_t i = 0; i < sizeof(option_scope) / sizeof(option_scope[0]); i++) {
		unsigned int idx = option_index(option_scope[i].opt);

		if ((seen & (1ull << idx)) && !(option_scope[i].actions & (1u << cfg->action)))
			return nsrun_err_set(err, EINVAL, "--%s: does not apply to %s",
					     long_options[idx].name, action_opt[cfg->action]);
	}
	return 0;
}

/* USER[:GROUP], each a name or a number; resolved at launch (privs.c). */
static int parse_user(const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	char user[NSRUN_POLICY_NAME_MAX + 2];
	const char *colon = strchr(arg, ':'), *why;

	if ((colon ? (size_t)(colon - arg) : strlen(arg)) >= sizeof(user))
		return bad(err, "--user", arg, "longer than 32 bytes");
	snprintf(user, sizeof(user), "%.*s", colon ? (int)(colon - arg) : (int)strlen(arg), arg);
	why = nsrun_policy_name_invalid(user);
	if (!why && colon)
		why = nsrun_policy_name_invalid(colon + 1);
	if (why)
		return bad(err, "--user", arg, why);
	cfg->user = arg;
	return 0;
}

static int parse_cap(const char *opt, const char *arg, uint64_t *set, bool *all,
		     struct nsrun_err *err)
{
	int cap;

	if (nsrun_caps_from_name(arg, &cap) < 0)
		return bad(err, opt, arg, "unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)");
	if (cap == NSRUN_CAP_ALL)
		*all = true;
	else
		*set |= UINT64_C(1) << cap;
	return 0;
}

static int parse_seccomp(const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	if (!strcmp(arg, "default")) {
		cfg->seccomp = NSRUN_SECCOMP_DEFAULT;
	} else if (!strcmp(arg, "none")) {
		cfg->seccomp = NSRUN_SECCOMP_NONE;
	} else if (!*arg) {
		return bad(err, "--seccomp", "''", "expected default, none or a file");
	} else {
		cfg->seccomp = NSRUN_SECCOMP_FILE;
		cfg->seccomp_file = arg;
	}
	return 0;
}

static int parse_lo_addr(const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	struct nsrun_prefix p = { .len = 32 };
	uint32_t a;

	if (nsrun_addr_parse_maybe_prefix(arg, &p.addr, &p.len) < 0 || p.len < 1)
		return bad(err, "--lo-addr", arg, "not an IPv4 address (expected A.B.C.D or A.B.C.D/N)");
	a = nsrun_addr_v4_host(&p.addr);
	if ((a >> 24) == 127)
		return bad(err, "--lo-addr", arg, "a loopback address (lo has 127.0.0.0/8 already)");
	if (a == 0 || (a >> 28) >= 14)
		return bad(err, "--lo-addr", arg, "not a unicast address");
	for (unsigned int i = 0; i < cfg->n_lo_addrs; i++)
		if (nsrun_addr_equal(&cfg->lo_addrs[i].addr, &p.addr))
			return bad(err, "--lo-addr", arg, "given twice");
	if (cfg->n_lo_addrs == NSRUN_LO_ADDR_MAX)
		return bad(err, "--lo-addr", arg, "more than 8 --lo-addr");
	cfg->lo_addrs[cfg->n_lo_addrs++] = p;
	return 0;
}

static int parse_shape(int c, const char *arg, struct nsrun_shape *s, struct nsrun_err *err)
{
	const char *why = NULL, *opt;
	int r;

	switch (c) {
	case OPT_RATE:
		opt = "--rate";
		r = nsrun_shape_parse_rate(arg, &s->rate, &why);
		break;
	case OPT_DELAY:
		opt = "--delay";
		r = nsrun_shape_parse_time(arg, &s->delay_ns, &why);
		break;
	case OPT_JITTER:
		opt = "--jitter";
		r = nsrun_shape_parse_time(arg, &s->jitter_ns, &why);
		break;
	default:
		opt = "--loss";
		r = nsrun_shape_parse_loss(arg, &s->loss, &why);
		break;
	}
	return r < 0 ? bad(err, opt, arg, why) : 0;

}

/* Adding and dropping the same capability says two things at once. */
static int check_caps(const struct nsrun_config *cfg, struct nsrun_err *err)
{
	uint64_t both = cfg->cap_add & cfg->cap_drop;
	char name[NSRUN_CAP_NAME_MAX];

	if (cfg->cap_add_all && cfg->cap_drop_all)
		return nsrun_err_set(err, EINVAL, "--cap-add ALL and --cap-drop ALL: contradict each other");
	for (int cap = 0; both && cap < 64; cap++) {
		if (both & (UINT64_C(1) << cap)) {
			nsrun_caps_name(cap, name);
			return nsrun_err_set(err, EINVAL,
					     "--cap-add %s and --cap-drop %s: contradict each other", name,
					     name);
		}
	}
	return 0;
}

const char *nsrun_cli_option_name(unsigned int i)
{
	return i < sizeof(long_options) / sizeof(long_options[0]) ? long_options[i].name : NULL;
}

int nsrun_cli_option_index(const char *name)
{
	for (unsigned int i = 0; long_options[i].name; i++)
		if (!strcmp(long_options[i].name, name))
			return (int)i;
	return -1;
}

/* Records which option was given, for the policy (policy.c). */
static void mark_used(int c, int longindex, struct nsrun_config *cfg)
{
	_Static_assert(sizeof(long_options) / sizeof(long_options[0]) <= 65,
		       "options_used has 64 bits");
	for (unsigned int i = 0; longindex < 0 && long_options[i].name; i++)
		if (long_options[i].val == c)
			longindex = (int)i;
	if (longindex >= 0)
		cfg->options_used |= UINT64_C(1) << longindex;
}

/*
 * --cni replaces the bridge: nsrun's network options do not apply to it,
 * and the --cni-* options of a launch only apply with it.
 */
static int check_cni(const struct nsrun_config *cfg, uint64_t seen, struct nsrun_err *err)
{
	static const struct {
		int opt;
		const char *why;
	} not_with_cni[] = {
		{ 'b', "the CNI plugins wire the namespace" },
		{ OPT_SUBNET, "the CNI plugins wire the namespace" },
		{ OPT_IP, "the CNI plugins wire the namespace" },
		{ OPT_MAC, "the CNI plugins wire the namespace" },
		{ OPT_MTU, "the CNI plugins wire the namespace" },
		{ OPT_IFNAME, "use --cni-ifname" },
		{ OPT_NAME, "the namespace is pinned at /run/netns/nsrun-ID" },
		{ OPT_LO_ADDR, "it applies to nsrun's own bridge wiring" },
		{ OPT_RATE, "it applies to nsrun's own bridge wiring" },
		{ OPT_DELAY, "it applies to nsrun's own bridge wiring" },
		{ OPT_JITTER, "it applies to nsrun's own bridge wiring" },
		{ OPT_LOSS, "it applies to nsrun's own bridge wiring" },
		{ OPT_NAT, "it applies to nsrun's own bridges" },
	};
	static const int only_with_cni[] = { OPT_CNI_ID,  OPT_CNI_IFNAME,   OPT_CNI_ARGS,
					     OPT_CNI_CAP, OPT_CNI_CONF_DIR, OPT_CNI_PATH };

	if (cfg->action != NSRUN_ACTION_LAUNCH)
		return 0;
	for (size_t i = 0; cfg->cni_net && i < sizeof(not_with_cni) / sizeof(not_with_cni[0]); i++)
		if (seen & (1ull << option_index(not_with_cni[i].opt)))
			return nsrun_err_set(err, EINVAL, "--%s: does not apply to --cni (%s)",
					     long_options[option_index(not_with_cni[i].opt)].name,
					     not_with_cni[i].why);
	for (size_t i = 0; !cfg->cni_net && i < sizeof(only_with_cni) / sizeof(only_with_cni[0]);
	     i++)
		if (seen & (1ull << option_index(only_with_cni[i])))
			return nsrun_err_set(err, EINVAL, "--%s: only with --cni NET",
					     long_options[option_index(only_with_cni[i])].name);
	return 0;
}

static int parse_option(int c, const char *arg, struct nsrun_config *cfg, struct nsrun_err *err)
{
	unsigned long v;
	const char *why;

	switch (c) {
	case 'b':
		why = nsrun_ifname_invalid(arg);
		if (why)
			return bad(err, "--bridge", arg, why);
		cfg->bridge = arg;
		/* Named explicitly, the default bridge is still the one nsrun may create. */
		cfg->bridge_is_default = !strcmp(arg, NSRUN_DEFAULT_BRIDGE);
		return 0;
	case OPT_SUBNET:
		return parse_subnet(arg, cfg, err);
	case OPT_IP:
		if (nsrun_addr_parse(arg, &cfg->ip) < 0)
			return bad(err, "--ip", arg, "not an IPv4 address");
		cfg->has_ip = true;
		return 0;
	case OPT_IFNAME:
		why = nsrun_ifname_invalid(arg);
		if (!why && !strcmp(arg, "lo"))
			why = "the loopback interface's name";
		if (why)
			return bad(err, "--ifname", arg, why);
		cfg->ifname = arg;
		return 0;
	case OPT_MTU:
		if (parse_uint(arg, 68, 65535, &v) < 0)
			return bad(err, "--mtu", arg, "not a number from 68 to 65535");
		cfg->mtu = (unsigned int)v;
		return 0;
	case OPT_MAC:
		if (nsrun_mac_parse(arg, cfg->mac) < 0)
			return bad(err, "--mac", arg,
				   "not a unicast MAC address (expected xx:xx:xx:xx:xx:xx)");
		cfg->has_mac = true;
		return 0;
	case OPT_STATE_DIR:
		return parse_state_dir("--state-dir", arg, cfg, err);
	case OPT_NAME:
	case OPT_HOSTNAME:
	case OPT_DNS:
	case OPT_INFO_FD:
	case OPT_JOIN:
	case OPT_LIST:
	case OPT_JSON:
	case OPT_RM:
	case OPT_FORCE:
		return parse_lifecycle_option(c, arg, cfg, err);
	case OPT_LO_ADDR:
		return parse_lo_addr(arg, cfg, err);
	case OPT_RATE:
	case OPT_DELAY:
	case OPT_JITTER:
	case OPT_LOSS:
		return parse_shape(c, arg, &cfg->shape, err);
	case OPT_USER:
		return parse_user(arg, cfg, err);
	case OPT_CAP_ADD:
		return parse_cap("--cap-add", arg, &cfg->cap_add, &cfg->cap_add_all, err);
	case OPT_CAP_DROP:
		return parse_cap("--cap-drop", arg, &cfg->cap_drop, &cfg->cap_drop_all, err);
	case OPT_SECCOMP:
		return parse_seccomp(arg, cfg, err);
	case OPT_NAT:
		cfg->nat = true;
		return 0;
	case OPT_NAT_OFF:
		return set_action(cfg, NSRUN_ACTION_NAT_OFF, err);
	case OPT_GC:
		return set_action(cfg, NSRUN_ACTION_GC, err);
	case OPT_REBUILD:
		cfg->gc_rebuild = true;
		return 0;
	case OPT_CNI:
	case OPT_CNI_ID:
	case OPT_CNI_IFNAME:
	case OPT_CNI_ARGS:
	case OPT_CNI_CAP:
	case OPT_CNI_CONF_DIR:
	case OPT_CNI_PATH:
	case OPT_CNI_DEL:
	case OPT_CNI_GC:
	case OPT_CNI_PLUGIN_GC:
		return parse_cni_option(c, arg, cfg, err);
	case OPT_PID_EXEC:
		cfg->pid_exec = true;
		__attribute__((fallthrough));
	case OPT_PID:
		cfg->pid = true;
		return 0;
	case 'v':
		cfg->verbosity = 1;
		return 0;
	case 'q':
		cfg->verbosity = -1;
		return 0;
	case 'h':
		cfg->action = NSRUN_ACTION_HELP;
		return 0;
	case 'V':
		cfg->action = NSRUN_ACTION_VERSION;
		return 0;
	}
	return nsrun_err_set(err, EINVAL, "internal: unhandled option %d", c);
}

int nsrun_cli_parse(int argc, char **argv, const char *env_state_dir, struct nsrun_config *cfg,
		    struct nsrun_err *err)
{
	int c, r;

	memset(cfg, 0, sizeof(*cfg));
	cfg->action = NSRUN_ACTION_LAUNCH;
	cfg->bridge = NSRUN_DEFAULT_BRIDGE;
	cfg->bridge_is_default = true;
	cfg->ifname = NSRUN_DEFAULT_IFNAME;
	cfg->state_dir = NSRUN_DEFAULT_STATE_DIR;
	cfg->info_fd = -1;
	if (env_state_dir && *env_state_dir) {
		r = parse_state_dir("NSRUN_STATE_DIR", env_state_dir, cfg, err);
		if (r < 0)
			return r;
		cfg->state_dir_env = true;
	}

	optind = 0; /* full re-initialisation (glibc), so tests can parse twice */
	opterr = 0;
	/* '+': stop at the first non-option, so the command's own options are
	 * never read as ours; ':': report a missing argument distinctly. */
	for (;;) {
		/* The element this call reads (a long option is read whole). */
		const char *elem = argv[optind ? optind : 1];
		int longindex = -1;

		c = getopt_long(argc, argv, "+:b:vqhV", long_options, &longindex);
		if (c == -1)
			break;
		if (c == '?') {
			/* optopt is also set for "--verbose=1": a known option
			 * given a value, which is no unknown "-v". */
			if (optopt && strncmp(elem, "--", 2))
				return nsrun_err_set(err, EINVAL, "-%c: unknown option (see --help)",
						     optopt);
			if (optopt)
				return nsrun_err_set(err, EINVAL, "%s: option takes no argument",
						     elem);
			return nsrun_err_set(err, EINVAL, "%s: unknown option (see --help)",
					     argv[optind - 1]);
		}
		if (c == ':')
			return nsrun_err_set(err, EINVAL, "%s: missing argument",
					     argv[optind - 1]);
		r = parse_option(c, optarg, cfg, err);
		if (r < 0)
			return r;
		mark_used(c, longindex, cfg);
	}
	r = check_caps(cfg, err);
	if (r < 0)
		return r;
	if (cfg->action == NSRUN_ACTION_HELP || cfg->action == NSRUN_ACTION_VERSION)
		return 0;
	r = check_scope(cfg, cfg->options_used, err);
	if (r == 0)
		r = check_cni(cfg, cfg->options_used, err);
	if (r < 0)
		return r;
	if (cfg->action == NSRUN_ACTION_CNI_DEL || cfg->action == NSRUN_ACTION_CNI_GC) {
		if (optind < argc)
			return nsrun_err_set(err, EINVAL, "%s: unexpected argument '%s'",
					     cfg->action == NSRUN_ACTION_CNI_DEL ? "--cni-del"
										 : "--cni-gc",
					     argv[optind]);
		return 0;
	}
	if (cfg->action == NSRUN_ACTION_GC) {
		bool bridge = cfg->options_used & (UINT64_C(1) << option_index('b'));

		if (optind < argc)
			return nsrun_err_set(err, EINVAL, "--gc: unexpected argument '%s'",
					     argv[optind]);
		if (cfg->gc_rebuild && !bridge)
			return nsrun_err_set(err, EINVAL, "--gc --rebuild: needs --bridge NAME");
		cfg->gc_all = !bridge;
		return 0;
	}
	if (cfg->action == NSRUN_ACTION_NAT_OFF) {
		if (optind < argc)
			return nsrun_err_set(err, EINVAL, "--nat-off: unexpected argument '%s'",
					     argv[optind]);
		return 0;
	}
	if (cfg->action == NSRUN_ACTION_LIST || cfg->action == NSRUN_ACTION_RM) {
		if (optind < argc)
			return nsrun_err_set(err, EINVAL, "%s: unexpected argument '%s'",
					     cfg->action == NSRUN_ACTION_LIST ? "--list" : "--rm",
					     argv[optind]);
		return 0;
	}
	if (cfg->shape.jitter_ns && !cfg->shape.delay_ns)
		return nsrun_err_set(err, EINVAL, "--jitter: needs a --delay to vary");
	if (optind >= argc)
		return nsrun_err_set(err, EINVAL, "command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...])");
	if (!argv[optind][0])
		return nsrun_err_set(err, ENOENT, "'': command not found");
	cfg->command = &argv[optind];
	cfg->command_argc = argc - optind;
	return 0;
}
