/* SPDX-License-Identifier: MIT */
#include "nsrun/io.h"

#include <errno.h>
#include <unistd.h>

int nsrun_io_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}
