/* SPDX-License-Identifier: MIT */
/*
 * The netlink contract: every request nsrun builds asks for an ack (or is a
 * dump, which ends in NLMSG_DONE); a batch refuses a request that is not at
 * its tail or carries the wrong sequence number; replies are matched to
 * requests by sequence number, so a failure is labelled with the request
 * that failed and leaves nothing behind for the next batch.  The kernel
 * part only reads (RTM_GETLINK/GETADDR of lo): no privilege, no change.
 */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nsrun/ipconf.h"
#include "nsrun/link.h"
#include "nsrun/nl.h"

#define BUF 1024

static void check_acked(struct nlmsghdr *nlh, uint32_t seq)
{
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_seq, seq);
	assert_true(nlh->nlmsg_flags & NLM_F_REQUEST);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
}

static void test_every_request_acked(void **state)
{
	char buf[BUF] __attribute__((aligned(4)));
	struct nsrun_veth_req req = { .host_name = "nsr0a000002", .peer_name = "eth0",
				      .master = 3, .netns_pid = 1 };
	struct nsrun_prefix p = { .addr = nsrun_addr_v4(0x0a000002), .len = 24 };
	uint8_t mac[NSRUN_MAC_LEN] = { 2, 0, 0, 0, 0, 1 };
	struct nlmsghdr *nlh;

	(void)state;
	check_acked(nsrun_link_build_veth(buf, BUF, 1, &req), 1);
	check_acked(nsrun_link_build_alias(buf, BUF, 2, "nsr0a000002", "nsrun 1 x"), 2);
	check_acked(nsrun_link_build_up(buf, BUF, 3, 4), 3);
	check_acked(nsrun_link_build_arp_notify(buf, BUF, 4, 4), 4);
	check_acked(nsrun_link_build_set_mac(buf, BUF, 5, 4, mac), 5);
	check_acked(nsrun_link_build_bridge(buf, BUF, 6, "br1", mac), 6);
	check_acked(nsrun_link_build_get(buf, BUF, 7, "br1"), 7);
	check_acked(nsrun_ipconf_build_addr(buf, BUF, 8, 4, &p), 8);
	check_acked(nsrun_ipconf_build_default_route(buf, BUF, 9, 4, &p.addr), 9);
	/* Dumps end in NLMSG_DONE, which the batch waits for instead. */
	nlh = nsrun_link_build_port_dump(buf, BUF, 10, 3);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
	nlh = nsrun_ipconf_build_addr_dump(buf, BUF, 11);
	assert_non_null(nlh);
	assert_int_equal(nlh->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
	/* A request that does not fit is not built (and fails the batch). */
	assert_null(nsrun_link_build_veth(buf, 40, 1, &req));
	assert_null(nsrun_link_build_get(buf, 8, 1, "br1"));
}

static void test_batch_rules(void **state)
{
	char buf[BUF] __attribute__((aligned(4)));
	struct nsrun_nl nl = { .seq = 41 };
	struct nsrun_nl_batch b;
	size_t room;
	void *tail;

	(void)state;
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	assert_int_equal(nsrun_nl_batch_seq(&b), 42);
	assert_int_equal(nsrun_nl_batch_push(&b, NULL, "nothing"), -EMSGSIZE);
	tail = nsrun_nl_batch_tail(&b, &room);
	assert_int_equal(room, sizeof(buf));
	/* Wrong sequence number. */
	assert_int_equal(nsrun_nl_batch_push(&b, nsrun_link_build_up(tail, room, 7, 1), "up"),
			 -EINVAL);
	assert_int_equal(nsrun_nl_batch_push(&b, nsrun_link_build_up(tail, room, 42, 1), "up"), 0);
	/* Not at the tail. */
	assert_int_equal(nsrun_nl_batch_push(&b, nsrun_link_build_up(buf, sizeof(buf), 43, 1), "up"),
			 -EINVAL);
	while (b.count < NSRUN_NL_BATCH_MAX) {
		tail = nsrun_nl_batch_tail(&b, &room);
		assert_int_equal(nsrun_nl_batch_push(&b, nsrun_link_build_up(tail, room,
									    nsrun_nl_batch_seq(&b), 1),
						     "up"),
				 0);
	}
	tail = nsrun_nl_batch_tail(&b, &room);
	assert_int_equal(nsrun_nl_batch_push(&b, nsrun_link_build_up(tail, room,
								    nsrun_nl_batch_seq(&b), 1),
					     "one too many"),
			 -EMSGSIZE);
}

struct seen {
	unsigned int links, addrs;
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;

	if (nlh->nlmsg_type == RTM_NEWLINK)
		s->links++;
	else if (nlh->nlmsg_type == RTM_NEWADDR)
		s->addrs++;
	return 0;
}

static int push_get(struct nsrun_nl_batch *b, const char *name, const char *what)
{
	size_t room;
	void *tail = nsrun_nl_batch_tail(b, &room);

	return nsrun_nl_batch_push(b, nsrun_link_build_get(tail, room, nsrun_nl_batch_seq(b), name),
				   what);
}

static void test_kernel_acks_matched(void **state)
{
	char buf[BUF] __attribute__((aligned(4)));
	struct nsrun_nl nl;
	struct nsrun_nl_batch b;
	struct nsrun_err err = { 0 };
	struct nsrun_bridge br;
	struct seen s = { 0 };
	size_t room;
	void *tail;

	(void)state;
	assert_int_equal(nsrun_nl_open(&nl, &err), 0);
	/* Three requests, the middle one fails: its label, its errno. */
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	assert_int_equal(push_get(&b, "lo", "first"), 0);
	assert_int_equal(push_get(&b, "nsrunnosuch0", "second"), 0);
	assert_int_equal(push_get(&b, "lo", "third"), 0);
	assert_int_equal(nsrun_nl_batch_run(&nl, &b, count_cb, &s, &err), -ENODEV);
	assert_true(!strncmp(err.msg, "second: No such device", 22));
	/* Replies after the failure are drained, not handed on. */
	assert_int_equal(s.links, 1);
	/* Every ack of that batch was read: the next batch sees only its own. */
	memset(&s, 0, sizeof(s));
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	assert_int_equal(nsrun_nl_batch_push(&b, nsrun_ipconf_build_addr_dump(tail, room,
									     nsrun_nl_batch_seq(&b)),
					     "dump"),
			 0);
	assert_int_equal(push_get(&b, "lo", "get"), 0);
	assert_int_equal(nsrun_nl_batch_run(&nl, &b, count_cb, &s, &err), 0);
	assert_int_equal(s.links, 1);
	assert_true(s.addrs >= 1); /* lo's 127.0.0.1, in the same round trip */
	/* A refusal comes back with the kernel's own words (extended ack). */
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	tail = nsrun_nl_batch_tail(&b, &room);
	{
		struct nlmsghdr *nlh = nsrun_link_build_get(tail, room, nsrun_nl_batch_seq(&b), "lo");

		/* Strict checking: a get must not carry flags. */
		((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_flags = IFF_UP;
		assert_int_equal(nsrun_nl_batch_push(&b, nlh, "bad look up"), 0);
	}
	assert_int_equal(nsrun_nl_batch_run(&nl, &b, NULL, NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "bad look up: Invalid argument: "
				     "Invalid values in header for get link request");
	/* An empty batch sends nothing. */
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	assert_int_equal(nsrun_nl_batch_run(&nl, &b, NULL, NULL, &err), 0);

	/* The link helpers on the same socket. */
	assert_int_equal(nsrun_link_ifindex(&nl, "lo"), 1);
	assert_int_equal(nsrun_link_ifindex(&nl, "nsrunnosuch0"), 0);
	assert_int_equal(nsrun_link_bridge_get(&nl, "lo", &br, &err), -ENOTTY);
	assert_string_equal(err.msg, "bridge lo: not a bridge (a plain device)");
	assert_int_equal(nsrun_link_bridge_get(&nl, "nsrunnosuch0", &br, &err), -ENODEV);
	assert_string_equal(err.msg, "bridge nsrunnosuch0: does not exist");
	assert_true(nsrun_link_peer_netns_alive(&nl, 1)); /* not a veth: "alive" */
	assert_false(nsrun_link_peer_netns_alive(&nl, 0x7ffffff0));
	nsrun_nl_close(&nl);
	nsrun_nl_close(&nl); /* idempotent */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_request_acked),
		cmocka_unit_test(test_batch_rules),
		cmocka_unit_test(test_kernel_acks_matched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
