/* SPDX-License-Identifier: MIT */
#include "nsrun/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/leasefile.h"
#include "nsrun/name.h"

enum {
	OPT_SUBNET = 0x100,
	OPT_IP,
	OPT_IFNAME,
	OPT_MTU,
	OPT_MAC,
	OPT_STATE_DIR,
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
	      "Processes:\n"
	      "      --pid             a PID namespace: COMMAND runs as PID 2 under nsrun's\n"
	      "                        minimal init and sees only its own processes\n"
	      "      --pid-exec        a PID namespace with COMMAND itself as PID 1\n"
	      "\n"
	      "State:\n"
	      "      --state-dir DIR   lease files (default $NSRUN_STATE_DIR or " NSRUN_DEFAULT_STATE_DIR
	      ")\n"
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
	case OPT_PID_EXEC:
		cfg->pid_exec = true;
		/* fall through */
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
	if (env_state_dir && *env_state_dir) {
		r = parse_state_dir("NSRUN_STATE_DIR", env_state_dir, cfg, err);
		if (r < 0)
			return r;
	}

	optind = 0; /* full re-initialisation (glibc), so tests can parse twice */
	opterr = 0;
	/* '+': stop at the first non-option, so the command's own options are
	 * never read as ours; ':': report a missing argument distinctly. */
	while ((c = getopt_long(argc, argv, "+:b:vqhV", long_options, NULL)) != -1) {
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
	}
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
