/* SPDX-License-Identifier: MIT */
#include "nsrun/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/io.h"

/*
 * The default profile, one line per system call and why a program in a
 * throw-away network namespace never needs it.  Most of these also need a
 * capability the target does not have: the filter is the second wall, and
 * the only one for root's targets and for unprivileged user namespaces.
 * Names libseccomp does not know (a library older than the kernel) cannot
 * be filtered and are skipped.
 *
 * Considered and allowed: chroot (CAP_SYS_CHROOT, stays in the mount
 * namespace), io_uring_* (servers under test use it), adjtimex and
 * clock_adjtime (also read the clock's state), seccomp and landlock_* (only
 * restrict further), personality, capset (only lowers).
 */
const struct nsrun_seccomp_entry nsrun_seccomp_default_profile[] = {
	/* Leaving or rebuilding the namespaces nsrun made. */
	{ "setns", "join another namespace, e.g. the host's network" },
	{ "unshare", "new namespaces, notably an unprivileged user namespace" },
	{ "mount", "change the mount namespace" },
	{ "umount", "change the mount namespace (32-bit)" },
	{ "umount2", "change the mount namespace" },
	{ "pivot_root", "change the root" },
	{ "fsopen", "new mount API" },
	{ "fsconfig", "new mount API" },
	{ "fsmount", "new mount API" },
	{ "fspick", "new mount API" },
	{ "move_mount", "new mount API" },
	{ "open_tree", "new mount API: clone a mount" },
	{ "mount_setattr", "new mount API: change mount flags" },
	{ "open_by_handle_at", "open any file by handle, bypassing paths (the Shocker escape)" },
	{ "name_to_handle_at", "companion of open_by_handle_at" },
	/* Loading code into, or reconfiguring, the shared kernel. */
	{ "init_module", "load a kernel module" },
	{ "finit_module", "load a kernel module" },
	{ "delete_module", "unload a kernel module" },
	{ "kexec_load", "replace the running kernel" },
	{ "kexec_file_load", "replace the running kernel" },
	{ "reboot", "reboot or halt the host" },
	{ "bpf", "load eBPF programs and maps into the kernel" },
	{ "perf_event_open", "kernel tracing, a large attack surface" },
	{ "userfaultfd", "stalls kernel page faults, an exploitation primitive" },
	{ "swapon", "host-wide swap" },
	{ "swapoff", "host-wide swap" },
	{ "acct", "host-wide process accounting" },
	{ "syslog", "the kernel log (kernel addresses)" },
	{ "sethostname", "the host's name: the UTS namespace is shared" },
	{ "setdomainname", "the host's NIS domain: the UTS namespace is shared" },
	{ "settimeofday", "the host's clock" },
	{ "clock_settime", "the host's clock" },
	{ "stime", "the host's clock (32-bit)" },
	{ "vm86", "virtual 8086 mode (32-bit), a past attack surface" },
	{ "vm86old", "virtual 8086 mode (32-bit), a past attack surface" },
	/* The kernel keyring is not per network namespace: the caller's keys. */
	{ "keyctl", "the caller's kernel keyrings" },
	{ "add_key", "the caller's kernel keyrings" },
	{ "request_key", "the caller's kernel keyrings" },
	/* Reaching the caller's other processes, outside the namespace. */
	{ "ptrace", "control the caller's processes outside the namespace" },
	{ "process_vm_readv", "read another process's memory" },
	{ "process_vm_writev", "write another process's memory" },
	{ "process_madvise", "act on another process's memory" },
	{ "pidfd_getfd", "take a descriptor from another process" },
	{ "kcmp", "compare kernel objects of other processes" },
	{ NULL, NULL },
};

/* CLONE_NEW* flags clone() may not carry (CLONE_NEWTIME is a clone3 and
 * unshare flag only: its bit is the exit signal's in clone()). */
static const uint64_t clone_ns_flags[] = {
	CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET,
};

struct nsrun_seccomp {
	scmp_filter_ctx ctx;
};

/* ---- --seccomp FILE --------------------------------------------------------- */

