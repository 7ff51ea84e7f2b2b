/* SPDX-License-Identifier: MIT */
/*
 * cli.c: every option, the defaults, where parsing stops, and the exact
 * one-line message for every bad value.
 */
#include <errno.h>

#include "unit.h"

#include "nsrun/cli.h"
#include "nsrun/leasefile.h"

#define MAX_ARGS 16

/* argv as main() gets it: "nsrun" then args, writable, NULL-terminated. */
struct run {
	char *argv[MAX_ARGS + 2];
	int argc;
	struct nsrun_config cfg;
	struct nsrun_err err;
	int r;
};

static int run_parse(struct run *run, const char *env, const char *const *args)
{
	memset(run, 0, sizeof(*run));
	run->argv[run->argc++] = strdup("nsrun");
	for (size_t i = 0; i < MAX_ARGS && args[i]; i++)
		run->argv[run->argc++] = strdup(args[i]);
	run->argv[run->argc] = NULL;
	for (int i = 0; i < run->argc; i++)
		assert_non_null(run->argv[i]);
	run->r = nsrun_cli_parse(run->argc, run->argv, env, &run->cfg, &run->err);
	return run->r;
}

static void run_free(struct run *run)
{
	for (int i = 0; i < run->argc; i++)
		free(run->argv[i]);
}

/* The command as one string, "" when there is none. */
static const char *command_of(const struct run *run)
{
	static char buf[512];
	size_t off = 0;

	buf[0] = '\0';
	if (!run->cfg.command)
		return NULL;
	for (int i = 0; i < run->cfg.command_argc; i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", i ? " " : "",
					run->cfg.command[i]);
	/* The command is argv's own tail, NULL-terminated as execvp wants. */
	assert_ptr_equal(run->cfg.command + run->cfg.command_argc, &run->argv[run->argc]);
	assert_null(run->cfg.command[run->cfg.command_argc]);
	return buf;
}

/* ---- what parses ---------------------------------------------------------- */

/* Fields left zero mean "the default". */
struct ok_row {
	const char *name;
	const char *env;
	const char *args[MAX_ARGS];
	const char *command;         /* NULL: none (help, version) */
	const char *bridge;
	const char *subnet;
	const char *ip;
	const char *ifname;
	unsigned int mtu;
	const char *mac;
	const char *state_dir;
	int verbosity;
	enum nsrun_action action;
};

