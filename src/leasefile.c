/* SPDX-License-Identifier: MIT */
#include "nsrun/leasefile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/io.h"
#include "nsrun/privs.h"
#include "nsrun/launch.h" /* nsrun_fault_point (test builds) */

/* create: make the last component when missing; else -ENOENT, quietly. */
static int open_dir(const char *dir, bool create, struct nsrun_err *err)
{
	struct stat st;
	int fd;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && !create)
		return -ENOENT;
	if (fd < 0 && errno == ENOENT) {
		/* Only the last component: a missing parent is a typo, not a wish. */
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return nsrun_err_sys(err, errno, "state directory %s: create", dir);
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR) {
			struct stat lst;

			if (lstat(dir, &lst) == 0 && S_ISLNK(lst.st_mode))
				return nsrun_err_set(err, ELOOP,
						     "state directory %s: is a symbolic link", dir);
			return nsrun_err_set(err, ENOTDIR, "state directory %s: not a directory", dir);
		}
		return nsrun_err_sys(err, errno, "state directory %s", dir);
	}
	/* Checked on the opened descriptor, not the path: no race. */
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return nsrun_err_sys(err, e, "state directory %s", dir);
	}
	if (st.st_uid != nsrun_privs_fsuid()) {
		close(fd);
		return nsrun_err_set(err, EPERM, "state directory %s: owned by uid %u, not %u", dir,
				     (unsigned int)st.st_uid, (unsigned int)nsrun_privs_fsuid());
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		close(fd);
		return nsrun_err_set(err, EPERM,
				     "state directory %s: writable by group or others (mode %03o)", dir,
				     (unsigned int)(st.st_mode & 0777));
	}
	return fd;
}

int nsrun_leasefile_open_dir(const char *dir, struct nsrun_err *err)
{
	return open_dir(dir, true, err);
}

int nsrun_leasefile_open(struct nsrun_leasefile *lf, const char *dir, const char *bridge,
			 struct nsrun_err *err)
{
	char name[IFNAMSIZ + 16];
	struct stat st;
	int r;

	memset(lf, 0, sizeof(*lf));
	lf->dirfd = lf->lockfd = -1;
	snprintf(lf->bridge, sizeof(lf->bridge), "%s", bridge);
	snprintf(lf->path, sizeof(lf->path), "%s/%s.leases", dir, bridge);
	/* A user's nsrun keeps its state as root's (privs.h); until close. */
	r = nsrun_privs_state_enter(err);
	if (r < 0)
		return r;
	r = open_dir(dir, true, err);
	if (r < 0)
		goto fail;
	lf->dirfd = r;
	/* A lease file that cannot be one is refused before the lock file is
	 * created: a bad input leaves the state directory as it was.  (load
	 * checks the opened file again.) */
	snprintf(name, sizeof(name), "%s.leases", bridge);
	if (fstatat(lf->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode)) {
		r = S_ISLNK(st.st_mode)
			    ? nsrun_err_set(err, ELOOP, "lease file %s: is a symbolic link", lf->path)
			    : nsrun_err_set(err, EINVAL, "lease file %s: not a regular file", lf->path);
		goto fail;
	}
	snprintf(name, sizeof(name), "%s.lock", bridge);
	lf->lockfd = openat(lf->dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lf->lockfd < 0) {
		r = nsrun_err_sys(err, errno, "lock file %s/%s", dir, name);
		goto fail;
	}
	while (flock(lf->lockfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = nsrun_err_sys(err, errno, "lock file %s/%s: lock", dir, name);
			goto fail;
		}
	}
	nsrun_fault_point("lease-locked");
	return 0;
fail:
	nsrun_leasefile_close(lf);
	return r;
}

void nsrun_leasefile_close(struct nsrun_leasefile *lf)
{
	if (lf->lockfd >= 0)
		close(lf->lockfd); /* drops the flock */
	if (lf->dirfd >= 0)
		close(lf->dirfd);
	lf->lockfd = lf->dirfd = -1;
	nsrun_privs_state_leave();
}

int nsrun_leasefile_load(struct nsrun_leasefile *lf, struct nsrun_lease_table *t,
			 struct nsrun_err *err)
{
	char name[IFNAMSIZ + 16];
	struct stat st;
	size_t len = 0;
	char *buf = NULL;
	int fd, r;

