/* SPDX-License-Identifier: MIT */
/* --lo-addr: its parsing and refusals, and the interface settings request
 * (arp_notify alone, or with arp_ignore and arp_announce) walked back. */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/cli.h"
#include "cli_args.h"
#include "nsrun/link.h"

static void lo_addrs_parse(void **state)
{
	char buf[NSRUN_PREFIX_STRLEN];
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(parse_args(&cfg, &err, "true", NULL), 0);
	assert_int_equal(cfg.n_lo_addrs, 0);
	assert_int_equal(parse_args(&cfg, &err, "--lo-addr", "10.99.0.1", "--lo-addr", "10.98.0.5/24",
			       "true", NULL),
			 0);
	assert_int_equal(cfg.n_lo_addrs, 2);
	nsrun_prefix_format(&cfg.lo_addrs[0], buf);
	assert_string_equal(buf, "10.99.0.1/32"); /* /32 unless told */
	nsrun_prefix_format(&cfg.lo_addrs[1], buf);
	assert_string_equal(buf, "10.98.0.5/24");
}

static void lo_addrs_refused(void **state)
{
	static const struct {
		const char *arg, *msg;
	} cases[] = {
		{ "vip", "--lo-addr vip: not an IPv4 address (expected A.B.C.D or A.B.C.D/N)" },
		{ "10.0.0.1/33", "--lo-addr 10.0.0.1/33: not an IPv4 address (expected A.B.C.D or A.B.C.D/N)" },
		{ "10.0.0.1/0", "--lo-addr 10.0.0.1/0: not an IPv4 address (expected A.B.C.D or A.B.C.D/N)" },
		{ "10.0.0.1/", "--lo-addr 10.0.0.1/: not an IPv4 address (expected A.B.C.D or A.B.C.D/N)" },
		{ "127.0.0.2", "--lo-addr 127.0.0.2: a loopback address (lo has 127.0.0.0/8 already)" },
		{ "0.0.0.0", "--lo-addr 0.0.0.0: not a unicast address" },
		{ "224.0.0.5", "--lo-addr 224.0.0.5: not a unicast address" },
		{ "255.255.255.255", "--lo-addr 255.255.255.255: not a unicast address" },
	};
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse_args(&cfg, &err, "--lo-addr", cases[i].arg, "true", NULL), -EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
	}
	assert_int_equal(parse_args(&cfg, &err, "--lo-addr", "10.0.0.1", "--lo-addr", "10.0.0.1/24",
			       "true", NULL),
			 -EINVAL);
	assert_string_equal(err.msg, "--lo-addr 10.0.0.1/24: given twice");
	assert_int_equal(parse_args(&cfg, &err, "--lo-addr", "10.0.0.1", "--lo-addr", "10.0.0.2",
			       "--lo-addr", "10.0.0.3", "--lo-addr", "10.0.0.4", "--lo-addr",
			       "10.0.0.5", "--lo-addr", "10.0.0.6", "--lo-addr", "10.0.0.7",
			       "--lo-addr", "10.0.0.8", "--lo-addr", "10.0.0.9", "true", NULL),
			 -EINVAL);
	assert_string_equal(err.msg, "--lo-addr 10.0.0.9: more than 8 --lo-addr");
}

struct conf_walk {
	uint32_t value[IPV4_DEVCONF_MAX + 1];
	unsigned int count;
};

static int conf_cb(const struct nlattr *attr, void *data)
{
	struct conf_walk *w = data;
	uint16_t type = mnl_attr_get_type(attr);

	assert_true(type >= 1 && type <= IPV4_DEVCONF_MAX);
	assert_int_equal(mnl_attr_validate(attr, MNL_TYPE_U32), 0);
	w->value[type] = mnl_attr_get_u32(attr);
	w->count++;
	return MNL_CB_OK;
}

static const struct nlattr *only_nested(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a, *found = NULL;

	mnl_attr_for_each_nested(a, nest) {
		assert_null(found);
		assert_int_equal(mnl_attr_get_type(a), type);
		found = a;
	}
	assert_non_null(found);
	return found;
}

static void walk_conf(const void *buf, int ifindex, struct conf_walk *w)
{
	const struct nlmsghdr *nlh = buf;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *af = NULL;

	memset(w, 0, sizeof(*w));
	assert_int_equal(nlh->nlmsg_type, RTM_NEWLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(ifm->ifi_index, ifindex);
	assert_int_equal(ifm->ifi_change, 0); /* flags untouched */
	mnl_attr_for_each(a, nlh, sizeof(*ifm)) {
		assert_null(af);
		assert_int_equal(mnl_attr_get_type(a), IFLA_AF_SPEC);
		af = a;
	}
	assert_non_null(af);
	a = only_nested(only_nested(af, AF_INET), IFLA_INET_CONF);
	assert_int_equal(mnl_attr_parse_nested(a, conf_cb, w), MNL_CB_OK);
}

static void devconf_requests(void **state)
{
	static const struct nsrun_devconf dsr[] = {
		{ IPV4_DEVCONF_ARP_NOTIFY, 1 },
		{ IPV4_DEVCONF_ARP_IGNORE, 1 },
		{ IPV4_DEVCONF_ARP_ANNOUNCE, 2 },
	};
	char buf[512] __attribute__((aligned(4)));
	struct conf_walk w;

	(void)state;
	assert_non_null(nsrun_link_build_inet_conf(buf, sizeof(buf), 3, 4, dsr, 3));
	walk_conf(buf, 4, &w);
	assert_int_equal(w.count, 3);
	assert_int_equal(w.value[IPV4_DEVCONF_ARP_NOTIFY], 1);
	assert_int_equal(w.value[IPV4_DEVCONF_ARP_IGNORE], 1);
	assert_int_equal(w.value[IPV4_DEVCONF_ARP_ANNOUNCE], 2);

	assert_non_null(nsrun_link_build_arp_notify(buf, sizeof(buf), 3, 6));
	walk_conf(buf, 6, &w);
	assert_int_equal(w.count, 1);
	assert_int_equal(w.value[IPV4_DEVCONF_ARP_NOTIFY], 1);

	for (size_t room = 0; room < ((struct nlmsghdr *)buf)->nlmsg_len; room++)
		assert_null(nsrun_link_build_arp_notify(buf + 256, room, 3, 6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lo_addrs_parse),
		cmocka_unit_test(lo_addrs_refused),
		cmocka_unit_test(devconf_requests),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