static const struct ok_row ok_rows[] = {
	{ "defaults", NULL, { "ls" }, "ls", .verbosity = 0 },
	{ "command options are the command's", NULL, { "ls", "-l" }, "ls -l", .verbosity = 0 },
	{ "our options after the command are the command's", NULL,
	  { "echo", "-v", "--bridge", "x", "--", "-q" }, "echo -v --bridge x -- -q", .verbosity = 0 },
	{ "options then the command", NULL, { "-v", "ls", "-q" }, "ls -q", .verbosity = 1 },
	{ "-- ends the options", NULL, { "--", "-v" }, "-v", .verbosity = 0 },
	{ "-- after options", NULL, { "-q", "--", "ls", "--" }, "ls --", .verbosity = -1 },
	{ "-- as the command", NULL, { "--", "--" }, "--", .verbosity = 0 },
	{ "- is a command", NULL, { "-" }, "-", .verbosity = 0 },
	{ "-b", NULL, { "-b", "br1", "ls" }, "ls", .bridge = "br1" },
	{ "-b attached", NULL, { "-bbr1", "ls" }, "ls", .bridge = "br1" },
	{ "--bridge", NULL, { "--bridge", "br1", "ls" }, "ls", .bridge = "br1" },
	{ "--bridge=", NULL, { "--bridge=br1", "ls" }, "ls", .bridge = "br1" },
	{ "--bridge 15 bytes", NULL, { "--bridge", "abcdefghijklmno", "ls" }, "ls",
	  .bridge = "abcdefghijklmno" },
	{ "--bridge twice: the last", NULL, { "-b", "br1", "-b", "br2", "ls" }, "ls",
	  .bridge = "br2" },
	{ "--subnet", NULL, { "--subnet", "10.99.0.0/16", "ls" }, "ls", .subnet = "10.99.0.0/16" },
	{ "--subnet=", NULL, { "--subnet=192.168.50.0/24", "ls" }, "ls",
	  .subnet = "192.168.50.0/24" },
	{ "--subnet /8", NULL, { "--subnet", "10.0.0.0/8", "ls" }, "ls", .subnet = "10.0.0.0/8" },
	{ "--subnet /30", NULL, { "--subnet", "10.0.0.4/30", "ls" }, "ls",
	  .subnet = "10.0.0.4/30" },
	{ "--ip", NULL, { "--ip", "10.47.0.9", "ls" }, "ls", .ip = "10.47.0.9" },
	{ "--ip=", NULL, { "--ip=192.168.1.77", "ls" }, "ls", .ip = "192.168.1.77" },
	{ "--ifname", NULL, { "--ifname", "net0", "ls" }, "ls", .ifname = "net0" },
	{ "--ifname 15 bytes", NULL, { "--ifname", "abcdefghijklmno", "ls" }, "ls",
	  .ifname = "abcdefghijklmno" },
	{ "--ifname lo0", NULL, { "--ifname", "lo0", "ls" }, "ls", .ifname = "lo0" },
	{ "--mtu 68", NULL, { "--mtu", "68", "ls" }, "ls", .mtu = 68 },
	{ "--mtu 65535", NULL, { "--mtu", "65535", "ls" }, "ls", .mtu = 65535 },
	{ "--mtu=1400", NULL, { "--mtu=1400", "ls" }, "ls", .mtu = 1400 },
	{ "--mac", NULL, { "--mac", "02:aa:bb:cc:dd:ee", "ls" }, "ls",
	  .mac = "02:aa:bb:cc:dd:ee" },
	{ "--mac upper case", NULL, { "--mac", "02:AA:BB:CC:DD:EE", "ls" }, "ls",
	  .mac = "02:aa:bb:cc:dd:ee" },
	{ "--state-dir", NULL, { "--state-dir", "/tmp/st", "ls" }, "ls", .state_dir = "/tmp/st" },
	{ "--state-dir=", NULL, { "--state-dir=/tmp/st", "ls" }, "ls", .state_dir = "/tmp/st" },
	{ "NSRUN_STATE_DIR", "/tmp/env", { "ls" }, "ls", .state_dir = "/tmp/env" },
	{ "--state-dir beats NSRUN_STATE_DIR", "/tmp/env", { "--state-dir", "/tmp/opt", "ls" },
	  "ls", .state_dir = "/tmp/opt" },
	{ "empty NSRUN_STATE_DIR is unset", "", { "ls" }, "ls", .verbosity = 0 },
	{ "-v", NULL, { "-v", "ls" }, "ls", .verbosity = 1 },
	{ "--verbose", NULL, { "--verbose", "ls" }, "ls", .verbosity = 1 },
	{ "-q", NULL, { "-q", "ls" }, "ls", .verbosity = -1 },
	{ "--quiet", NULL, { "--quiet", "ls" }, "ls", .verbosity = -1 },
	{ "-v then -q: the last", NULL, { "-v", "-q", "ls" }, "ls", .verbosity = -1 },
	{ "-q then -v: the last", NULL, { "-q", "-v", "ls" }, "ls", .verbosity = 1 },
	{ "-vq cluster", NULL, { "-vq", "ls" }, "ls", .verbosity = -1 },
	{ "-vbbr1 cluster", NULL, { "-vbbr1", "ls" }, "ls", .bridge = "br1", .verbosity = 1 },
	{ "-h", NULL, { "-h" }, NULL, .action = NSRUN_ACTION_HELP },
	{ "--help", NULL, { "--help" }, NULL, .action = NSRUN_ACTION_HELP },
	{ "--help with a command", NULL, { "--help", "ls" }, NULL, .action = NSRUN_ACTION_HELP },
	{ "-V", NULL, { "-V" }, NULL, .action = NSRUN_ACTION_VERSION },
	{ "--version", NULL, { "--version" }, NULL, .action = NSRUN_ACTION_VERSION },
	{ "everything", "/tmp/env",
	  { "-v", "--bridge", "br9", "--subnet", "172.30.0.0/24", "--ip", "172.30.0.5", "--ifname",
	    "veth9", "--mtu", "9000", "--mac", "02:00:00:00:00:09", "--state-dir", "/x", "true" },
	  "true", .bridge = "br9", .subnet = "172.30.0.0/24", .ip = "172.30.0.5",
	  .ifname = "veth9", .mtu = 9000, .mac = "02:00:00:00:00:09", .state_dir = "/x",
	  .verbosity = 1 },
};

