/* SPDX-License-Identifier: MIT */
/*
 * nat.c's builders, walked back message by message with libnftnl's own
 * parsers (the kernel's attribute layout), the recognition of a present rule
 * set, and the --nat / --nat-off options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "nsrun/cli.h"
#include "nsrun/nat.h"

#define MSG(t) ((NFNL_SUBSYS_NFTABLES << 8) | (t))

struct built {
	char buf[NSRUN_NL_BUFSZ] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl nl;
	struct nsrun_nl_batch b;
	const struct nlmsghdr *msg[NSRUN_NL_BATCH_MAX];
	unsigned int n;
};

static void spec_for(struct nsrun_nat_spec *s, const char *bridge, const char *gw)
{
	struct nsrun_prefix p;

	assert_int_equal(nsrun_prefix_parse(gw, &p, false), 0);
	assert_int_equal(nsrun_nat_spec_init(s, bridge, &p), 0);
}

static void start(struct built *x)
{
	memset(x, 0, sizeof(*x));
	x->nl.seq = 41;
	nsrun_nl_batch_init(&x->b, &x->nl, x->buf, sizeof(x->buf));
}

/* Splits the batch into its messages; checks what every message shares. */
static void walk(struct built *x)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)x->buf;
	int len = (int)x->b.len;

	x->n = 0;
	while (mnl_nlmsg_ok(nlh, len)) {
		const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(nlh);

		assert_true(x->n < NSRUN_NL_BATCH_MAX);
		assert_int_equal(nlh->nlmsg_seq, 42 + x->n);
		assert_true(nlh->nlmsg_flags & NLM_F_REQUEST);
		assert_int_equal(nfg->version, NFNETLINK_V0);
		/* At most half the room each message is built in (nat.c). */
		assert_true(nlh->nlmsg_len < 1024);
		x->msg[x->n++] = nlh;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	assert_int_equal(len, 0);
	assert_int_equal(x->n, x->b.count);
}

/* An nftables transaction: begin ... end, never acked; the rest acked. */
static void assert_transaction(const struct built *x)
{
	const struct nlmsghdr *first = x->msg[0], *last = x->msg[x->n - 1];
	const struct nfgenmsg *nfg = mnl_nlmsg_get_payload(first);

	assert_int_equal(first->nlmsg_type, NFNL_MSG_BATCH_BEGIN);
	assert_int_equal(ntohs(nfg->res_id), NFNL_SUBSYS_NFTABLES);
	assert_int_equal(last->nlmsg_type, NFNL_MSG_BATCH_END);
	assert_false(first->nlmsg_flags & NLM_F_ACK);
	assert_false(last->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(x->b.nnoack, 2);
	for (unsigned int i = 1; i + 1 < x->n; i++) {
		nfg = mnl_nlmsg_get_payload(x->msg[i]);
		assert_true(x->msg[i]->nlmsg_flags & NLM_F_ACK);
		assert_int_equal(nfg->nfgen_family, NFPROTO_IPV4);
	}
}

static struct nftnl_chain *chain_of(const struct nlmsghdr *nlh)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	assert_non_null(c);
	assert_int_equal(nftnl_chain_nlmsg_parse(nlh, c), 0);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), "nsrun");
	return c;
}

static struct nftnl_rule *rule_of(const struct nlmsghdr *nlh, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	assert_non_null(r);
	assert_int_equal(nftnl_rule_nlmsg_parse(nlh, r), 0);
	assert_string_equal(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), "nsrun");
	assert_string_equal(nftnl_rule_get_str(r, NFTNL_RULE_CHAIN), chain);
	assert_false(nftnl_rule_is_set(r, NFTNL_RULE_HANDLE));
	return r;
}

/* "payload bitwise cmp ..." */
static void expr_names(const struct nftnl_rule *r, char *out, size_t size,
		       struct nftnl_expr **exprs, unsigned int max)
{
	struct nftnl_expr_iter *it = nftnl_expr_iter_create(r);
	struct nftnl_expr *e;
	unsigned int n = 0;

	out[0] = '\0';
	assert_non_null(it);
	while ((e = nftnl_expr_iter_next(it))) {
		size_t len = strlen(out);

		snprintf(out + len, size - len, "%s%s", len ? " " : "",
			 nftnl_expr_get_str(e, NFTNL_EXPR_NAME));
		if (n < max)
			exprs[n++] = e;
	}
	nftnl_expr_iter_destroy(it);
}

