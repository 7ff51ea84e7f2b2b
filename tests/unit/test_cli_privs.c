/* SPDX-License-Identifier: MIT */
/* cli.c: the privilege options (--user, --cap-add, --cap-drop, --seccomp),
 * their bad values, and the record of which options were given. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/cli.h"

#define BIT(c) (UINT64_C(1) << (c))

static int parse(const char *const *args, const char *env, struct nsrun_config *cfg,
		 struct nsrun_err *err)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"nsrun";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return nsrun_cli_parse(argc, argv, env, cfg, err);
}

static void test_defaults(void **state)
{
	static const char *const args[] = { "true", NULL };
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(parse(args, NULL, &cfg, &err), 0);
	assert_null(cfg.user);
	assert_true(cfg.cap_add == 0 && cfg.cap_drop == 0);
	assert_false(cfg.cap_add_all || cfg.cap_drop_all);
	assert_int_equal(cfg.seccomp, NSRUN_SECCOMP_UNSET);
	assert_true(cfg.options_used == 0);
	assert_false(cfg.state_dir_env);
	assert_null(cfg.privs);
}

static void test_good(void **state)
{
	static const char *const args[] = { "--user", "alice:lbtest", "--cap-add", "net_raw",
					    "--cap-add", "CAP_SYS_ADMIN", "--cap-drop", "ALL",
					    "--seccomp", "/etc/deny.list", "-b", "br1",
					    "--", "true", NULL };
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(parse(args, "/tmp/state", &cfg, &err), 0);
	assert_string_equal(cfg.user, "alice:lbtest");
	assert_true(cfg.cap_add == (BIT(13) | BIT(21)));
	assert_true(cfg.cap_drop_all);
	assert_int_equal(cfg.seccomp, NSRUN_SECCOMP_FILE);
	assert_string_equal(cfg.seccomp_file, "/etc/deny.list");
	assert_true(cfg.state_dir_env);
	assert_true(cfg.options_used ==
		    (BIT(nsrun_cli_option_index("user")) | BIT(nsrun_cli_option_index("cap-add")) |
		     BIT(nsrun_cli_option_index("cap-drop")) |
		     BIT(nsrun_cli_option_index("seccomp")) |
		     BIT(nsrun_cli_option_index("bridge"))));
}

static void test_seccomp_words(void **state)
{
	static const char *const a1[] = { "--seccomp", "default", "true", NULL };
	static const char *const a2[] = { "--seccomp", "none", "true", NULL };
	static const char *const a3[] = { "--seccomp", "./default", "true", NULL };
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(parse(a1, NULL, &cfg, &err), 0);
	assert_int_equal(cfg.seccomp, NSRUN_SECCOMP_DEFAULT);
	assert_int_equal(parse(a2, NULL, &cfg, &err), 0);
	assert_int_equal(cfg.seccomp, NSRUN_SECCOMP_NONE);
	assert_int_equal(parse(a3, NULL, &cfg, &err), 0);
	assert_int_equal(cfg.seccomp, NSRUN_SECCOMP_FILE);
	assert_string_equal(cfg.seccomp_file, "./default");
}

/* A short option is recorded under its long name. */
static void test_options_used_short(void **state)
{
	static const char *const args[] = { "-b", "br1", "-v", "true", NULL };
	struct nsrun_config cfg;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(parse(args, NULL, &cfg, &err), 0);
	assert_true(cfg.options_used ==
		    (BIT(nsrun_cli_option_index("bridge")) | BIT(nsrun_cli_option_index("verbose"))));
	assert_string_equal(nsrun_cli_option_name((unsigned int)nsrun_cli_option_index("state-dir")),
			    "state-dir");
	assert_int_equal(nsrun_cli_option_index("no-such-option"), -1);
	assert_null(nsrun_cli_option_name(64));
}

struct bad_row {
	const char *args[6];
	const char *msg;
};

static const struct bad_row bad_rows[] = {
	{ { "--cap-add", "FOO", "true" },
	  "--cap-add FOO: unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)" },
	{ { "--cap-drop", "13", "true" },
	  "--cap-drop 13: unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)" },
	{ { "--cap-add", "NET_RAW,SYS_ADMIN", "true" },
	  "--cap-add NET_RAW,SYS_ADMIN: unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)" },
	{ { "--cap-add", "", "true" },
	  "--cap-add : unknown capability (names as in capabilities(7), e.g. NET_RAW, or ALL)" },
	{ { "--cap-add", "NET_RAW", "--cap-drop", "cap_net_raw", "true" },
	  "--cap-add NET_RAW and --cap-drop NET_RAW: contradict each other" },
	{ { "--cap-add", "ALL", "--cap-drop", "all", "true" },
	  "--cap-add ALL and --cap-drop ALL: contradict each other" },
	{ { "--user", "", "true" }, "--user : empty name" },
	{ { "--user", "al/ice", "true" },
	  "--user al/ice: only letters, digits, '_', '.' and '-' are allowed" },
	{ { "--user", "alice:", "true" }, "--user alice:: empty name" },
	{ { "--user", ":lbtest", "true" }, "--user :lbtest: empty name" },
	{ { "--user", "alice:lb:test", "true" },
	  "--user alice:lb:test: only letters, digits, '_', '.' and '-' are allowed" },
	{ { "--user", "abcdefghijklmnopqrstuvwxyz0123456", "true" },
	  "--user abcdefghijklmnopqrstuvwxyz0123456: longer than 32 bytes" },
	{ { "--user", "abcdefghijklmnopqrstuvwxyz012345678", "true" },
	  "--user abcdefghijklmnopqrstuvwxyz012345678: longer than 32 bytes" },
	{ { "--seccomp", "", "true" }, "--seccomp '': expected default, none or a file" },
	{ { "--seccomp" }, "--seccomp: missing argument" },
	{ { "--user" }, "--user: missing argument" },
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		struct nsrun_config cfg;
		struct nsrun_err err = { 0 };
		int rc = parse(bad_rows[i].args, NULL, &cfg, &err);

		if (rc != -EINVAL || strcmp(err.msg, bad_rows[i].msg) != 0)
			fail_msg("row %zu: rc %d\n  got:  %s\n  want: %s", i, rc, err.msg,
				 bad_rows[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_seccomp_words),
		cmocka_unit_test(test_options_used_short),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
