/* SPDX-License-Identifier: MIT */
/*
 * Shared by the cmocka unit tests: a test list built at run time, so that
 * every row of a parser's table is a test of its own (one TAP line, named
 * after the row), and the whole file is one group (tests/run reads one
 * plan per binary).
 */
#ifndef NSRUN_TESTS_UNIT_H
#define NSRUN_TESTS_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/addr.h"
#include "nsrun/cli.h"

struct unit_list {
	struct CMUnitTest *v;
	char **names;
	size_t n, cap;
};

static inline void unit_add(struct unit_list *l, CMUnitTestFunction f, void *state,
			    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static inline void unit_add(struct unit_list *l, CMUnitTestFunction f, void *state,
			    const char *fmt, ...)
{
	va_list ap;
	char *name;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		l->names = realloc(l->names, l->cap * sizeof(*l->names));
		if (!l->v || !l->names)
			abort();
	}
	va_start(ap, fmt);
	if (vasprintf(&name, fmt, ap) < 0)
		abort();
	va_end(ap);
	l->names[l->n] = name;
	l->v[l->n] = (struct CMUnitTest){ .name = name, .test_func = f, .initial_state = state };
	l->n++;
}

/* A test's own address literal; a typo in it fails the test. */
static inline struct nsrun_addr addr_of(const char *s)
{
	struct nsrun_addr a;

	if (nsrun_addr_parse(s, &a) < 0)
		fail_msg("test setup: bad address %s", s);
	return a;
}

/* A NULL-terminated argument list, for unit_cli_parse(). */
#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/*
 * nsrun_cli_parse() of "nsrun" followed by args (at most 62 of them).  The
 * argv is static: cfg->command points into it, until the next call.
 */
static inline int unit_cli_parse(struct nsrun_config *cfg, struct nsrun_err *err,
				 const char *const *args)
{
	static char *argv[64];
	int argc = 1;

	argv[0] = (char *)"nsrun";
	for (; args[argc - 1]; argc++) {
		if (argc == 63)
			fail_msg("test setup: more than 62 arguments");
		argv[argc] = (char *)args[argc - 1];
	}
	argv[argc] = NULL;
	memset(err, 0, sizeof(*err));
	return nsrun_cli_parse(argc, argv, NULL, cfg, err);
}

/* A plain test, named after its function. */
#define UNIT(l, f) unit_add((l), (f), NULL, "%s", #f)
/* One test per row of a table whose rows have a `name` member. */
#define UNIT_TABLE(l, f, table)                                                        \
	do {                                                                           \
		for (size_t unit_i_ = 0; unit_i_ < sizeof(table) / sizeof((table)[0]); \
		     unit_i_++)                                                        \
			unit_add((l), (f), (void *)&(table)[unit_i_], "%s: %s", #f,   \
				 (table)[unit_i_].name);                               \
	} while (0)

static inline int unit_run(struct unit_list *l, const char *group)
{
	int r = _cmocka_run_group_tests(group, l->v, l->n, NULL, NULL);

	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->v);
	return r;
}

#endif