static void parse_ok(void **state)
{
	const struct ok_row *row = *state;
	const struct nsrun_config *cfg;
	struct run run;
	char buf[NSRUN_PREFIX_STRLEN];

	if (run_parse(&run, row->env, row->args) < 0)
		fail_msg("parse failed: %s", run.err.msg);
	cfg = &run.cfg;
	assert_int_equal(cfg->action, row->action);
	if (row->command) {
		assert_string_equal(command_of(&run), row->command);
	} else {
		assert_null(cfg->command);
		assert_int_equal(cfg->command_argc, 0);
	}
	assert_string_equal(cfg->bridge, row->bridge ? row->bridge : NSRUN_DEFAULT_BRIDGE);
	assert_int_equal(cfg->bridge_is_default, row->bridge == NULL);
	assert_int_equal(cfg->has_subnet, row->subnet != NULL);
	if (row->subnet) {
		nsrun_prefix_format(&cfg->subnet, buf);
		assert_string_equal(buf, row->subnet);
	}
	assert_int_equal(cfg->has_ip, row->ip != NULL);
	if (row->ip) {
		nsrun_addr_format(&cfg->ip, buf);
		assert_string_equal(buf, row->ip);
	}
	assert_string_equal(cfg->ifname, row->ifname ? row->ifname : NSRUN_DEFAULT_IFNAME);
	assert_int_equal(cfg->mtu, row->mtu);
	assert_int_equal(cfg->has_mac, row->mac != NULL);
	if (row->mac) {
		nsrun_mac_format(cfg->mac, buf);
		assert_string_equal(buf, row->mac);
	}
	assert_string_equal(cfg->state_dir, row->state_dir ? row->state_dir : NSRUN_DEFAULT_STATE_DIR);
	assert_int_equal(cfg->state_dir_set, row->state_dir != NULL);
	assert_int_equal(cfg->verbosity, row->verbosity);
	run_free(&run);
}

/* ---- what does not -------------------------------------------------------- */

struct bad_row {
	const char *name;
	const char *env;
	const char *args[MAX_ARGS];
	const char *msg;
};

#define USAGE "command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...])"
#define MTU_WHY ": not a number from 68 to 65535"
#define MAC_WHY ": not a unicast MAC address (expected xx:xx:xx:xx:xx:xx)"
#define SUBNET_WHY ": not an IPv4 subnet (expected A.B.C.D/N)"
#define LONG_WHY ": prefix longer than /30 leaves no room for a gateway and a host"
#define SHORT_WHY ": prefix shorter than /8 is not a bridge subnet"
#define SPACE_WHY ": contains a space or a non-printable byte"

