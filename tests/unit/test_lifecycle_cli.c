/* SPDX-License-Identifier: MIT */
/* Parsing of the lifecycle options and actions: good values, bad values,
 * options that do not apply to an action. */
#include <errno.h>

#include "unit.h"

#include "nsrun/name.h"

struct bad_case {
	const char *const *args;
	const char *msg;
};

static const struct bad_case bad_cases[] = {
	/* names */
	{ ARGS("--name", "a b", "true"),
	  "--name a b: only letters, digits, '_', '.' and '-' are allowed" },
	{ ARGS("--name", "../x", "true"), "--name ../x: starts with '-' or '.'" },
	{ ARGS("--name", "", "true"), "--name : empty name" },
	{ ARGS("--name", "a/b", "true"),
	  "--name a/b: only letters, digits, '_', '.' and '-' are allowed" },
	{ ARGS("--name", "0123456789012345678901234567890123456789012345678901234567890123",
	       "true"),
	  "--name 0123456789012345678901234567890123456789012345678901234567890123: longer than 63 "
	  "bytes" },
	{ ARGS("--join", "-x", "true"), "--join -x: starts with '-' or '.'" },
	{ ARGS("--rm", "x\ny"), "--rm x\ny: only letters, digits, '_', '.' and '-' are allowed" },
	/* values */
	{ ARGS("--hostname", "a_b", "true"),
	  "--hostname a_b: only letters, digits, '-' and '.' are allowed" },
	{ ARGS("--hostname", "-a", "true"), "--hostname -a: a label starts with '-'" },
	{ ARGS("--hostname", "a-", "true"), "--hostname a-: ends with '-' or '.'" },
	{ ARGS("--hostname", "a..b", "true"),
	  "--hostname a..b: empty label, or a label ending with '-'" },
	{ ARGS("--dns", "1.2.3", "true"), "--dns 1.2.3: not an IPv4 or IPv6 address" },
	{ ARGS("--dns", "::g", "true"), "--dns ::g: not an IPv4 or IPv6 address" },
	{ ARGS("--dns", "1.1.1.1", "--dns", "2.2.2.2", "--dns", "::1", "--dns", "3.3.3.3", "true"),
	  "--dns 3.3.3.3: more than 3 servers (the resolver reads no more)" },
	{ ARGS("--info-fd", "x", "true"), "--info-fd x: not a file descriptor number" },
	{ ARGS("--info-fd", "-1", "true"), "--info-fd -1: not a file descriptor number" },
	{ ARGS("--info-fd", "2", "true"),
	  "--info-fd 2: stdin, stdout and stderr belong to the command" },
	{ ARGS("--info-fd", "99999999999", "true"),
	  "--info-fd 99999999999: not a file descriptor number" },
	/* actions */
	{ ARGS("--list", "--rm", "x"), "--rm: cannot be combined with --list" },
	{ ARGS("--join", "x", "--list"), "--list: cannot be combined with --join" },
	{ ARGS("--name", "a", "--join", "b", "true"),
	  "--join b: a namespace name was already given (a)" },
	{ ARGS("--list", "extra"), "--list: unexpected argument 'extra'" },
	{ ARGS("--rm", "x", "--", "true"), "--rm: unexpected argument 'true'" },
	{ ARGS("--join", "x"), "command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...])" },
	/* options that do not apply */
	{ ARGS("--list", "--ip", "10.0.0.1"), "--ip: does not apply to --list" },
	{ ARGS("--list", "--name", "x"), "--name: does not apply to --list" },
	{ ARGS("--list", "--force"), "--force: does not apply to --list" },
	{ ARGS("--rm", "x", "--json"), "--json: does not apply to --rm" },
	{ ARGS("--rm", "x", "--bridge", "br1"), "--bridge: does not apply to --rm" },
	{ ARGS("--join", "x", "--mtu", "1400", "true"), "--mtu: does not apply to --join" },
	{ ARGS("--join", "x", "--name", "x", "true"), "--name: does not apply to --join" },
	{ ARGS("--join", "x", "--info-fd", "3", "true"), "--info-fd: does not apply to --join" },
	{ ARGS("--json", "true"), "--json: does not apply to a launch" },
	{ ARGS("--force", "true"), "--force: does not apply to a launch" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		struct nsrun_config cfg;
		struct nsrun_err err;
		int r = unit_cli_parse(&cfg, &err, bad_cases[i].args);

		if (r != -EINVAL || strcmp(err.msg, bad_cases[i].msg))
			fail_msg("case %zu: got %d \"%s\", want \"%s\"", i, r, err.msg,
				 bad_cases[i].msg);
	}
}

