/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_IO_H
#define NSRUN_IO_H

#include <stddef.h>

/* Writes all len bytes (retrying short writes and EINTR); 0 or -errno. */
int nsrun_io_write_all(int fd, const char *buf, size_t len);

#endif