/* The ensure batch for s, built and split into its messages. */
static struct built *ensure_batch(const struct nsrun_nat_spec *s)
{
	struct built *x = malloc(sizeof(*x));

	assert_non_null(x);
	start(x);
	assert_int_equal(nsrun_nat_build_ensure(&x->b, s), 0);
	walk(x);
	return x;
}

/* A rule message read back: its expressions, and their names in a line. */
struct rule_view {
	struct nftnl_rule *r;
	struct nftnl_expr *e[16];
	char names[256];
};

static void view(struct rule_view *v, const struct nlmsghdr *nlh, const char *chain)
{
	v->r = rule_of(nlh, chain);
	expr_names(v->r, v->names, sizeof(v->names), v->e, 16);
}

static void assert_data(const struct nftnl_expr *e, uint16_t attr, const void *want,
			uint32_t want_len)
{
	uint32_t len = 0;
	const void *got = nftnl_expr_get(e, attr, &len);

	assert_non_null(got);
	assert_int_equal(len, want_len);
	assert_memory_equal(got, want, want_len);
}

static void assert_ifname(const struct nftnl_expr *meta, const struct nftnl_expr *cmp, uint32_t key,
			  uint32_t op, const char *name)
{
	char padded[IFNAMSIZ] = { 0 };

	strcpy(padded, name);
	assert_int_equal(nftnl_expr_get_u32(meta, NFTNL_EXPR_META_KEY), key);
	assert_int_equal(nftnl_expr_get_u32(cmp, NFTNL_EXPR_CMP_OP), op);
	assert_data(cmp, NFTNL_EXPR_CMP_DATA, padded, IFNAMSIZ);
}

static void assert_prefix(const struct nftnl_expr *payload, const struct nftnl_expr *bitwise,
			  const struct nftnl_expr *cmp, uint32_t offset, const char *mask,
			  const char *net)
{
	struct in_addr m, a;

	assert_int_equal(inet_pton(AF_INET, mask, &m), 1);
	assert_int_equal(inet_pton(AF_INET, net, &a), 1);
	assert_int_equal(nftnl_expr_get_u32(payload, NFTNL_EXPR_PAYLOAD_BASE),
			 NFT_PAYLOAD_NETWORK_HEADER);
	assert_int_equal(nftnl_expr_get_u32(payload, NFTNL_EXPR_PAYLOAD_OFFSET), offset);
	assert_int_equal(nftnl_expr_get_u32(payload, NFTNL_EXPR_PAYLOAD_LEN), 4);
	assert_data(bitwise, NFTNL_EXPR_BITWISE_MASK, &m, 4);
	assert_int_equal(nftnl_expr_get_u32(cmp, NFTNL_EXPR_CMP_OP), NFT_CMP_EQ);
	assert_data(cmp, NFTNL_EXPR_CMP_DATA, &a, 4);
}

static void test_spec(void **state)
{
	struct nsrun_nat_spec s;
	struct nsrun_prefix p;
	char net[NSRUN_PREFIX_STRLEN];

	(void)state;
	spec_for(&s, "br1", "192.168.1.10/24");
	nsrun_prefix_format(&s.subnet, net);
	assert_string_equal(net, "192.168.1.0/24");
	assert_string_equal(s.post_chain, "postrouting-br1");
	assert_string_equal(s.fwd_chain, "forward-br1");
	assert_string_equal(s.tag[NSRUN_NAT_MASQ], "nsrun br1 192.168.1.0/24 masquerade");
	assert_string_equal(s.tag[NSRUN_NAT_FWD_OUT], "nsrun br1 192.168.1.0/24 forward out");
	assert_string_equal(s.tag[NSRUN_NAT_FWD_BACK], "nsrun br1 192.168.1.0/24 forward back");

	/* The longest bridge name fits every name. */
	spec_for(&s, "abcdefghijklmno", "10.47.0.1/16");
	assert_string_equal(s.post_chain, "postrouting-abcdefghijklmno");

	assert_int_equal(nsrun_prefix_parse("10.0.0.1/8", &p, false), 0);
	assert_int_equal(nsrun_nat_spec_init(&s, "abcdefghijklmnop", &p), -EINVAL);
	assert_int_equal(nsrun_nat_spec_init(&s, "", &p), -EINVAL);
	p.addr.family = AF_INET6;
	assert_int_equal(nsrun_nat_spec_init(&s, "br1", &p), -EAFNOSUPPORT);
}