static void test_launch_options(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;
	char buf[NSRUN_ADDR_STRLEN];

	(void)state;
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("true")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LAUNCH);
	assert_null(cfg.netns);
	assert_null(cfg.hostname);
	assert_int_equal(cfg.ndns, 0);
	assert_int_equal(cfg.info_fd, -1);

	assert_int_equal(unit_cli_parse(&cfg, &err,
			       ARGS("--name", "web_1.a-b", "--hostname", "Web-1.example", "--dns",
				    "192.0.2.53", "--dns", "2001:db8::53", "--info-fd", "3", "--",
				    "sleep", "1")),
			 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LAUNCH);
	assert_string_equal(cfg.netns, "web_1.a-b");
	assert_string_equal(cfg.hostname, "Web-1.example");
	assert_int_equal(cfg.ndns, 2);
	nsrun_addr_format(&cfg.dns[0], buf);
	assert_string_equal(buf, "192.0.2.53");
	nsrun_addr_format(&cfg.dns[1], buf);
	assert_string_equal(buf, "2001:db8::53");
	assert_int_equal(cfg.info_fd, 3);
	assert_string_equal(cfg.command[0], "sleep");
	assert_int_equal(cfg.command_argc, 2);
}

static void test_actions(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(unit_cli_parse(&cfg, &err,
			       ARGS("--join", "web1", "--hostname", "h", "--dns", "192.0.2.1", "-v",
				    "--", "ip", "addr")),
			 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_JOIN);
	assert_string_equal(cfg.netns, "web1");
	assert_string_equal(cfg.command[0], "ip");

	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--list")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LIST);
	assert_true(cfg.bridge_is_default);
	assert_false(cfg.json);
	assert_null(cfg.command);

	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--list", "--json", "-b", "br1")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LIST);
	assert_true(cfg.json);
	assert_false(cfg.bridge_is_default);
	assert_string_equal(cfg.bridge, "br1");

	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--rm", "web1", "--force")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_RM);
	assert_string_equal(cfg.netns, "web1");
	assert_true(cfg.force);

	/* The same action twice is one action. */
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--list", "--list")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_LIST);

	/* --help wins, wherever it is. */
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--list", "--rm", "x", "--help")), -EINVAL);
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--help", "--list", "--rm", "x")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_HELP);
	assert_int_equal(unit_cli_parse(&cfg, &err, ARGS("--list", "-h", "--ip", "1.2.3.4")), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_HELP);
}

static void test_hostname_rules(void **state)
{
	static const char *const good[] = {
		"a",
		"A1",
		"web-1",
		"a.b.c",
		"xn--bcher-kva.example",
		"012345678912345678912345678912345678912345678912345678912345678", /* label of 63 */
		"0123456789012345678901234567890.01234567890123456789012345678901", /* 64 bytes */
	};
	static const char *const bad[] = {
		"",
		"-a",
		"a-",
		".a",
		"a.",
		"a..b",
		"a.-b",
		"a-.b",
		"a b",
		"a_b",
		"\xc3\xa9",
		"a234567890123456789012345678901234567890123456789012345678901234",  /* label 64 */
		"a.234567890123456789012345678901234567890123456789012345678901234", /* 65 bytes */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (nsrun_hostname_invalid(good[i]))
			fail_msg("\"%s\" refused: %s", good[i], nsrun_hostname_invalid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!nsrun_hostname_invalid(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_launch_options),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_hostname_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
