/* SPDX-License-Identifier: MIT */
/* err.c: the error chain: set, sys, context on the way up, codes, and
 * truncation at NSRUN_ERR_MSG_MAX that never writes past the buffer. */
#include <errno.h>

#include "unit.h"

#include "nsrun/err.h"

/* An error followed by bytes that must stay untouched. */
struct guarded {
	struct nsrun_err err;
	unsigned char canary[64];
};

static void guard(struct guarded *g)
{
	memset(g, 0x5a, sizeof(*g));
	nsrun_err_clear(&g->err);
}

static void check_guard(const struct guarded *g)
{
	for (size_t i = 0; i < sizeof(g->canary); i++)
		assert_int_equal(g->canary[i], 0x5a);
	assert_true(memchr(g->err.msg, '\0', sizeof(g->err.msg)) != NULL);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void set(void **state)
{
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(nsrun_err_set(&err, EEXIST, "address %s: %s", "10.47.0.2", "taken"),
			 -EEXIST);
	assert_int_equal(err.code, EEXIST);
	assert_string_equal(err.msg, "address 10.47.0.2: taken");
	/* A new set replaces the whole error. */
	assert_int_equal(nsrun_err_set(&err, ENOSPC, "full"), -ENOSPC);
	assert_int_equal(err.code, ENOSPC);
	assert_string_equal(err.msg, "full");
}

struct code_row {
	const char *name;
	int in, code;
};

static const struct code_row code_rows[] = {
	{ "positive", EIO, EIO },
	{ "negative errno", -EIO, EIO },
	{ "zero is still an error", 0, EINVAL },
	{ "negative ENOSPC", -ENOSPC, ENOSPC },
};

static void codes(void **state)
{
	const struct code_row *row = *state;
	struct nsrun_err err = { 0 };

	assert_int_equal(nsrun_err_set(&err, row->in, "x"), -row->code);
	assert_int_equal(err.code, row->code);
	nsrun_err_clear(&err);
	assert_int_equal(nsrun_err_sys(&err, row->in, "x"), -row->code);
	assert_int_equal(err.code, row->code);
}

static void sys(void **state)
{
	struct nsrun_err err = { 0 };
	char want[NSRUN_ERR_MSG_MAX];

	(void)state;
	assert_int_equal(nsrun_err_sys(&err, ENOENT, "open %s", "/run/nsrun/br1.leases"), -ENOENT);
	assert_string_equal(err.msg, "open /run/nsrun/br1.leases: No such file or directory");
	/* A negative code reads the same. */
	assert_int_equal(nsrun_err_sys(&err, -EACCES, "open"), -EACCES);
	snprintf(want, sizeof(want), "open: %s", strerror(EACCES));
	assert_string_equal(err.msg, want);
}

static void ctx_chain(void **state)
{
	struct nsrun_err err = { 0 };

	(void)state;
	nsrun_err_sys(&err, EEXIST, "add address");
	assert_int_equal(nsrun_err_ctx(&err, "inside"), -EEXIST);
	assert_int_equal(nsrun_err_ctx(&err, "bridge %s", "br1"), -EEXIST);
	assert_string_equal(err.msg, "bridge br1: inside: add address: File exists");
	assert_int_equal(err.code, EEXIST);
	/* The message itself as context: formatted before it is moved. */
	nsrun_err_set(&err, EIO, "cause");
	nsrun_err_ctx(&err, "%s", err.msg);
	assert_string_equal(err.msg, "cause: cause");
}

static void ctx_on_empty(void **state)
{
	struct nsrun_err err;

	(void)state;
	nsrun_err_clear(&err);
	/* Context without a cause still makes an error. */
	assert_int_equal(nsrun_err_ctx(&err, "bridge br1"), -EINVAL);
	assert_int_equal(err.code, EINVAL);
	assert_true(strncmp(err.msg, "bridge br1:", 11) == 0);
}

static void clear(void **state)
{
	struct nsrun_err err;

	(void)state;
	nsrun_err_set(&err, EIO, "x");
	nsrun_err_clear(&err);
	assert_int_equal(err.code, 0);
	assert_string_equal(err.msg, "");
}

static void set_truncates(void **state)
{
	struct guarded g;
	char *big = repeat('m', 4 * NSRUN_ERR_MSG_MAX);

	(void)state;
	guard(&g);
	assert_int_equal(nsrun_err_set(&g.err, E2BIG, "%s", big), -E2BIG);
	assert_int_equal(strlen(g.err.msg), NSRUN_ERR_MSG_MAX - 1);
	check_guard(&g);
	guard(&g);
	assert_int_equal(nsrun_err_sys(&g.err, E2BIG, "%s", big), -E2BIG);
	assert_int_equal(strlen(g.err.msg), NSRUN_ERR_MSG_MAX - 1);
	assert_int_equal(g.err.code, E2BIG);
	check_guard(&g);
	free(big);
}

/* The cause fits, strerror only in part: cut at the end, still terminated. */
static void sys_truncates_strerror(void **state)
{
	struct guarded g;
	char *cause = repeat('c', NSRUN_ERR_MSG_MAX - 5);

	(void)state;
	guard(&g);
	nsrun_err_sys(&g.err, ENOENT, "%s", cause);
	assert_int_equal(strlen(g.err.msg), NSRUN_ERR_MSG_MAX - 1);
	assert_memory_equal(g.err.msg, cause, NSRUN_ERR_MSG_MAX - 5);
	assert_string_equal(g.err.msg + NSRUN_ERR_MSG_MAX - 5, ": No");
	check_guard(&g);
	free(cause);
	/* Exactly full without strerror: nothing appended. */
	cause = repeat('c', NSRUN_ERR_MSG_MAX - 1);
	guard(&g);
	nsrun_err_sys(&g.err, ENOENT, "%s", cause);
	assert_string_equal(g.err.msg, cause);
	check_guard(&g);
	free(cause);
}

/* A full message keeps its head; the tail makes room for the context. */
static void ctx_truncates_the_tail(void **state)
{
	struct guarded g;
	char *cause = repeat('c', NSRUN_ERR_MSG_MAX - 1);

	(void)state;
	guard(&g);
	nsrun_err_set(&g.err, EIO, "%s", cause);
	assert_int_equal(nsrun_err_ctx(&g.err, "abc"), -EIO);
	assert_int_equal(strlen(g.err.msg), NSRUN_ERR_MSG_MAX - 1);
	assert_memory_equal(g.err.msg, "abc: ", 5);
	assert_memory_equal(g.err.msg + 5, cause, NSRUN_ERR_MSG_MAX - 6);
	check_guard(&g);
	free(cause);
}

/* A context that leaves no room for the cause is dropped: the cause is
 * what matters. */
static void ctx_too_long_is_dropped(void **state)
{
	struct guarded g;
	char *prefix;

	(void)state;
	prefix = repeat('p', NSRUN_ERR_MSG_MAX - 2);
	guard(&g);
	nsrun_err_set(&g.err, EIO, "cause");
	assert_int_equal(nsrun_err_ctx(&g.err, "%s", prefix), -EIO);
	assert_string_equal(g.err.msg, "cause");
	check_guard(&g);
	free(prefix);

	prefix = repeat('p', 4 * NSRUN_ERR_MSG_MAX);
	guard(&g);
	nsrun_err_set(&g.err, EIO, "cause");
	nsrun_err_ctx(&g.err, "%s", prefix);
	assert_string_equal(g.err.msg, "cause");
	check_guard(&g);
	free(prefix);

	/* The longest context that fits: "prefix: " and nothing of the cause. */
	prefix = repeat('p', NSRUN_ERR_MSG_MAX - 3);
	guard(&g);
	nsrun_err_set(&g.err, EIO, "cause");
	nsrun_err_ctx(&g.err, "%s", prefix);
	assert_int_equal(strlen(g.err.msg), NSRUN_ERR_MSG_MAX - 1);
	assert_memory_equal(g.err.msg, prefix, NSRUN_ERR_MSG_MAX - 3);
	assert_string_equal(g.err.msg + NSRUN_ERR_MSG_MAX - 3, ": ");
	check_guard(&g);
	free(prefix);
}

/* Context added many times over never overflows and keeps the newest. */
static void ctx_many_times(void **state)
{
	struct guarded g;

	(void)state;
	guard(&g);
	nsrun_err_set(&g.err, EIO, "root cause");
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(nsrun_err_ctx(&g.err, "step %d", i), -EIO);
		assert_true(strlen(g.err.msg) < NSRUN_ERR_MSG_MAX);
	}
	assert_true(strncmp(g.err.msg, "step 999: step 998: ", 20) == 0);
	check_guard(&g);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT(&l, set);
	UNIT_TABLE(&l, codes, code_rows);
	UNIT(&l, sys);
	UNIT(&l, ctx_chain);
	UNIT(&l, ctx_on_empty);
	UNIT(&l, clear);
	UNIT(&l, set_truncates);
	UNIT(&l, sys_truncates_strerror);
	UNIT(&l, ctx_truncates_the_tail);
	UNIT(&l, ctx_too_long_is_dropped);
	UNIT(&l, ctx_many_times);
	return unit_run(&l, "err");
}
