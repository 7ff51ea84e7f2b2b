/* SPDX-License-Identifier: MIT */
#include "nsrun/privs.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/capability.h>

const int nsrun_privs_default_caps[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FSETID,           CAP_FOWNER,      CAP_MKNOD,
	CAP_NET_RAW, CAP_SETGID,      CAP_SETUID,           CAP_SETFCAP,     CAP_SETPCAP,
	CAP_NET_BIND_SERVICE,         CAP_SYS_CHROOT,       CAP_KILL,        CAP_AUDIT_WRITE,
};
const unsigned int nsrun_privs_default_ncaps =
	sizeof(nsrun_privs_default_caps) / sizeof(nsrun_privs_default_caps[0]);

static void free_cap(cap_t *c)
{
	if (*c)
		cap_free(*c);
}

int nsrun_privs_check(struct nsrun_err *err)
{
	__attribute__((cleanup(free_cap))) cap_t c = cap_get_proc();
	cap_flag_value_t net = CAP_CLEAR, sys = CAP_CLEAR;

	if (!c)
		return nsrun_err_sys(err, errno, "capabilities: read");
	cap_get_flag(c, CAP_NET_ADMIN, CAP_EFFECTIVE, &net);
	cap_get_flag(c, CAP_SYS_ADMIN, CAP_EFFECTIVE, &sys);
	if (net != CAP_SET || sys != CAP_SET)
		return nsrun_err_set(err, EPERM,
				     "permission denied: needs CAP_NET_ADMIN and CAP_SYS_ADMIN "
				     "(run it as root, e.g. with sudo)");
	return 0;
}

static bool is_default(int cap)
{
	for (unsigned int i = 0; i < nsrun_privs_default_ncaps; i++)
		if (nsrun_privs_default_caps[i] == cap)
			return true;
	return false;
}

int nsrun_privs_drop(struct nsrun_err *err)
{
	__attribute__((cleanup(free_cap))) cap_t c = NULL;
	int last = (int)cap_max_bits();

	/* The bounding set caps what any later execve can regain: after it,
	 * even a setuid-root binary cannot reach CAP_NET_ADMIN. */
	for (int cap = 0; cap < last; cap++) {
		if (!is_default(cap) && cap_drop_bound((cap_value_t)cap) < 0 && errno != EINVAL)
			return nsrun_err_sys(err, errno, "capabilities: drop %s from the bounding set",
					     cap_to_name((cap_value_t)cap));
	}
	c = cap_init();
	if (!c)
		return nsrun_err_sys(err, errno, "capabilities");
	if (cap_set_flag(c, CAP_PERMITTED, (int)nsrun_privs_default_ncaps,
			 (const cap_value_t *)nsrun_privs_default_caps, CAP_SET) < 0 ||
	    cap_set_flag(c, CAP_EFFECTIVE, (int)nsrun_privs_default_ncaps,
			 (const cap_value_t *)nsrun_privs_default_caps, CAP_SET) < 0)
		return nsrun_err_sys(err, errno, "capabilities");
	if (cap_set_proc(c) < 0)
		return nsrun_err_sys(err, errno, "capabilities: set");
	/* No ambient capabilities, so nothing survives exec for a non-root uid. */
	if (CAP_AMBIENT_SUPPORTED() && cap_reset_ambient() < 0)
		return nsrun_err_sys(err, errno, "capabilities: clear ambient set");
	return 0;
}
