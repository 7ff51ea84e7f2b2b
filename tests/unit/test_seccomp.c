/* SPDX-License-Identifier: MIT */
/* seccomp.c: the --seccomp FILE parser (every malformed line) and the
 * default profile's table; building a filter (nothing is loaded). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <seccomp.h>

#include "nsrun/seccomp.h"

static void test_parse_good(void **state)
{
	static const char text[] = "# deny these\n"
				   "unshare\n"
				   "\n"
				   "  mount   # with a comment\n"
				   "\tptrace\t\n"
				   "bpf";
	struct nsrun_seccomp_list l;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(nsrun_seccomp_parse_list(text, sizeof(text) - 1, &l, &err), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.names[0], "unshare");
	assert_string_equal(l.names[1], "mount");
	assert_string_equal(l.names[2], "ptrace");
	assert_string_equal(l.names[3], "bpf");
	nsrun_seccomp_list_free(&l);
	assert_int_equal(nsrun_seccomp_parse_list("", 0, &l, &err), 0);
	assert_int_equal(l.n, 0);
	/* A syscall of another architecture is still a name libseccomp knows. */
	assert_int_equal(nsrun_seccomp_parse_list("umount\nvm86\n", 12, &l, &err), 0);
	assert_int_equal(l.n, 2);
	nsrun_seccomp_list_free(&l);
}

struct bad_row {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen */
	const char *msg;
};

static const struct bad_row bad_rows[] = {
	{ "unknown", "unshare\nfrobnicate\n", 0, "line 2: frobnicate: unknown system call" },
	{ "two names", "mount umount2\n", 0,
	  "line 1: one system call name per line, found \"mount umount2\"" },
	{ "upper case", "MOUNT\n", 0, "line 1: \"MOUNT\": not a system call name" },
	{ "punctuation", "mount;\n", 0, "line 1: \"mount;\": not a system call name" },
	{ "number", "165\n", 0, "line 1: 165: unknown system call" },
	{ "duplicate", "# x\nmount\nptrace\nmount\n", 0, "line 4: mount: listed twice (line 2)" },
	{ "NUL", "mount\n\0\n", 8, "line 2: contains a NUL byte" },
	{ "carriage return", "mount\r\n", 0, "line 1: control character or non-ASCII byte 0x0d" },
	{ "non-ASCII", "mo\xc3\xbc" "nt\n", 0, "line 1: control character or non-ASCII byte 0xc3" },
	{ "too long", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	  0, "line 1: longer than 255 bytes" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
		const struct bad_row *row = &bad_rows[i];
		struct nsrun_seccomp_list l = { 0 };
		struct nsrun_err err = { 0 };
		size_t len = row->len ? row->len : strlen(row->text);
		int rc = nsrun_seccomp_parse_list(row->text, len, &l, &err);

		if (rc != -EINVAL || strcmp(err.msg, row->msg) != 0)
			fail_msg("%s: rc %d\n  got:  %s\n  want: %s", row->name, rc, err.msg, row->msg);
		assert_null(l.names);
	}
}

/* No typo in the profile: every name is known, on this architecture or
 * (32-bit only calls) to libseccomp; each appears once and says why. */
static void test_default_profile_table(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct nsrun_seccomp_entry *e = nsrun_seccomp_default_profile; e->syscall;
	     e++, n++) {
		if (seccomp_syscall_resolve_name(e->syscall) == __NR_SCMP_ERROR)
			fail_msg("%s: unknown to libseccomp", e->syscall);
		assert_true(e->why && *e->why);
		for (const struct nsrun_seccomp_entry *f = e + 1; f->syscall; f++)
			if (!strcmp(e->syscall, f->syscall))
				fail_msg("%s: listed twice", e->syscall);
	}
	assert_true(n >= 40);
	/* What the issue names, at least. */
	static const char *const must[] = {
		"setns", "unshare", "mount", "umount2", "pivot_root", "init_module", "finit_module",
		"delete_module", "kexec_load", "kexec_file_load", "bpf", "perf_event_open", "keyctl",
		"add_key", "request_key", "ptrace", "process_vm_readv", "process_vm_writev",
		"reboot", "swapon", "swapoff", "open_by_handle_at", "name_to_handle_at", "fsopen",
		"fsmount", "fsconfig", "move_mount", "open_tree", "userfaultfd", NULL,
	};
	for (const char *const *m = must; *m; m++) {
		bool found = false;

		for (const struct nsrun_seccomp_entry *e = nsrun_seccomp_default_profile; e->syscall;
		     e++)
			found |= !strcmp(e->syscall, *m);
		if (!found)
			fail_msg("%s: missing from the default profile", *m);
	}
}

/* The README documents the profile: every entry of the table is there. */
static void test_default_profile_documented(void **state)
{
	static char readme[1 << 17];
	FILE *f = fopen("README.md", "r");
	size_t n;

	(void)state;
	if (!f)
		skip(); /* run from elsewhere than the source tree */
	n = fread(readme, 1, sizeof(readme) - 1, f);
	fclose(f);
	readme[n] = '\0';
	for (const struct nsrun_seccomp_entry *e = nsrun_seccomp_default_profile; e->syscall; e++) {
		char quoted[64];

		snprintf(quoted, sizeof(quoted), "`%s`", e->syscall);
		if (!strstr(readme, quoted))
			fail_msg("%s: in the default profile, not in README.md", e->syscall);
	}
}

static void test_prepare(void **state)
{
	struct nsrun_seccomp *s = (struct nsrun_seccomp *)1;
	struct nsrun_err err = { 0 };

	(void)state;
	assert_int_equal(nsrun_seccomp_prepare(NSRUN_SECCOMP_NONE, NULL, &s, &err), 0);
	assert_null(s);
	assert_int_equal(nsrun_seccomp_prepare(NSRUN_SECCOMP_DEFAULT, NULL, &s, &err), 0);
	assert_non_null(s);
	nsrun_seccomp_free(s);
	assert_int_equal(nsrun_seccomp_prepare(NSRUN_SECCOMP_FILE, "/nonexistent/list", &s, &err),
			 -ENOENT);
	assert_string_equal(err.msg, "--seccomp /nonexistent/list: No such file or directory");
	assert_int_equal(nsrun_seccomp_prepare(NSRUN_SECCOMP_FILE, "/", &s, &err), -EINVAL);
	assert_string_equal(err.msg, "--seccomp /: not a regular file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_default_profile_table),
		cmocka_unit_test(test_default_profile_documented),
		cmocka_unit_test(test_prepare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