static void test_ensure_batch(void **state)
{
	static const uint16_t types[] = {
		NFNL_MSG_BATCH_BEGIN, MSG(NFT_MSG_NEWTABLE), MSG(NFT_MSG_NEWCHAIN),
		MSG(NFT_MSG_DELRULE), MSG(NFT_MSG_NEWRULE),  MSG(NFT_MSG_NEWCHAIN),
		MSG(NFT_MSG_DELRULE), MSG(NFT_MSG_NEWRULE),  MSG(NFT_MSG_NEWRULE),
		NFNL_MSG_BATCH_END,
	};
	struct nsrun_nat_spec s;
	struct nftnl_table *t;
	struct nftnl_chain *c;
	struct rule_view v;
	struct built *x;

	(void)state;
	spec_for(&s, "br1", "192.168.1.10/24");
	x = ensure_batch(&s);
	assert_int_equal(x->n, sizeof(types) / sizeof(types[0]));
	for (unsigned int i = 0; i < x->n; i++)
		assert_int_equal(x->msg[i]->nlmsg_type, types[i]);
	assert_transaction(x);

	/* Table and chains: created when missing, accepted when present. */
	for (unsigned int i = 1; i < 6; i += i == 1 ? 1 : 3) {
		assert_true(x->msg[i]->nlmsg_flags & NLM_F_CREATE);
		assert_false(x->msg[i]->nlmsg_flags & (NLM_F_EXCL | NLM_F_REPLACE));
	}
	t = nftnl_table_alloc();
	assert_int_equal(nftnl_table_nlmsg_parse(x->msg[1], t), 0);
	assert_string_equal(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "nsrun");
	nftnl_table_free(t);

	c = chain_of(x->msg[2]);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "postrouting-br1");
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "nat");
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), NF_INET_POST_ROUTING);
	assert_int_equal(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), 100);
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY), NF_ACCEPT);
	nftnl_chain_free(c);
	c = chain_of(x->msg[5]);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "forward-br1");
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "filter");
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM), NF_INET_FORWARD);
	assert_int_equal(nftnl_chain_get_s32(c, NFTNL_CHAIN_PRIO), 0);
	assert_int_equal(nftnl_chain_get_u32(c, NFTNL_CHAIN_POLICY), NF_ACCEPT);
	nftnl_chain_free(c);

	/* Each chain is flushed (a chain, no handle, no expression) right
	 * after it is ensured, before its rules: one set, whoever ran first. */
	view(&v, x->msg[3], "postrouting-br1");
	assert_string_equal(v.names, "");
	nftnl_rule_free(v.r);
	view(&v, x->msg[6], "forward-br1");
	assert_string_equal(v.names, "");
	nftnl_rule_free(v.r);

	for (unsigned int i = 0; i < x->n; i++) {
		if (x->msg[i]->nlmsg_type == MSG(NFT_MSG_NEWRULE)) {
			assert_true(x->msg[i]->nlmsg_flags & NLM_F_CREATE);
			assert_true(x->msg[i]->nlmsg_flags & NLM_F_APPEND);
		}
	}
	free(x);
}

static void test_masquerade_rule(void **state)
{
	struct nsrun_nat_spec s;
	struct rule_view v;
	struct built *x;

	(void)state;
	spec_for(&s, "br1", "192.168.1.10/24");
	x = ensure_batch(&s);
	view(&v, x->msg[4], "postrouting-br1");
	/* ip saddr 192.168.1.0/24 oifname != "br1" counter masquerade */
	assert_string_equal(v.names, "payload bitwise cmp meta cmp counter masq");
	assert_prefix(v.e[0], v.e[1], v.e[2], 12, "255.255.255.0", "192.168.1.0");
	assert_ifname(v.e[3], v.e[4], NFT_META_OIFNAME, NFT_CMP_NEQ, "br1");
	nftnl_rule_free(v.r);
	free(x);
}