	snprintf(name, sizeof(name), "%s.leases", lf->bridge);
	fd = openat(lf->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT) {
			lf->existed = false;
			nsrun_lease_table_init(t, lf->bridge);
			return 0;
		}
		if (errno == ELOOP)
			return nsrun_err_set(err, ELOOP, "lease file %s: is a symbolic link", lf->path);
		return nsrun_err_sys(err, errno, "lease file %s", lf->path);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return nsrun_err_set(err, EINVAL, "lease file %s: not a regular file", lf->path);
	}
	lf->existed = true;
	r = nsrun_io_read_all(fd, &buf, &len, NSRUN_LEASE_FILE_MAX);
	close(fd);
	if (r < 0)
		return nsrun_err_sys(err, -r, "lease file %s: read", lf->path);
	r = nsrun_lease_table_parse(t, lf->bridge, buf, len, err);
	free(buf);
	return r < 0 ? nsrun_err_ctx(err, "lease file %s", lf->path) : 0;
}

int nsrun_leasefile_save(struct nsrun_leasefile *lf, const struct nsrun_lease_table *t,
			 struct nsrun_err *err)
{
	char name[IFNAMSIZ + 16], tmp[IFNAMSIZ + 16];
	size_t len;
	char *buf;
	int fd, r;

	r = nsrun_lease_table_format(t, &buf, &len);
	if (r < 0)
		return nsrun_err_sys(err, -r, "lease file %s", lf->path);
	snprintf(name, sizeof(name), "%s.leases", lf->bridge);
	/* One writer at a time (we hold the lock), so a fixed name is safe; a
	 * leftover of a killed writer is simply truncated. */
	snprintf(tmp, sizeof(tmp), "%s.leases.tmp", lf->bridge);
	fd = openat(lf->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		r = nsrun_err_sys(err, errno, "lease file %s: create temporary", lf->path);
		free(buf);
		return r;
	}
	r = nsrun_io_write_all(fd, buf, len);
	free(buf);
	nsrun_fault_point("lease-tmp-written");
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	nsrun_fault_point("lease-tmp-synced");
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(lf->dirfd, tmp, lf->dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(lf->dirfd, tmp, 0);
		return nsrun_err_sys(err, -r, "lease file %s: write", lf->path);
	}
	lf->existed = true;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int nsrun_leasefile_bridges(const char *dir, char (**names)[IFNAMSIZ], size_t *n,
			    struct nsrun_err *err)
{
	char(*v)[IFNAMSIZ] = NULL;
	size_t cap = 0, len = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	/* The same checks as for a launch, as root (privs.h); a missing
	 * directory has no bridges. */
	fd = nsrun_privs_state_enter(err);
	if (fd == 0)
		fd = open_dir(dir, false, err);
	nsrun_privs_state_leave();
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		return nsrun_err_sys(err, e, "state directory %s", dir);
	}
	while ((errno = 0, de = readdir(d))) {
		const char *dot = strrchr(de->d_name, '.');
		size_t blen = dot ? (size_t)(dot - de->d_name) : 0;

		if (!dot || strcmp(dot, ".leases") || blen == 0 || blen >= IFNAMSIZ)
			continue;
		if (len == cap) {
			char(*nv)[IFNAMSIZ] = reallocarray(v, cap ? cap * 2 : 8, sizeof(*v));

			if (!nv) {
				free(v);
				closedir(d);
				return nsrun_err_sys(err, ENOMEM, "state directory %s", dir);
			}
			v = nv;
			cap = cap ? cap * 2 : 8;
		}
		memcpy(v[len], de->d_name, blen);
		v[len][blen] = '\0';
		/* Only names nsrun could have written. */
		if (!nsrun_ifname_invalid(v[len]))
			len++;
	}
	if (errno) {
		int e = errno;

		free(v);
		closedir(d);
		return nsrun_err_sys(err, e, "state directory %s: read", dir);
	}
	closedir(d);
	if (len > 1) /* v is NULL when there is none: qsort(NULL, 0) is undefined */
		qsort(v, len, sizeof(*v), cmp_name);
	*names = v;
	*n = len;
	return 0;
}