static const struct bad_row bad_rows[] = {
	{ "no arguments", NULL, { NULL }, USAGE },
	{ "options only", NULL, { "-v", "--bridge", "br1" }, USAGE },
	{ "-- only", NULL, { "--" }, USAGE },
	{ "options and -- only", NULL, { "-q", "--" }, USAGE },
	{ "--mtu 67", NULL, { "--mtu", "67", "ls" }, "--mtu 67" MTU_WHY },
	{ "--mtu 0", NULL, { "--mtu", "0", "ls" }, "--mtu 0" MTU_WHY },
	{ "--mtu 65536", NULL, { "--mtu", "65536", "ls" }, "--mtu 65536" MTU_WHY },
	{ "--mtu 2^64", NULL, { "--mtu", "18446744073709551616", "ls" },
	  "--mtu 18446744073709551616" MTU_WHY },
	{ "--mtu abc", NULL, { "--mtu", "abc", "ls" }, "--mtu abc" MTU_WHY },
	{ "--mtu -1", NULL, { "--mtu", "-1", "ls" }, "--mtu -1" MTU_WHY },
	{ "--mtu +1500", NULL, { "--mtu", "+1500", "ls" }, "--mtu +1500" MTU_WHY },
	{ "--mtu with a space", NULL, { "--mtu", " 1500", "ls" }, "--mtu  1500" MTU_WHY },
	{ "--mtu with junk", NULL, { "--mtu", "1500x", "ls" }, "--mtu 1500x" MTU_WHY },
	{ "--mtu empty", NULL, { "--mtu=", "ls" }, "--mtu " MTU_WHY },
	{ "--mac short", NULL, { "--mac", "02:aa:bb:cc:dd", "ls" }, "--mac 02:aa:bb:cc:dd" MAC_WHY },
	{ "--mac multicast", NULL, { "--mac", "01:00:5e:00:00:01", "ls" },
	  "--mac 01:00:5e:00:00:01" MAC_WHY },
	{ "--mac broadcast", NULL, { "--mac", "ff:ff:ff:ff:ff:ff", "ls" },
	  "--mac ff:ff:ff:ff:ff:ff" MAC_WHY },
	{ "--mac zero", NULL, { "--mac", "00:00:00:00:00:00", "ls" },
	  "--mac 00:00:00:00:00:00" MAC_WHY },
	{ "--mac dashes", NULL, { "--mac", "02-aa-bb-cc-dd-ee", "ls" },
	  "--mac 02-aa-bb-cc-dd-ee" MAC_WHY },
	{ "--ip octet 256", NULL, { "--ip", "10.47.0.256", "ls" },
	  "--ip 10.47.0.256: not an IPv4 address" },
	{ "--ip with a prefix", NULL, { "--ip", "10.47.0.2/16", "ls" },
	  "--ip 10.47.0.2/16: not an IPv4 address" },
	{ "--ip leading zero", NULL, { "--ip", "10.47.0.02", "ls" },
	  "--ip 10.47.0.02: not an IPv4 address" },
	{ "--ip a name", NULL, { "--ip", "localhost", "ls" }, "--ip localhost: not an IPv4 address" },
	{ "--ip empty", NULL, { "--ip=", "ls" }, "--ip : not an IPv4 address" },
	{ "--subnet not a network", NULL, { "--subnet", "10.47.0.1/16", "ls" },
	  "--subnet 10.47.0.1/16: not a network address (did you mean 10.47.0.0/16?)" },
	{ "--subnet not a network /30", NULL, { "--subnet", "10.0.0.5/30", "ls" },
	  "--subnet 10.0.0.5/30: not a network address (did you mean 10.0.0.4/30?)" },
	{ "--subnet /31", NULL, { "--subnet", "10.0.0.0/31", "ls" }, "--subnet 10.0.0.0/31" LONG_WHY },
	{ "--subnet /32", NULL, { "--subnet", "10.0.0.1/32", "ls" }, "--subnet 10.0.0.1/32" LONG_WHY },
	{ "--subnet /7", NULL, { "--subnet", "10.0.0.0/7", "ls" }, "--subnet 10.0.0.0/7" SHORT_WHY },
	{ "--subnet /0", NULL, { "--subnet", "0.0.0.0/0", "ls" }, "--subnet 0.0.0.0/0" SHORT_WHY },
	{ "--subnet /33", NULL, { "--subnet", "10.0.0.0/33", "ls" }, "--subnet 10.0.0.0/33" SUBNET_WHY },
	{ "--subnet no length", NULL, { "--subnet", "10.0.0.0", "ls" },
	  "--subnet 10.0.0.0" SUBNET_WHY },
	{ "--subnet garbage", NULL, { "--subnet", "banana", "ls" }, "--subnet banana" SUBNET_WHY },
	{ "--subnet empty", NULL, { "--subnet=", "ls" }, "--subnet " SUBNET_WHY },
	{ "--bridge 16 bytes", NULL, { "--bridge", "abcdefghijklmnop", "ls" },
	  "--bridge abcdefghijklmnop: longer than 15 bytes" },
	{ "--bridge with a slash", NULL, { "--bridge", "br/1", "ls" },
	  "--bridge br/1: contains '/' or ':'" },
	{ "--bridge with a colon", NULL, { "-b", "br:1", "ls" }, "--bridge br:1: contains '/' or ':'" },
	{ "--bridge with a space", NULL, { "--bridge", "br 1", "ls" }, "--bridge br 1" SPACE_WHY },
	{ "--bridge with a tab", NULL, { "--bridge", "br\t1", "ls" }, "--bridge br\t1" SPACE_WHY },
	{ "--bridge non-printable", NULL, { "--bridge", "br\x01", "ls" }, "--bridge br\x01" SPACE_WHY },
	{ "--bridge non-ASCII", NULL, { "--bridge", "br\xc3\xa9", "ls" },
	  "--bridge br\xc3\xa9" SPACE_WHY },
	{ "--bridge empty", NULL, { "--bridge=", "ls" }, "--bridge : empty name" },
	{ "--bridge dot", NULL, { "--bridge", ".", "ls" }, "--bridge .: not a valid interface name" },
	{ "--bridge dot dot", NULL, { "--bridge", "..", "ls" },
	  "--bridge ..: not a valid interface name" },
	{ "--ifname lo", NULL, { "--ifname", "lo", "ls" },
	  "--ifname lo: the loopback interface's name" },
	{ "--ifname 16 bytes", NULL, { "--ifname", "abcdefghijklmnop", "ls" },
	  "--ifname abcdefghijklmnop: longer than 15 bytes" },
	{ "--ifname with a colon", NULL, { "--ifname", "eth0:1", "ls" },
	  "--ifname eth0:1: contains '/' or ':'" },
	{ "--ifname empty", NULL, { "--ifname=", "ls" }, "--ifname : empty name" },
	{ "--state-dir relative", NULL, { "--state-dir", "run/nsrun", "ls" },
	  "--state-dir run/nsrun: not an absolute path" },
	{ "--state-dir dot", NULL, { "--state-dir", ".", "ls" }, "--state-dir .: not an absolute path" },
	{ "--state-dir empty", NULL, { "--state-dir=", "ls" }, "--state-dir : not an absolute path" },
	{ "NSRUN_STATE_DIR relative", "state", { "ls" },
	  "NSRUN_STATE_DIR state: not an absolute path" },
	{ "NSRUN_STATE_DIR tilde", "~/nsrun", { "ls" },
	  "NSRUN_STATE_DIR ~/nsrun: not an absolute path" },
	{ "unknown long option", NULL, { "--bogus", "ls" }, "--bogus: unknown option (see --help)" },
	{ "unknown long option with a value", NULL, { "--bogus=1", "ls" },
	  "--bogus=1: unknown option (see --help)" },
	{ "unknown long option after good ones", NULL, { "-v", "--bridge", "br1", "--nope", "ls" },
	  "--nope: unknown option (see --help)" },
	{ "unknown short option", NULL, { "-x", "ls" }, "-x: unknown option (see --help)" },
	{ "unknown short option in a cluster", NULL, { "-vx", "ls" },
	  "-x: unknown option (see --help)" },
	{ "unknown short option first in a cluster", NULL, { "-xv", "ls" },
	  "-x: unknown option (see --help)" },
	{ "value for a flag", NULL, { "--verbose=1", "ls" },
	  "--verbose=1: option takes no argument" },
	{ "value for --help", NULL, { "--help=me", "ls" }, "--help=me: option takes no argument" },
	{ "-b without a value", NULL, { "-b" }, "-b: missing argument" },
	{ "--bridge without a value", NULL, { "--bridge" }, "--bridge: missing argument" },
	{ "--subnet without a value", NULL, { "-v", "--subnet" }, "--subnet: missing argument" },
	{ "--ip without a value", NULL, { "--ip" }, "--ip: missing argument" },
	{ "--ifname without a value", NULL, { "--ifname" }, "--ifname: missing argument" },
	{ "--mtu without a value", NULL, { "--mtu" }, "--mtu: missing argument" },
	{ "--mac without a value", NULL, { "--mac" }, "--mac: missing argument" },
	{ "--state-dir without a value", NULL, { "--state-dir" }, "--state-dir: missing argument" },
	{ "first error wins", NULL, { "--mtu", "1", "--ip", "x", "ls" }, "--mtu 1" MTU_WHY },
};