static bool syscall_chars(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

int nsrun_seccomp_parse_list(const char *text, size_t len, struct nsrun_seccomp_list *l,
			     struct nsrun_err *err)
{
	unsigned int no = 0, *lines = NULL;
	size_t pos = 0;
	int rc = 0;

	memset(l, 0, sizeof(*l));
	while (pos < len && rc == 0) {
		const char *start = text + pos, *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		char line[256], *s, *end;
		void *grown;

		pos += n + (nl ? 1 : 0);
		no++;
		if (n >= sizeof(line)) {
			rc = nsrun_err_set(err, EINVAL, "line %u: longer than %zu bytes", no,
					   sizeof(line) - 1);
			break;
		}
		if (memchr(start, '\0', n)) {
			rc = nsrun_err_set(err, EINVAL, "line %u: contains a NUL byte", no);
			break;
		}
		memcpy(line, start, n);
		line[n] = '\0';
		if ((s = strchr(line, '#')))
			*s = '\0';
		for (s = line; *s; s++)
			if (*s != '\t' && (*s < 0x20 || *s > 0x7e))
				break;
		if (*s) {
			rc = nsrun_err_set(err, EINVAL,
					   "line %u: control character or non-ASCII byte 0x%02x", no,
					   (unsigned char)*s);
			break;
		}
		s = line + strspn(line, " \t");
		if (!*s)
			continue;
		end = s + strcspn(s, " \t");
		if (end[strspn(end, " \t")] != '\0') {
			rc = nsrun_err_set(err, EINVAL,
					   "line %u: one system call name per line, found \"%.64s\"", no, s);
			break;
		}
		*end = '\0';
		if (!syscall_chars(s) || strlen(s) >= sizeof(l->names[0])) {
			rc = nsrun_err_set(err, EINVAL, "line %u: \"%.64s\": not a system call name", no,
					   s);
			break;
		}
		if (seccomp_syscall_resolve_name(s) == __NR_SCMP_ERROR) {
			rc = nsrun_err_set(err, EINVAL, "line %u: %s: unknown system call", no, s);
			break;
		}
		for (size_t i = 0; i < l->n && rc == 0; i++)
			if (!strcmp(l->names[i], s))
				rc = nsrun_err_set(err, EINVAL, "line %u: %s: listed twice (line %u)", no,
						   s, lines[i]);
		if (rc < 0)
			break;
		grown = realloc(l->names, (l->n + 1) * sizeof(l->names[0]));
		if (grown) {
			l->names = grown;
			grown = realloc(lines, (l->n + 1) * sizeof(*lines));
		}
		if (!grown) {
			rc = nsrun_err_set(err, ENOMEM, "line %u: out of memory", no);
			break;
		}
		lines = grown;
		lines[l->n] = no;
		snprintf(l->names[l->n++], sizeof(l->names[0]), "%s", s);
	}
	free(lines);
	if (rc < 0)
		nsrun_seccomp_list_free(l);
	return rc;
}

void nsrun_seccomp_list_free(struct nsrun_seccomp_list *l)
{
	free(l->names);
	l->names = NULL;
	l->n = 0;
}

static int read_list(const char *file, struct nsrun_seccomp_list *l, struct nsrun_err *err)
{
	char *buf = NULL;
	struct stat st;
	size_t len = 0;
	int fd, rc;

	/* Opened with the caller's file system identity (privs.c). */
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return nsrun_err_sys(err, errno, "--seccomp %s", file);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nsrun_err_set(err, EINVAL, "--seccomp %s: not a regular file", file);
	}
	rc = nsrun_io_read_all(fd, &buf, &len, NSRUN_SECCOMP_FILE_MAX);
	close(fd);
	if (rc == -EFBIG)
		return nsrun_err_set(err, EFBIG, "--seccomp %s: larger than %d bytes", file,
				     NSRUN_SECCOMP_FILE_MAX);
	if (rc < 0)
		return nsrun_err_sys(err, -rc, "--seccomp %s: read", file);
	rc = nsrun_seccomp_parse_list(buf, len, l, err);
	free(buf);
	return rc < 0 ? nsrun_err_ctx(err, "--seccomp %s", file) : 0;
}

/* ---- the filter ------------------------------------------------------------- */

/*
 * A filter holds a branch per architecture.  Without the native one's
 * 32-bit companions, a 64-bit program could make an i386 system call
 * (int $0x80), whose numbers differ, and slip past every rule; libseccomp
 * kills unknown architectures, so adding them keeps 32-bit programs working
 * and filtered.  x32 shares x86_64's audit arch: libseccomp tells them apart
 * by the x32 bit of the number.
 */
