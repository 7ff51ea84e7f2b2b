/* SPDX-License-Identifier: MIT */
#include "nsrun/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/caps.h"
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
	OPT_USER,
	OPT_CAP_ADD,
	OPT_CAP_DROP,
	OPT_SECCOMP,
};

static const struct option long_options[] = {
	{ "bridge", required_argument, NULL, 'b' },
	{ "subnet", required_argument, NULL, OPT_SUBNET },
	{ "ip", required_argument, NULL, OPT_IP },
	{ "ifname", required_argument, NULL, OPT_IFNAME },
	{ "mtu", required_argument, NULL, OPT_MTU },
	{ "mac", required_argument, NULL, OPT_MAC },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	{ "user", required_argument, NULL, OPT_USER },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "seccomp", required_argument, NULL, OPT_SECCOMP },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

void nsrun_cli_usage(FILE *f)
{
	fputs("Usage: nsrun [OPTIONS] [--] COMMAND [ARG...]\n"
	      "Run COMMAND in a new network namespace on a bridge, with its own address.\n"
	      "\n"
	      "Network:\n"
	      "  -b, --bridge NAME     bridge to attach to (default " NSRUN_DEFAULT_BRIDGE
	      ", created on\n"
	      "                        first use with " NSRUN_DEFAULT_SUBNET ")\n"
	      "      --subnet CIDR     subnet of a bridge nsrun creates, or of an existing\n"
	      "                        bridge without an IPv4 address\n"
	      "      --ip ADDR         this address instead of the lowest free one\n"
	      "      --ifname NAME     interface name inside (default " NSRUN_DEFAULT_IFNAME ")\n"
	      "      --mtu N           MTU inside (default: the bridge's)\n"
	      "      --mac ADDR        MAC inside (default: 02:6e: + the IPv4 address)\n"
	      "\n"
	      "State:\n"
	      "      --state-dir DIR   lease files (default $NSRUN_STATE_DIR or " NSRUN_DEFAULT_STATE_DIR
	      ")\n"
	      "\n"
	      "Privileges:\n"
	      "      --user USER[:GROUP]\n"
	      "                        run COMMAND as USER (root only), without capabilities\n"
	      "      --cap-add CAP     give COMMAND capability CAP too (e.g. NET_ADMIN, or ALL)\n"
	      "      --cap-drop CAP    take CAP from COMMAND's default set (or ALL)\n"
	      "      --seccomp default|none|FILE\n"
	      "                        system call filter: the default profile, none, or\n"
	      "                        the system calls listed in FILE (denied with EPERM);\n"
	      "                        default unless root runs COMMAND as root\n"
	      "\n"
	      "Output:\n"
	      "  -v, --verbose         each setup step and its duration, on stderr\n"
	      "  -q, --quiet           no warnings\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         version\n"
	      "\n"
	      "Exit status: COMMAND's own; 125 nsrun failed; 126 COMMAND not executable;\n"
	      "127 COMMAND not found.  See nsrun(1).\n",
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
		cfg->bridge_is_default = false;
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
	case OPT_USER:
		return parse_user(arg, cfg, err);
	case OPT_CAP_ADD:
		return parse_cap("--cap-add", arg, &cfg->cap_add, &cfg->cap_add_all, err);
	case OPT_CAP_DROP:
		return parse_cap("--cap-drop", arg, &cfg->cap_drop, &cfg->cap_drop_all, err);
	case OPT_SECCOMP:
		return parse_seccomp(arg, cfg, err);
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
		int longindex = -1;

		c = getopt_long(argc, argv, "+:b:vqhV", long_options, &longindex);
		if (c == -1)
			break;
		if (c == '?') {
			if (optopt)
				return nsrun_err_set(err, EINVAL, "-%c: unknown option (see --help)",
						     optopt);
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
	if (cfg->action != NSRUN_ACTION_LAUNCH)
		return 0;
	if (optind >= argc)
		return nsrun_err_set(err, EINVAL, "command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...])");
	if (!argv[optind][0])
		return nsrun_err_set(err, ENOENT, "'': command not found");
	cfg->command = &argv[optind];
	cfg->command_argc = argc - optind;
	return 0;
}
