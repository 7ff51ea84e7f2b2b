/* SPDX-License-Identifier: MIT */
/* nsrun --gc: why a lease is stale, and the command line of the action. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/cli.h"
#include "nsrun/gc.h"

/* The system as a table: what each liveness question answers. */
struct fake {
	int ifindex;
	bool pid_alive;
};

static int f_ifindex(void *ctx, const char *ifname)
{
	(void)ifname;
	return ((struct fake *)ctx)->ifindex;
}

static bool f_pid_exists(void *ctx, pid_t pid)
{
	(void)pid;
	return ((struct fake *)ctx)->pid_alive;
}

static bool f_pid_alive(void *ctx, pid_t pid, uint64_t start)
{
	(void)pid;
	(void)start;
	return ((struct fake *)ctx)->pid_alive;
}

static bool f_netns_alive(void *ctx, int ifindex)
{
	(void)ctx;
	(void)ifindex;
	return false;
}

static void test_why(void **state)
{
	static const struct {
		enum nsrun_lease_state st;
		int recorded, now;
		bool alive;
		const char *why;
	} rows[] = {
		{ NSRUN_LEASE_PENDING, 0, 0, false, "pid 123 gone, no veth" },
		{ NSRUN_LEASE_WIRED, 12, 0, false, "pid 123 gone, no veth" },
		{ NSRUN_LEASE_WIRED, 12, 0, true, "pid 123 running, no veth" },
		{ NSRUN_LEASE_WIRED, 12, 40, true, "pid 123 running, nsr0a000005 is another interface now" },
		{ NSRUN_LEASE_WIRED, 12, 12, false, "pid 123 gone, namespace dying" },
		{ NSRUN_LEASE_PENDING, 0, 40, false, "pid 123 gone, namespace dying" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct fake f = { rows[i].now, rows[i].alive };
		struct nsrun_liveness lv = { f_ifindex, f_pid_exists, f_pid_alive, f_netns_alive, &f };
		struct nsrun_lease l = { .state = rows[i].st, .pid = 123, .ifindex = rows[i].recorded };
		char buf[96];

		strcpy(l.ifname, "nsr0a000005");
		nsrun_gc_why(&l, &lv, buf, sizeof(buf));
		assert_string_equal(buf, rows[i].why);
	}
}

static int parse(const char *const *args, struct nsrun_config *cfg, struct nsrun_err *err)
{
	char *argv[16];
	int argc = 0;

	argv[argc++] = (char *)"nsrun";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	memset(err, 0, sizeof(*err));
	return nsrun_cli_parse(argc, argv, NULL, cfg, err);
}

static void test_cli_ok(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(parse((const char *const[]){ "--gc", NULL }, &cfg, &err), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_GC);
	assert_true(cfg.gc_all); /* every bridge */
	assert_false(cfg.gc_rebuild);
	assert_int_equal(parse((const char *const[]){ "--bridge", "br1", "--gc", NULL }, &cfg, &err),
			 0);
	assert_string_equal(cfg.bridge, "br1");
	assert_false(cfg.gc_all);
	assert_int_equal(parse((const char *const[]){ "--gc", "--rebuild", "-b", "br1", NULL }, &cfg,
			       &err),
			 0);
	assert_true(cfg.gc_rebuild);
	assert_null(cfg.command);
}

static void test_cli_errors(void **state)
{
	static const struct {
		const char *args[6];
		const char *msg;
	} rows[] = {
		{ { "--rebuild", "--bridge", "br1", "--", "true" }, "--rebuild: does not apply to a launch" },
		{ { "--gc", "--rebuild" }, "--gc --rebuild: needs --bridge NAME" },
		{ { "--gc", "true" }, "--gc: unexpected argument 'true'" },
		{ { "--gc", "--", "true" }, "--gc: unexpected argument 'true'" },
		{ { "--gc=now" }, "--gc=now: option takes no argument" },
		{ { "--rebuild=1", "--gc" }, "--rebuild=1: option takes no argument" },
		{ { "--help=x" }, "--help=x: option takes no argument" },
		{ { "--gcx" }, "--gcx: unknown option (see --help)" },
		{ { "-qx", "true" }, "-x: unknown option (see --help)" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct nsrun_config cfg;
		struct nsrun_err err;

		assert_int_equal(parse(rows[i].args, &cfg, &err), -EINVAL);
		assert_string_equal(err.msg, rows[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_why),
		cmocka_unit_test(test_cli_ok),
		cmocka_unit_test(test_cli_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