static void parse_bad(void **state)
{
	const struct bad_row *row = *state;
	struct run run;

	assert_int_equal(run_parse(&run, row->env, row->args), -EINVAL);
	assert_int_equal(run.err.code, EINVAL);
	assert_string_equal(run.err.msg, row->msg);
	assert_null(strchr(run.err.msg, '\n'));
	run_free(&run);
}

static void empty_command(void **state)
{
	static const char *const args[] = { "--", "", "x", NULL };
	struct run run;

	(void)state;
	assert_int_equal(run_parse(&run, NULL, args), -ENOENT);
	assert_string_equal(run.err.msg, "'': command not found");
	run_free(&run);
}

static void state_dir_length(void **state)
{
	char dir[3002];
	const char *args[] = { "--state-dir", dir, "ls", NULL };
	struct run run;

	(void)state;
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[3000] = '\0'; /* 3000 bytes: accepted */
	assert_int_equal(run_parse(&run, NULL, args), 0);
	assert_int_equal(strlen(run.cfg.state_dir), 3000);
	run_free(&run);
	dir[3000] = 'd'; /* 3001: refused, without echoing it all */
	assert_int_equal(run_parse(&run, NULL, args), -EINVAL);
	assert_string_equal(run.err.msg, "--state-dir ...: path too long");
	run_free(&run);
	args[0] = "ls";
	args[1] = NULL;
	assert_int_equal(run_parse(&run, dir, args), -EINVAL);
	assert_string_equal(run.err.msg, "NSRUN_STATE_DIR ...: path too long");
	run_free(&run);
}