static void test_forward_rules(void **state)
{
	uint32_t bits = 2 | 4, zero = 0; /* established, related */
	struct nsrun_nat_spec s;
	struct rule_view v;
	struct built *x;

	(void)state;
	spec_for(&s, "lb0", "10.47.0.1/16");
	x = ensure_batch(&s);

	/* iifname "lb0" oifname != "lb0" ip saddr 10.47.0.0/16 counter accept */
	view(&v, x->msg[7], "forward-lb0");
	assert_string_equal(v.names, "meta cmp meta cmp payload bitwise cmp counter immediate");
	assert_ifname(v.e[0], v.e[1], NFT_META_IIFNAME, NFT_CMP_EQ, "lb0");
	assert_ifname(v.e[2], v.e[3], NFT_META_OIFNAME, NFT_CMP_NEQ, "lb0");
	assert_prefix(v.e[4], v.e[5], v.e[6], 12, "255.255.0.0", "10.47.0.0");
	assert_int_equal(nftnl_expr_get_u32(v.e[8], NFTNL_EXPR_IMM_DREG), NFT_REG_VERDICT);
	assert_int_equal(nftnl_expr_get_u32(v.e[8], NFTNL_EXPR_IMM_VERDICT), NF_ACCEPT);
	nftnl_rule_free(v.r);

	/* oifname "lb0" ip daddr 10.47.0.0/16 ct state established,related
	 * counter accept */
	view(&v, x->msg[8], "forward-lb0");
	assert_string_equal(v.names,
			    "meta cmp payload bitwise cmp ct bitwise cmp counter immediate");
	assert_ifname(v.e[0], v.e[1], NFT_META_OIFNAME, NFT_CMP_EQ, "lb0");
	assert_prefix(v.e[2], v.e[3], v.e[4], 16, "255.255.0.0", "10.47.0.0");
	assert_int_equal(nftnl_expr_get_u32(v.e[5], NFTNL_EXPR_CT_KEY), NFT_CT_STATE);
	assert_data(v.e[6], NFTNL_EXPR_BITWISE_MASK, &bits, 4);
	assert_int_equal(nftnl_expr_get_u32(v.e[7], NFTNL_EXPR_CMP_OP), NFT_CMP_NEQ);
	assert_data(v.e[7], NFTNL_EXPR_CMP_DATA, &zero, 4);
	assert_int_equal(nftnl_expr_get_u32(v.e[9], NFTNL_EXPR_IMM_VERDICT), NF_ACCEPT);
	nftnl_rule_free(v.r);
	free(x);
}

/* A /32 bridge: the address itself, no mask. */
static void test_host_prefix(void **state)
{
	struct nsrun_nat_spec s;
	struct rule_view v;
	struct built *x;

	(void)state;
	spec_for(&s, "abcdefghijklmno", "10.9.9.9/32");
	x = ensure_batch(&s); /* the longest names and comments: still small */
	view(&v, x->msg[4], "postrouting-abcdefghijklmno");
	assert_string_equal(v.names, "payload cmp meta cmp counter masq");
	nftnl_rule_free(v.r);
	free(x);
}

/* Feeds the NEWRULE requests of an ensure batch to the presence check. */
static void note_batch(struct nsrun_nat_found *f, const struct nsrun_nat_spec *built_for,
		       const struct nsrun_nat_spec *looking_for)
{
	struct built *x = ensure_batch(built_for);

	for (unsigned int i = 0; i < x->n; i++)
		if (x->msg[i]->nlmsg_type == MSG(NFT_MSG_NEWRULE))
			assert_int_equal(nsrun_nat_note_rule(f, looking_for, x->msg[i]), 0);
	free(x);
}

static void test_presence(void **state)
{
	struct nsrun_nat_spec br1, br1_moved, br2;
	struct nsrun_nat_found f;

	(void)state;
	spec_for(&br1, "br1", "192.168.1.10/24");
	spec_for(&br1_moved, "br1", "192.168.7.1/24");
	spec_for(&br2, "br2", "192.168.1.10/24");

	memset(&f, 0, sizeof(f));
	assert_false(nsrun_nat_found_complete(&f));
	note_batch(&f, &br1, &br1);
	assert_int_equal(f.post_rules, 1);
	assert_int_equal(f.fwd_rules, 2);
	assert_true(nsrun_nat_found_complete(&f));

	/* Another bridge's rules (same subnet) are not this bridge's. */
	memset(&f, 0, sizeof(f));
	note_batch(&f, &br2, &br1);
	assert_int_equal(f.post_rules + f.fwd_rules, 0);
	assert_false(nsrun_nat_found_complete(&f));
	note_batch(&f, &br1, &br1);
	assert_true(nsrun_nat_found_complete(&f));

	/* The bridge got another subnet: its old rules are not enough. */
	memset(&f, 0, sizeof(f));
	note_batch(&f, &br1_moved, &br1);
	assert_int_equal(f.post_rules, 1);
	assert_int_equal(f.matching, 0);
	assert_false(nsrun_nat_found_complete(&f));

	/* Twice the set (as by a racing older nsrun): not the one set. */
	memset(&f, 0, sizeof(f));
	note_batch(&f, &br1, &br1);
	note_batch(&f, &br1, &br1);
	assert_false(nsrun_nat_found_complete(&f));
}

