/* SPDX-License-Identifier: MIT */
#include "nsrun/resolv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsrun/io.h"
#include "nsrun/log.h"

int nsrun_resolv_format(const struct nsrun_addr *dns, unsigned int n, char *buf, size_t size)
{
	size_t len;
	int w;

	w = snprintf(buf, size, "# written by nsrun (--dns)\n");
	if (w < 0 || (size_t)w >= size)
		return -ENOSPC;
	len = (size_t)w;
	for (unsigned int i = 0; i < n; i++) {
		char a[NSRUN_ADDR_STRLEN];

		nsrun_addr_format(&dns[i], a);
		w = snprintf(buf + len, size - len, "nameserver %s\n", a);
		if (w < 0 || (size_t)w >= size - len)
			return -ENOSPC;
		len += (size_t)w;
	}
	return (int)len;
}

/* As `ip netns exec`: each file of /etc/netns/NAME over /etc/<file>. */
static int bind_etc_netns(const char *netns, struct nsrun_err *err)
{
	char dir[sizeof(NSRUN_ETC_NETNS_DIR) + NAME_MAX + 2];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), NSRUN_ETC_NETNS_DIR "/%s", netns);
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : nsrun_err_sys(err, errno, "%s", dir);
	while ((de = readdir(d))) {
		char src[sizeof(dir) + NAME_MAX + 1], dst[sizeof("/etc/") + NAME_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, de->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", de->d_name);
		/* As iproute2: a file without a namesake is skipped, with a word. */
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
			nsrun_log_warn("bind %s over %s: %s", src, dst, strerror(errno));
	}
	closedir(d);
	return 0;
}

static int bind_resolv_conf(const struct nsrun_addr *dns, unsigned int n, const char *scratch,
			    struct nsrun_err *err)
{
	char text[64 + 64 * NSRUN_ADDR_STRLEN], path[PATH_MAX];
	int fd, len, r;

	len = nsrun_resolv_format(dns, n, text, sizeof(text));
	if (len < 0)
		return nsrun_err_sys(err, -len, "--dns");
	if (snprintf(path, sizeof(path), "%s/resolv.conf", scratch) >= (int)sizeof(path))
		return nsrun_err_set(err, ENAMETOOLONG, "--dns: %s: path too long", scratch);
	/* scratch exists (a directory nsrun just used); this mount namespace
	 * is a slave, so nobody else ever sees this tmpfs over it. */
	if (mount("nsrun", scratch, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=16k,nr_inodes=4,mode=0755") < 0)
		return nsrun_err_sys(err, errno, "--dns: mount a tmpfs on %s", scratch);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	r = fd < 0 ? -errno : nsrun_io_write_all(fd, text, (size_t)len);
	if (fd >= 0 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0) {
		umount2(scratch, MNT_DETACH);
		return nsrun_err_sys(err, -r, "--dns: write %s", path);
	}
	if (mount(path, "/etc/resolv.conf", NULL, MS_BIND, NULL) < 0)
		r = -errno;
	/* The bind mount keeps the file; the tmpfs leaves the scratch dir. */
	umount2(scratch, MNT_DETACH);
	if (r == -ENOENT)
		return nsrun_err_set(
			err, ENOENT,
			"--dns: /etc/resolv.conf: does not exist (a bind mount needs it)");
	return r < 0 ? nsrun_err_sys(err, -r, "--dns: /etc/resolv.conf") : 0;
}

int nsrun_resolv_setup(const char *netns, const struct nsrun_addr *dns, unsigned int n,
		       const char *scratch, struct nsrun_err *err)
{
	int r = 0;

	if (netns)
		r = bind_etc_netns(netns, err);
	if (r == 0 && n)
		r = bind_resolv_conf(dns, n, scratch, err);
	return r;
}