/* getopt keeps state between calls; the parser resets it, so a second parse
 * (even after one that stopped inside a cluster) starts afresh. */
static void parse_twice(void **state)
{
	static const char *const first[] = { "-vx", "ls", NULL };
	static const char *const second[] = { "-q", "--bridge", "br2", "cat", "-n", NULL };
	static const char *const third[] = { "true", NULL };
	struct run run;

	(void)state;
	assert_int_equal(run_parse(&run, NULL, first), -EINVAL);
	run_free(&run);
	assert_int_equal(run_parse(&run, NULL, second), 0);
	assert_string_equal(run.cfg.bridge, "br2");
	assert_int_equal(run.cfg.verbosity, -1);
	assert_string_equal(command_of(&run), "cat -n");
	run_free(&run);
	assert_int_equal(run_parse(&run, NULL, third), 0);
	assert_string_equal(run.cfg.bridge, NSRUN_DEFAULT_BRIDGE);
	assert_int_equal(run.cfg.verbosity, 0);
	assert_string_equal(command_of(&run), "true");
	run_free(&run);
}

/* The parser prints nothing: errors are main()'s to print. */
static void parse_is_silent(void **state)
{
	static const char *const args[] = { "--bogus", "-x", NULL };
	struct run run;
	FILE *saved = stderr, *f = tmpfile();

	(void)state;
	assert_non_null(f);
	stderr = f;
	run_parse(&run, NULL, args);
	stderr = saved;
	assert_int_equal(ftell(f), 0);
	fclose(f);
	run_free(&run);
}

/* --help names every option the parser knows. */
static void usage_lists_every_option(void **state)
{
	static const char *const opts[] = { "-b, --bridge NAME", "--subnet CIDR", "--ip ADDR",
					    "--ifname NAME", "--mtu N", "--mac ADDR",
					    "--state-dir DIR", "-v, --verbose", "-q, --quiet",
					    "-h, --help", "-V, --version" };
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	(void)state;
	assert_non_null(f);
	nsrun_cli_usage(f);
	fclose(f);
	assert_true(strncmp(text, "Usage: nsrun [OPTIONS] [--] COMMAND [ARG...]\n", 45) == 0);
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strstr(text, opts[i]))
			fail_msg("--help does not mention %s", opts[i]);
	assert_non_null(strstr(text, NSRUN_DEFAULT_SUBNET));
	free(text);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, parse_ok, ok_rows);
	UNIT_TABLE(&l, parse_bad, bad_rows);
	UNIT(&l, empty_command);
	UNIT(&l, state_dir_length);
	UNIT(&l, parse_twice);
	UNIT(&l, parse_is_silent);
	UNIT(&l, usage_lists_every_option);
	return unit_run(&l, "cli");
}
