/* SPDX-License-Identifier: MIT */
#include "nsrun/info.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "nsrun/io.h"

void nsrun_info_json(struct nsrun_json *j, const struct nsrun_info *info)
{
	char addr[NSRUN_ADDR_STRLEN], gw[NSRUN_ADDR_STRLEN], mac[NSRUN_MAC_STRLEN];

	nsrun_addr_format(&info->addr, addr);
	nsrun_addr_format(&info->gateway, gw);
	nsrun_mac_format(info->mac, mac);
	nsrun_json_object_begin(j);
	nsrun_json_key(j, "address");
	nsrun_json_string(j, addr);
	nsrun_json_key(j, "prefix");
	nsrun_json_int(j, info->prefix_len);
	nsrun_json_key(j, "gateway");
	nsrun_json_string(j, gw);
	nsrun_json_key(j, "bridge");
	nsrun_json_string(j, info->bridge);
	nsrun_json_key(j, "ifname");
	nsrun_json_string(j, info->ifname);
	nsrun_json_key(j, "host_ifname");
	nsrun_json_string(j, info->host_ifname);
	nsrun_json_key(j, "mac");
	nsrun_json_string(j, mac);
	nsrun_json_key(j, "pid");
	nsrun_json_int(j, info->pid);
	nsrun_json_key(j, "name");
	nsrun_json_string_or_null(j, info->name);
	nsrun_json_object_end(j);
}

int nsrun_info_check(int fd, struct nsrun_err *err)
{
	int flags = fcntl(fd, F_GETFD);

	/* Close-on-exec: whatever happens, the target never inherits it. */
	if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
		return nsrun_err_sys(err, errno, "--info-fd %d", fd);
	return 0;
}

int nsrun_info_write(int fd, const struct nsrun_info *info, struct nsrun_err *err)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	struct nsrun_json j;
	int r;

	nsrun_json_init(&j);
	nsrun_info_json(&j, info);
	r = nsrun_json_finish(&j);
	if (r < 0) {
		nsrun_json_free(&j);
		close(fd);
		return nsrun_err_sys(err, -r, "--info-fd %d", fd);
	}
	/* A reader that went away is EPIPE, not a SIGPIPE that kills nsrun
	 * half-way; the disposition is restored, since the target inherits it. */
	sigaction(SIGPIPE, &ign, &old);
	r = nsrun_io_write_all(fd, j.buf, j.len);
	sigaction(SIGPIPE, &old, NULL);
	nsrun_json_free(&j);
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	return r < 0 ? nsrun_err_sys(err, -r, "--info-fd %d: write", fd) : 0;
}