static int add_arches(scmp_filter_ctx ctx)
{
	uint32_t native = seccomp_arch_native();
	uint32_t extra[2] = { 0, 0 };

	if (native == SCMP_ARCH_X86_64) {
		extra[0] = SCMP_ARCH_X86;
		extra[1] = SCMP_ARCH_X32;
	} else if (native == SCMP_ARCH_AARCH64) {
		extra[0] = SCMP_ARCH_ARM;
	} else if (native == SCMP_ARCH_S390X) {
		extra[0] = SCMP_ARCH_S390;
	} else if (native == SCMP_ARCH_PPC64) {
		extra[0] = SCMP_ARCH_PPC;
	}
	for (unsigned int i = 0; i < 2 && extra[i]; i++) {
		int rc = seccomp_arch_add(ctx, extra[i]);

		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	return 0;
}

static int deny(scmp_filter_ctx ctx, const char *name, bool strict, struct nsrun_err *err)
{
	int nr = seccomp_syscall_resolve_name(name);
	int rc;

	if (nr == __NR_SCMP_ERROR) {
		if (strict)
			return nsrun_err_set(err, EINVAL, "seccomp: %s: unknown system call", name);
		return 0;
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	if (rc < 0)
		return nsrun_err_sys(err, -rc, "seccomp: deny %s", name);
	return 0;
}

static int add_default_extras(scmp_filter_ctx ctx, struct nsrun_err *err)
{
	static const unsigned long tty_ioctls[] = { TIOCSTI, TIOCLINUX };
	int rc;

	for (size_t i = 0; i < sizeof(clone_ns_flags) / sizeof(clone_ns_flags[0]); i++) {
		uint64_t f = clone_ns_flags[i];

#if defined(__s390__) || defined(__s390x__)
		/* s390's clone() takes the stack first, the flags second. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, f, f));
#else
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				      SCMP_A0(SCMP_CMP_MASKED_EQ, f, f));
#endif
		if (rc < 0)
			return nsrun_err_sys(err, -rc, "seccomp: clone namespace flags");
	}
	rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (rc < 0)
		return nsrun_err_sys(err, -rc, "seccomp: clone3");
	for (size_t i = 0; i < sizeof(tty_ioctls) / sizeof(tty_ioctls[0]); i++) {
		/* The request is an int: compare the low 32 bits only. */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
				      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, tty_ioctls[i]));
		if (rc < 0)
			return nsrun_err_sys(err, -rc, "seccomp: terminal ioctls");
	}
	return 0;
}

int nsrun_seccomp_prepare(enum nsrun_seccomp_mode mode, const char *file,
			  struct nsrun_seccomp **out, struct nsrun_err *err)
{
	struct nsrun_seccomp_list list = { 0 };
	struct nsrun_seccomp *s;
	int rc = 0;

	*out = NULL;
	if (mode == NSRUN_SECCOMP_NONE || mode == NSRUN_SECCOMP_UNSET)
		return 0;
	if (mode == NSRUN_SECCOMP_FILE) {
		rc = read_list(file, &list, err);
		if (rc < 0)
			return rc;
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!s || !s->ctx) {
		free(s);
		nsrun_seccomp_list_free(&list);
		return nsrun_err_set(err, ENOMEM, "seccomp: cannot create a filter");
	}
	rc = add_arches(s->ctx);
	if (rc < 0)
		rc = nsrun_err_sys(err, -rc, "seccomp: add 32-bit architectures");
	if (mode == NSRUN_SECCOMP_DEFAULT) {
		for (const struct nsrun_seccomp_entry *e = nsrun_seccomp_default_profile;
		     rc == 0 && e->syscall; e++)
			rc = deny(s->ctx, e->syscall, false, err);
		if (rc == 0)
			rc = add_default_extras(s->ctx, err);
	} else {
		for (size_t i = 0; rc == 0 && i < list.n; i++)
			rc = deny(s->ctx, list.names[i], true, err);
	}
	nsrun_seccomp_list_free(&list);
	if (rc < 0) {
		nsrun_seccomp_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int nsrun_seccomp_load(struct nsrun_seccomp *s, struct nsrun_err *err)
{
	int rc;

	if (!s)
		return 0;
	rc = seccomp_load(s->ctx);
	if (rc < 0)
		return nsrun_err_sys(err, -rc, "seccomp: load the filter");
	return 0;
}

void nsrun_seccomp_free(struct nsrun_seccomp *s)
{
	if (!s)
		return;
	seccomp_release(s->ctx);
	free(s);
}
