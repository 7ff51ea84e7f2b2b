/* SPDX-License-Identifier: MIT */
/* The pure parts of the lifecycle modules: the --info-fd object, the
 * resolv.conf text, the RTM_GETNSID request. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/info.h"
#include "nsrun/netns.h"
#include "nsrun/resolv.h"

static void test_info_json(void **state)
{
	struct nsrun_info info = {
		.prefix_len = 16,
		.bridge = "nsrun0",
		.ifname = "eth0",
		.host_ifname = "nsr0a2f0002",
		.mac = { 0x02, 0x6e, 0x0a, 0x2f, 0x00, 0x02 },
		.pid = 4242,
		.name = "web1",
	};
	struct nsrun_json j;

	(void)state;
	assert_int_equal(nsrun_addr_parse("10.47.0.2", &info.addr), 0);
	assert_int_equal(nsrun_addr_parse("10.47.0.1", &info.gateway), 0);
	nsrun_json_init(&j);
	nsrun_info_json(&j, &info);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_string_equal(
		j.buf, "{\"address\":\"10.47.0.2\",\"prefix\":16,\"gateway\":\"10.47.0.1\","
		       "\"bridge\":\"nsrun0\",\"ifname\":\"eth0\",\"host_ifname\":\"nsr0a2f0002\","
		       "\"mac\":\"02:6e:0a:2f:00:02\",\"pid\":4242,\"name\":\"web1\"}\n");
	nsrun_json_free(&j);

	info.name = NULL;
	nsrun_json_init(&j);
	nsrun_info_json(&j, &info);
	assert_int_equal(nsrun_json_finish(&j), 0);
	assert_non_null(strstr(j.buf, ",\"name\":null}\n"));
	nsrun_json_free(&j);
}

static void test_resolv_format(void **state)
{
	struct nsrun_addr dns[3] = { 0 };
	char buf[256];

	(void)state;
	assert_int_equal(nsrun_addr_parse("192.0.2.53", &dns[0]), 0);
	dns[1].family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::53", &dns[1].u.v6), 1);
	assert_int_equal(nsrun_addr_parse("198.51.100.1", &dns[2]), 0);
	assert_int_equal(nsrun_resolv_format(dns, 3, buf, sizeof(buf)),
			 (int)strlen("# written by nsrun (--dns)\nnameserver 192.0.2.53\n"
				     "nameserver 2001:db8::53\nnameserver 198.51.100.1\n"));
	assert_string_equal(buf, "# written by nsrun (--dns)\nnameserver 192.0.2.53\n"
				 "nameserver 2001:db8::53\nnameserver 198.51.100.1\n");
	/* Too small a buffer is an error, never a truncated file. */
	assert_int_equal(nsrun_resolv_format(dns, 3, buf, 60), -ENOSPC);
	assert_int_equal(nsrun_resolv_format(dns, 0, buf, 10), -ENOSPC);
}

static int nsid_attr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_get_type(attr) <= NETNSA_MAX)
		tb[mnl_attr_get_type(attr)] = attr;
	return MNL_CB_OK;
}

static void test_getnsid_request(void **state)
{
	char buf[256] __attribute__((aligned(4)));
	const struct nlattr *tb[NETNSA_MAX + 1] = { NULL };
	struct nlmsghdr *nlh;
	const struct rtgenmsg *g;
	int n = 0;

	(void)state;
	nlh = nsrun_netns_build_getnsid(buf, sizeof(buf), 77, 9);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_type, RTM_GETNSID);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 77);
	g = mnl_nlmsg_get_payload(nlh);
	assert_int_equal(g->rtgen_family, AF_UNSPEC);
	assert_int_equal(mnl_attr_parse(nlh, sizeof(*g), nsid_attr_cb, tb), MNL_CB_OK);
	for (int i = 0; i <= NETNSA_MAX; i++)
		n += tb[i] != NULL;
	assert_int_equal(n, 1);
	assert_non_null(tb[NETNSA_FD]);
	assert_int_equal(mnl_attr_get_u32(tb[NETNSA_FD]), 9);
	/* No room: no request. */
	assert_null(nsrun_netns_build_getnsid(buf, 20, 1, 9));
	assert_null(nsrun_netns_build_getnsid(buf, 12, 1, 9));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info_json),
		cmocka_unit_test(test_resolv_format),
		cmocka_unit_test(test_getnsid_request),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
