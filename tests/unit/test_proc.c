/* SPDX-License-Identifier: MIT */
/* proc.c: /proc/PID/stat parsing (comm may hold anything), start times and
 * the liveness rule (a zombie is not alive). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#include "nsrun/proc.h"

/* Fields 4 to 21 of a real stat line, then field 22 and a few more. */
#define MID " 1 1234 1234 34816 1234 4194304 100 0 0 0 1 2 0 0 20 0 1 0 "
#define STAT(comm, state, start) "1234 (" comm ") " state MID start " 10000 200 18446744073709551615\n"

struct stat_row {
	const char *name;
	const char *text;
	int rc;
	char state;
	uint64_t start;
};

static const struct stat_row stat_rows[] = {
	{ "plain", STAT("bash", "S", "81234"), 0, 'S', 81234 },
	{ "running", STAT("nsrun", "R", "7"), 0, 'R', 7 },
	{ "zombie", STAT("sh", "Z", "81234"), 0, 'Z', 81234 },
	{ "comm with spaces", STAT("my prog", "S", "42"), 0, 'S', 42 },
	{ "comm with a parenthesis", STAT("a) b", "D", "42"), 0, 'D', 42 },
	{ "comm that looks like fields", STAT(") Z 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20", "S", "42"),
	  0, 'S', 42 },
	{ "comm with a newline", STAT("a\nb", "S", "42"), 0, 'S', 42 },
	{ "comm with an open parenthesis", STAT("((", "S", "42"), 0, 'S', 42 },
	{ "empty comm", STAT("", "I", "42"), 0, 'I', 42 },
	{ "start 0", STAT("x", "S", "0"), 0, 'S', 0 },
	{ "start 2^64-1", STAT("x", "S", "18446744073709551615"), 0, 'S', UINT64_MAX },
	{ "start is the last field", "1234 (x) S" MID "99", 0, 'S', 99 },
	{ "start then newline", "1234 (x) S" MID "99\n", 0, 'S', 99 },
	{ "start 2^64", STAT("x", "S", "18446744073709551616"), -EINVAL, 0, 0 },
	{ "start negative", STAT("x", "S", "-1"), -EINVAL, 0, 0 },
	{ "start not a number", STAT("x", "S", "abc"), -EINVAL, 0, 0 },
	{ "start with junk", STAT("x", "S", "12x"), -EINVAL, 0, 0 },
	{ "start missing", "1234 (x) S" MID, -EINVAL, 0, 0 },
	{ "too few fields", "1234 (x) S 1 2 3 4 5\n", -EINVAL, 0, 0 },
	{ "state only", "1234 (x) S", -EINVAL, 0, 0 },
	{ "nothing after comm", "1234 (x) ", -EINVAL, 0, 0 },
	{ "ends at comm", "1234 (x)", -EINVAL, 0, 0 },
	{ "no space after comm", "1234 (x)S" MID "42\n", -EINVAL, 0, 0 },
	{ "no parenthesis", "1234 x S" MID "42\n", -EINVAL, 0, 0 },
	{ "empty", "", -EINVAL, 0, 0 },
};

static void parse_stat(void **state)
{
	const struct stat_row *row = *state;
	uint64_t start = 0xdead;
	char st = '?';

	assert_int_equal(nsrun_proc_parse_stat(row->text, &st, &start), row->rc);
	if (row->rc == 0) {
		assert_int_equal(st, row->state);
		assert_int_equal(start, row->start);
	} else {
		assert_int_equal(start, 0xdead);
	}
}

static void starttime_self(void **state)
{
	uint64_t self = 0, bypid = 0, again = 0;

	(void)state;
	assert_int_equal(nsrun_proc_starttime(0, &self), 0);
	assert_true(self > 0);
	assert_int_equal(nsrun_proc_starttime(getpid(), &bypid), 0);
	assert_int_equal(bypid, self);
	assert_int_equal(nsrun_proc_starttime(0, &again), 0);
	assert_int_equal(again, self);
	assert_true(nsrun_proc_alive(getpid(), self));
	/* Same pid, another start time: another process. */
	assert_false(nsrun_proc_alive(getpid(), self + 1));
	assert_false(nsrun_proc_alive(getpid(), self - 1));
}

static void starttime_no_such_pid(void **state)
{
	uint64_t start = 0;

	(void)state;
	/* Above any pid_max the kernel allows (2^22). */
	assert_int_equal(nsrun_proc_starttime(INT_MAX, &start), -ENOENT);
	assert_false(nsrun_proc_alive(INT_MAX, 1));
	assert_false(nsrun_proc_alive(0, 1));
	assert_false(nsrun_proc_alive(-1, 1));
}

/* A child runs, then is a zombie (not alive, though its stat is there),
 * then is gone. */
static void alive_until_zombie(void **state)
{
	int fds[2];
	uint64_t start = 0, zstart = 0, self = 0;
	siginfo_t info;
	pid_t pid;
	char c;

	(void)state;
	assert_int_equal(pipe2(fds, O_CLOEXEC), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[1]);
		_exit(read(fds[0], &c, 1) == 0 ? 0 : 1);
	}
	close(fds[0]);
	assert_int_equal(nsrun_proc_starttime(pid, &start), 0);
	assert_true(nsrun_proc_alive(pid, start));
	assert_int_equal(nsrun_proc_starttime(0, &self), 0);
	assert_true(start >= self);
	close(fds[1]); /* the child reads EOF and exits */
	memset(&info, 0, sizeof(info));
	assert_int_equal(waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT), 0);
	/* Exited, not reaped: a zombie. */
	assert_int_equal(nsrun_proc_starttime(pid, &zstart), 0);
	assert_int_equal(zstart, start);
	assert_false(nsrun_proc_alive(pid, start));
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	assert_false(nsrun_proc_alive(pid, start));
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, parse_stat, stat_rows);
	UNIT(&l, starttime_self);
	UNIT(&l, starttime_no_such_pid);
	UNIT(&l, alive_until_zombie);
	return unit_run(&l, "proc");
}