static void test_remove_batches(void **state)
{
	struct built *x = malloc(sizeof(*x));
	struct nsrun_nat_spec s;
	struct nftnl_table *t;
	struct nftnl_chain *c;
	struct nftnl_rule *r;

	(void)state;
	assert_non_null(x);
	spec_for(&s, "br1", "0.0.0.0/0");

	start(x);
	assert_int_equal(nsrun_nat_build_remove(&x->b, &s, true, true), 0);
	walk(x);
	assert_int_equal(x->n, 6);
	assert_transaction(x);
	assert_int_equal(x->msg[1]->nlmsg_type, MSG(NFT_MSG_DELRULE));
	r = rule_of(x->msg[1], "postrouting-br1");
	nftnl_rule_free(r);
	assert_int_equal(x->msg[2]->nlmsg_type, MSG(NFT_MSG_DELCHAIN));
	c = chain_of(x->msg[2]);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "postrouting-br1");
	assert_false(nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM));
	nftnl_chain_free(c);
	assert_int_equal(x->msg[3]->nlmsg_type, MSG(NFT_MSG_DELRULE));
	assert_int_equal(x->msg[4]->nlmsg_type, MSG(NFT_MSG_DELCHAIN));
	c = chain_of(x->msg[4]);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "forward-br1");
	nftnl_chain_free(c);

	/* Only what exists: a missing chain would fail the whole batch. */
	start(x);
	assert_int_equal(nsrun_nat_build_remove(&x->b, &s, false, true), 0);
	walk(x);
	assert_int_equal(x->n, 4);
	c = chain_of(x->msg[2]);
	assert_string_equal(nftnl_chain_get_str(c, NFTNL_CHAIN_NAME), "forward-br1");
	nftnl_chain_free(c);

	/* The table only when empty: NLM_F_NONREC makes the kernel refuse. */
	start(x);
	assert_int_equal(nsrun_nat_build_table_remove(&x->b), 0);
	walk(x);
	assert_int_equal(x->n, 3);
	assert_transaction(x);
	assert_int_equal(x->msg[1]->nlmsg_type, MSG(NFT_MSG_DELTABLE));
	assert_true(x->msg[1]->nlmsg_flags & NLM_F_NONREC);
	t = nftnl_table_alloc();
	assert_int_equal(nftnl_table_nlmsg_parse(x->msg[1], t), 0);
	assert_string_equal(nftnl_table_get_str(t, NFTNL_TABLE_NAME), "nsrun");
	nftnl_table_free(t);
	free(x);
}

static void test_dumps(void **state)
{
	struct built *x = malloc(sizeof(*x));
	struct nftnl_rule *r;

	(void)state;
	assert_non_null(x);
	start(x);
	assert_int_equal(nsrun_nat_build_rule_dump(&x->b), 0);
	walk(x);
	assert_int_equal(x->n, 1);
	assert_int_equal(x->msg[0]->nlmsg_type, MSG(NFT_MSG_GETRULE));
	assert_int_equal(x->msg[0]->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
	r = nftnl_rule_alloc();
	assert_int_equal(nftnl_rule_nlmsg_parse(x->msg[0], r), 0);
	assert_string_equal(nftnl_rule_get_str(r, NFTNL_RULE_TABLE), "nsrun");
	nftnl_rule_free(r);

	start(x);
	assert_int_equal(nsrun_nat_build_chain_dump(&x->b), 0);
	walk(x);
	assert_int_equal(x->msg[0]->nlmsg_type, MSG(NFT_MSG_GETCHAIN));
	assert_int_equal(x->msg[0]->nlmsg_flags & NLM_F_DUMP, NLM_F_DUMP);
	assert_int_equal(x->b.nnoack, 0);
	free(x);
}

/* A buffer too small fails the build, and nothing is written past it
 * (the buffers are exact-size heap blocks: ASan would see an overrun). */
static void test_small_buffer(void **state)
{
	static const size_t sizes[] = { 16, 1000, 2047, 2048, 3000 };
	struct nsrun_nat_spec s;
	struct nsrun_nl nl = { 0 };

	(void)state;
	spec_for(&s, "br1", "192.168.1.10/24");
	for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *buf = malloc(sizes[i]);
		struct nsrun_nl_batch b;

		assert_non_null(buf);
		nsrun_nl_batch_init(&b, &nl, buf, sizes[i]);
		assert_int_equal(nsrun_nat_build_ensure(&b, &s), -EMSGSIZE);
		assert_true(b.len <= sizes[i]);
		free(buf);
	}
}

