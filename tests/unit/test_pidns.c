/* SPDX-License-Identifier: MIT */
/* The pure parts of --pid: exit status mapping, the signal table, the
 * blocked set, and the options. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "nsrun/cli.h"
#include "nsrun/pidns.h"

static void test_exit_status(void **state)
{
	static const struct {
		int wstatus, want;
	} cases[] = {
		{ W_EXITCODE(0, 0), 0 },
		{ W_EXITCODE(7, 0), 7 },
		{ W_EXITCODE(125, 0), 125 },
		{ W_EXITCODE(255, 0), 255 },
		{ W_EXITCODE(0, SIGTERM), 128 + 15 },
		{ W_EXITCODE(0, SIGKILL), 128 + 9 },
		{ W_EXITCODE(0, SIGINT), 130 },
		{ W_EXITCODE(0, SIGSEGV) | 0x80, 128 + 11 }, /* with a core dump */
		{ W_EXITCODE(0, 64), 192 },                   /* the last real-time signal */
		{ W_STOPCODE(SIGTSTP), -1 },
		{ W_STOPCODE(SIGSTOP), -1 },
		{ 0xffff, -1 },                               /* continued */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(nsrun_pidns_exit_status(cases[i].wstatus), cases[i].want);
}

/* The table README documents: exactly these, each with its action. */
static void test_signal_table(void **state)
{
	static const struct {
		int sig;
		const char *name;
		enum nsrun_pidns_action action;
	} want[] = {
		{ SIGTERM, "SIGTERM", NSRUN_PIDNS_FORWARD }, { SIGINT, "SIGINT", NSRUN_PIDNS_FORWARD },
		{ SIGHUP, "SIGHUP", NSRUN_PIDNS_FORWARD },   { SIGQUIT, "SIGQUIT", NSRUN_PIDNS_FORWARD },
		{ SIGUSR1, "SIGUSR1", NSRUN_PIDNS_FORWARD }, { SIGUSR2, "SIGUSR2", NSRUN_PIDNS_FORWARD },
		{ SIGWINCH, "SIGWINCH", NSRUN_PIDNS_FORWARD }, { SIGTSTP, "SIGTSTP", NSRUN_PIDNS_SUSPEND },
		{ SIGCONT, "SIGCONT", NSRUN_PIDNS_RESUME },
	};

	(void)state;
	assert_int_equal(nsrun_pidns_nsignals, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct nsrun_pidns_signal *s = nsrun_pidns_signal_find(want[i].sig);

		assert_non_null(s);
		assert_string_equal(s->name, want[i].name);
		assert_int_equal(s->action, want[i].action);
		assert_string_equal(sigabbrev_np(s->sig), s->name + 3);
	}
	/* Default action on nsrun: not in the table. */
	assert_null(nsrun_pidns_signal_find(SIGKILL));
	assert_null(nsrun_pidns_signal_find(SIGSTOP));
	assert_null(nsrun_pidns_signal_find(SIGPIPE));
	assert_null(nsrun_pidns_signal_find(SIGALRM));
	assert_null(nsrun_pidns_signal_find(SIGCHLD));
	assert_null(nsrun_pidns_signal_find(0));
}

static void test_sigset(void **state)
{
	sigset_t set;

	(void)state;
	nsrun_pidns_sigset(&set);
	for (unsigned int i = 0; i < nsrun_pidns_nsignals; i++)
		assert_true(sigismember(&set, nsrun_pidns_signals[i].sig));
	assert_true(sigismember(&set, SIGCHLD));
	assert_true(sigismember(&set, SIGTTIN));
	assert_true(sigismember(&set, SIGTTOU));
	/* Faults and what cannot be blocked keep their default. */
	assert_false(sigismember(&set, SIGKILL));
	assert_false(sigismember(&set, SIGSTOP));
	assert_false(sigismember(&set, SIGSEGV));
	assert_false(sigismember(&set, SIGPIPE));
	assert_false(sigismember(&set, SIGALRM));
}

/* argv: options, then the command "true"; cfg->command points in there
 * until the next call. */
static int parse(struct nsrun_config *cfg, const char *o1, const char *o2)
{
	static char *argv[5];
	struct nsrun_err err = { 0 };
	int argc = 0;

	argv[argc++] = (char *)"nsrun";

	if (o1)
		argv[argc++] = (char *)o1;
	if (o2)
		argv[argc++] = (char *)o2;
	argv[argc++] = (char *)"true";
	argv[argc] = NULL;
	return nsrun_cli_parse(argc, argv, NULL, cfg, &err);
}

static void test_options(void **state)
{
	struct nsrun_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, NULL, NULL), 0);
	assert_false(cfg.pid);
	assert_false(cfg.pid_exec);
	assert_int_equal(parse(&cfg, "--pid", NULL), 0);
	assert_true(cfg.pid);
	assert_false(cfg.pid_exec);
	assert_string_equal(cfg.command[0], "true");
	/* --pid-exec implies --pid. */
	assert_int_equal(parse(&cfg, "--pid-exec", NULL), 0);
	assert_true(cfg.pid);
	assert_true(cfg.pid_exec);
	assert_int_equal(parse(&cfg, "--pid", "--pid-exec"), 0);
	assert_true(cfg.pid);
	assert_true(cfg.pid_exec);
	assert_int_equal(parse(&cfg, "--pid=1", NULL), -EINVAL);
	/* After the command, --pid is the command's. */
	assert_int_equal(parse(&cfg, "env", "--pid"), 0);
	assert_false(cfg.pid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_signal_table),
		cmocka_unit_test(test_sigset),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