static void test_noack_push(void **state)
{
	char buf[256] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nsrun_nl nl = { 0 };
	struct nsrun_nl_batch b;
	struct nlmsghdr *nlh;

	(void)state;
	nsrun_nl_batch_init(&b, &nl, buf, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nsrun_nl_batch_seq(&b);
	/* An acked message would leave the batch waiting for nothing. */
	assert_int_equal(nsrun_nl_batch_push_noack(&b, nlh, "x"), -EINVAL);
	nlh->nlmsg_flags = NLM_F_REQUEST;
	assert_int_equal(nsrun_nl_batch_push_noack(&b, nlh, "x"), 0);
	assert_int_equal(b.count, 1);
	assert_int_equal(b.nnoack, 1);
	assert_true(b.noack[0]);
	assert_int_equal(nsrun_nl_batch_push_noack(&b, NULL, "x"), -EMSGSIZE);
}

static int parse(struct nsrun_config *cfg, struct nsrun_err *err, ...)
{
	char *argv[16];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"nsrun";
	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)))
		argc++;
	va_end(ap);
	nsrun_err_clear(err);
	return nsrun_cli_parse(argc, argv, NULL, cfg, err);
}

static void test_options(void **state)
{
	struct nsrun_config cfg;
	struct nsrun_err err;

	(void)state;
	assert_int_equal(parse(&cfg, &err, "--bridge", "br1", "--", "true", NULL), 0);
	assert_false(cfg.nat);
	assert_int_equal(parse(&cfg, &err, "--bridge", "br1", "--nat", "--", "true", NULL), 0);
	assert_true(cfg.nat);
	assert_int_equal(cfg.action, NSRUN_ACTION_LAUNCH);
	/* The command's own --nat is not ours. */
	assert_int_equal(parse(&cfg, &err, "echo", "--nat", NULL), 0);
	assert_false(cfg.nat);

	/* --nat-off: an action, no command. */
	assert_int_equal(parse(&cfg, &err, "--nat-off", "--bridge", "br1", NULL), 0);
	assert_int_equal(cfg.action, NSRUN_ACTION_NAT_OFF);
	assert_string_equal(cfg.bridge, "br1");
	assert_int_equal(parse(&cfg, &err, "--nat-off", NULL), 0);
	assert_string_equal(cfg.bridge, NSRUN_DEFAULT_BRIDGE);

	assert_int_equal(parse(&cfg, &err, "--nat", NULL), -EINVAL);
	assert_string_equal(err.msg,
			    "command: missing (usage: nsrun [OPTIONS] [--] COMMAND [ARG...])");
	assert_int_equal(parse(&cfg, &err, "--nat-off", "--bridge", "br1", "--", "true", NULL),
			 -EINVAL);
	assert_string_equal(err.msg, "--nat-off: unexpected argument 'true'");
	assert_int_equal(parse(&cfg, &err, "--nat", "--nat-off", NULL), -EINVAL);
	assert_string_equal(err.msg, "--nat: does not apply to --nat-off");
	assert_int_equal(parse(&cfg, &err, "--nat-off", "--list", NULL), -EINVAL);
	assert_int_equal(parse(&cfg, &err, "--nat", "--join", "ns1", "true", NULL), -EINVAL);
	assert_string_equal(err.msg, "--nat: does not apply to --join");
	assert_int_equal(parse(&cfg, &err, "--nat=1", "true", NULL), -EINVAL);
	assert_int_equal(parse(&cfg, &err, "--nat-off", "--bridge", "a/b", NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_ensure_batch),
		cmocka_unit_test(test_masquerade_rule),
		cmocka_unit_test(test_forward_rules),
		cmocka_unit_test(test_host_prefix),
		cmocka_unit_test(test_presence),
		cmocka_unit_test(test_remove_batches),
		cmocka_unit_test(test_dumps),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_noack_push),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests_name("nat", tests, NULL, NULL);
}
