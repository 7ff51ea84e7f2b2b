/* SPDX-License-Identifier: MIT */
#include "nsrun/nat.h"

#include <errno.h>
#include <fcntl.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nsrun/log.h"

/*
 * libnftnl's builders write without a bound, so each message is built only
 * where at least this much room is left.  The largest message nsrun builds
 * (the forward-back rule with its comment, under 600 bytes) is far below it:
 * the bridge name and the comment are bounded, the rest is fixed
 * (tests/unit/test_nat.c checks it with the longest bridge name).
 */
#define NAT_MSG_MAX 2048
#define PRIO_SRCNAT 100 /* NF_IP_PRI_NAT_SRC, nft's "srcnat" */
#define PRIO_FILTER 0	/* NF_IP_PRI_FILTER, nft's "filter" */
#define IP_FORWARD "/proc/sys/net/ipv4/ip_forward"

int nsrun_nat_spec_init(struct nsrun_nat_spec *s, const char *bridge,
			const struct nsrun_prefix *bridge_addr)
{
	static const char *const role[NSRUN_NAT_NRULES] = { "masquerade", "forward out",
							    "forward back" };
	char net[NSRUN_PREFIX_STRLEN];

	memset(s, 0, sizeof(*s));
	if (bridge_addr->addr.family != AF_INET || bridge_addr->len > 32)
		return -EAFNOSUPPORT;
	if (!*bridge || strlen(bridge) >= sizeof(s->bridge))
		return -EINVAL;
	snprintf(s->bridge, sizeof(s->bridge), "%s", bridge);
	s->subnet = nsrun_prefix_network(bridge_addr);
	snprintf(s->post_chain, sizeof(s->post_chain), "postrouting-%s", bridge);
	snprintf(s->fwd_chain, sizeof(s->fwd_chain), "forward-%s", bridge);
	nsrun_prefix_format(&s->subnet, net);
	for (int i = 0; i < NSRUN_NAT_NRULES; i++)
		snprintf(s->tag[i], sizeof(s->tag[i]), "nsrun %s %s %s", bridge, net, role[i]);
	return 0;
}

/* ---- builders ----------------------------------------------------------- */

static void free_table(struct nftnl_table **t)
{
	if (*t)
		nftnl_table_free(*t);
}

static void free_chain(struct nftnl_chain **c)
{
	if (*c)
		nftnl_chain_free(*c);
}

static void free_rule(struct nftnl_rule **r)
{
	if (*r)
		nftnl_rule_free(*r);
}

static void free_udata(struct nftnl_udata_buf **u)
{
	if (*u)
		nftnl_udata_buf_free(*u);
}

/* The header of the next message at the batch's tail, or NULL: no room. */
static struct nlmsghdr *put_hdr(struct nsrun_nl_batch *b, uint16_t type, uint16_t flags)
{
	size_t room;
	char *tail = nsrun_nl_batch_tail(b, &room);

	if (room < NAT_MSG_MAX)
		return NULL;
	return nftnl_nlmsg_build_hdr(tail, type, NFPROTO_IPV4, flags, nsrun_nl_batch_seq(b));
}

static int push(struct nsrun_nl_batch *b, struct nlmsghdr *nlh, const char *what)
{
	if (!nlh || nlh->nlmsg_len > NAT_MSG_MAX)
		return -EMSGSIZE;
	return nsrun_nl_batch_push(b, nlh, what);
}

static int push_batch_mark(struct nsrun_nl_batch *b, bool begin)
{
	size_t room;
	char *tail = nsrun_nl_batch_tail(b, &room);

	if (room < NAT_MSG_MAX)
		return -EMSGSIZE;
	/* No NLM_F_ACK: kernels before 6.10 never answer these, except to
	 * refuse the batch (no nf_tables, no CAP_NET_ADMIN). */
	if (begin)
		return nsrun_nl_batch_push_noack(b, nftnl_batch_begin(tail, nsrun_nl_batch_seq(b)),
						 "start nftables transaction");
	return nsrun_nl_batch_push_noack(b, nftnl_batch_end(tail, nsrun_nl_batch_seq(b)),
					 "end nftables transaction");
}

static int push_table(struct nsrun_nl_batch *b, uint16_t type, uint16_t flags, const char *what)
{
	__attribute__((cleanup(free_table))) struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;

	if (!t || nftnl_table_set_str(t, NFTNL_TABLE_NAME, NSRUN_NAT_TABLE) < 0)
		return -ENOMEM;
	nlh = put_hdr(b, type, flags | NLM_F_ACK);
	if (nlh)
		nftnl_table_nlmsg_build_payload(nlh, t);
	return push(b, nlh, what);
}

static int push_chain(struct nsrun_nl_batch *b, uint16_t type, uint16_t flags, const char *name,
		      const char *kind, uint32_t hook, int32_t prio, const char *what)
{
	__attribute__((cleanup(free_chain))) struct nftnl_chain *c = nftnl_chain_alloc();
	struct nlmsghdr *nlh;

	if (!c || nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, NSRUN_NAT_TABLE) < 0 ||
	    nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name) < 0)
		return -ENOMEM;
	if (kind) {
		if (nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, kind) < 0)
			return -ENOMEM;
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, prio);
		/* Never drop: these chains only accept or translate. */
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	nlh = put_hdr(b, type, flags | NLM_F_ACK);
	if (nlh)
		nftnl_chain_nlmsg_build_payload(nlh, c);
	return push(b, nlh, what);
}

/* DELRULE with a chain and no handle: every rule of that chain. */
static int push_flush(struct nsrun_nl_batch *b, const char *chain, const char *what)
{
	__attribute__((cleanup(free_rule))) struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!r || nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NSRUN_NAT_TABLE) < 0 ||
	    nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain) < 0)
		return -ENOMEM;
	nlh = put_hdr(b, NFT_MSG_DELRULE, NLM_F_ACK);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, r);
	return push(b, nlh, what);
}

/* Adds e to r (which owns it from then on); false when e is NULL. */
static bool add(struct nftnl_rule *r, struct nftnl_expr *e)
{
	if (e)
		nftnl_rule_add_expr(r, e);
	return e != NULL;
}

static struct nftnl_expr *expr_meta(uint32_t key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	}
	return e;
}

static struct nftnl_expr *expr_cmp(uint32_t op, const void *data, uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
		nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	}
	return e;
}

/* reg1 = reg1 & mask (len bytes), as nft compiles prefixes and flag tests. */
static struct nftnl_expr *expr_and(const void *mask, uint32_t len)
{
	static const uint8_t zero[4];
	struct nftnl_expr *e = nftnl_expr_alloc("bitwise");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
	}
	return e;
}

/* iifname/oifname ==/!= the bridge: the name NUL-padded to IFNAMSIZ. */
static bool match_ifname(struct nftnl_rule *r, uint32_t key, uint32_t op, const char *name)
{
	char padded[IFNAMSIZ] = { 0 };

	snprintf(padded, sizeof(padded), "%s", name);
	return add(r, expr_meta(key)) && add(r, expr_cmp(op, padded, sizeof(padded)));
}

/* ip saddr/daddr within the subnet. */
static bool match_subnet(struct nftnl_rule *r, uint32_t offset, const struct nsrun_prefix *net)
{
	uint32_t mask = net->len ? htonl(~0u << (32 - net->len)) : 0;
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, NFT_PAYLOAD_NETWORK_HEADER);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, offset);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, 4);
	}
	if (!add(r, e))
		return false;
	if (net->len < 32 && !add(r, expr_and(&mask, 4)))
		return false;
	return add(r, expr_cmp(NFT_CMP_EQ, &net->addr.u.v4, 4));
}

static bool match_ct_established(struct nftnl_rule *r)
{
	/* ct state is a host-order bit set, as nft compiles it. */
	const uint32_t bits = NF_CT_STATE_BIT(IP_CT_ESTABLISHED) | NF_CT_STATE_BIT(IP_CT_RELATED);
	const uint32_t none = 0;
	struct nftnl_expr *e = nftnl_expr_alloc("ct");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	}
	return add(r, e) && add(r, expr_and(&bits, 4)) && add(r, expr_cmp(NFT_CMP_NEQ, &none, 4));
}

static bool accept_verdict(struct nftnl_rule *r)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (e) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, NF_ACCEPT);
	}
	return add(r, e);
}

/* The expressions of one of the bridge's rules (see nat.h). */
static bool rule_body(struct nftnl_rule *r, const struct nsrun_nat_spec *s,
		      enum nsrun_nat_rule which)
{
	switch (which) {
	case NSRUN_NAT_MASQ:
		return match_subnet(r, 12, &s->subnet) &&
		       match_ifname(r, NFT_META_OIFNAME, NFT_CMP_NEQ, s->bridge) &&
		       add(r, nftnl_expr_alloc("counter")) && add(r, nftnl_expr_alloc("masq"));
	case NSRUN_NAT_FWD_OUT:
		return match_ifname(r, NFT_META_IIFNAME, NFT_CMP_EQ, s->bridge) &&
		       match_ifname(r, NFT_META_OIFNAME, NFT_CMP_NEQ, s->bridge) &&
		       match_subnet(r, 12, &s->subnet) && add(r, nftnl_expr_alloc("counter")) &&
		       accept_verdict(r);
	case NSRUN_NAT_FWD_BACK:
		return match_ifname(r, NFT_META_OIFNAME, NFT_CMP_EQ, s->bridge) &&
		       match_subnet(r, 16, &s->subnet) && match_ct_established(r) &&
		       add(r, nftnl_expr_alloc("counter")) && accept_verdict(r);
	case NSRUN_NAT_NRULES:
		break;
	}
	return false;
}

static int push_rule(struct nsrun_nl_batch *b, const struct nsrun_nat_spec *s,
		     enum nsrun_nat_rule which, const char *what)
{
	__attribute__((cleanup(free_rule))) struct nftnl_rule *r = nftnl_rule_alloc();
	__attribute__((cleanup(free_udata))) struct nftnl_udata_buf *u =
		nftnl_udata_buf_alloc(NFTNL_UDATA_COMMENT_MAXLEN + 8);
	const char *chain = which == NSRUN_NAT_MASQ ? s->post_chain : s->fwd_chain;
	struct nlmsghdr *nlh;

	if (!r || !u || nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NSRUN_NAT_TABLE) < 0 ||
	    nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain) < 0)
		return -ENOMEM;
	/* The comment is what `nft list` shows and what a later launch checks. */
	if (!nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT, s->tag[which]) ||
	    nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
				nftnl_udata_buf_len(u)) < 0)
		return -ENOMEM;
	if (!rule_body(r, s, which))
		return -ENOMEM;
	nlh = put_hdr(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, r);
	return push(b, nlh, what);
}

int nsrun_nat_build_ensure(struct nsrun_nl_batch *b, const struct nsrun_nat_spec *s)
{
	int r;

	/* NLM_F_CREATE without NLM_F_EXCL: present is fine; the flushes then
	 * make the rules below the only ones, whoever ran before us. */
	if ((r = push_batch_mark(b, true)) < 0 ||
	    (r = push_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE, "add table")) < 0 ||
	    (r = push_chain(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, s->post_chain, "nat",
			    NF_INET_POST_ROUTING, PRIO_SRCNAT, "add nat chain postrouting")) < 0 ||
	    (r = push_flush(b, s->post_chain, "flush chain postrouting")) < 0 ||
	    (r = push_rule(b, s, NSRUN_NAT_MASQ, "add masquerade rule")) < 0 ||
	    (r = push_chain(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, s->fwd_chain, "filter",
			    NF_INET_FORWARD, PRIO_FILTER, "add filter chain forward")) < 0 ||
	    (r = push_flush(b, s->fwd_chain, "flush chain forward")) < 0 ||
	    (r = push_rule(b, s, NSRUN_NAT_FWD_OUT, "add forward rule (out)")) < 0 ||
	    (r = push_rule(b, s, NSRUN_NAT_FWD_BACK, "add forward rule (established back)")) < 0 ||
	    (r = push_batch_mark(b, false)) < 0)
		return r;
	return 0;
}

int nsrun_nat_build_remove(struct nsrun_nl_batch *b, const struct nsrun_nat_spec *s, bool post,
			   bool fwd)
{
	int r;

	/* Flush first: older kernels refuse to delete a chain that has rules. */
	if ((r = push_batch_mark(b, true)) < 0)
		return r;
	if (post && ((r = push_flush(b, s->post_chain, "flush chain postrouting")) < 0 ||
		     (r = push_chain(b, NFT_MSG_DELCHAIN, 0, s->post_chain, NULL, 0, 0,
				     "delete chain postrouting")) < 0))
		return r;
	if (fwd && ((r = push_flush(b, s->fwd_chain, "flush chain forward")) < 0 ||
		    (r = push_chain(b, NFT_MSG_DELCHAIN, 0, s->fwd_chain, NULL, 0, 0,
				    "delete chain forward")) < 0))
		return r;
	return push_batch_mark(b, false);
}

int nsrun_nat_build_table_remove(struct nsrun_nl_batch *b)
{
	int r;

	if ((r = push_batch_mark(b, true)) < 0 ||
	    (r = push_table(b, NFT_MSG_DELTABLE, NLM_F_NONREC,
			    "delete table ip " NSRUN_NAT_TABLE)) < 0)
		return r;
	return push_batch_mark(b, false);
}

int nsrun_nat_build_rule_dump(struct nsrun_nl_batch *b)
{
	__attribute__((cleanup(free_rule))) struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	/* The kernel filters the dump by table. */
	if (!r || nftnl_rule_set_str(r, NFTNL_RULE_TABLE, NSRUN_NAT_TABLE) < 0)
		return -ENOMEM;
	nlh = put_hdr(b, NFT_MSG_GETRULE, NLM_F_DUMP);
	if (nlh)
		nftnl_rule_nlmsg_build_payload(nlh, r);
	return push(b, nlh, "list table ip " NSRUN_NAT_TABLE);
}

int nsrun_nat_build_chain_dump(struct nsrun_nl_batch *b)
{
	return push(b, put_hdr(b, NFT_MSG_GETCHAIN, NLM_F_DUMP), "list chains");
}

/* ---- reading what is there ---------------------------------------------- */

static int comment_cb(const struct nftnl_udata *attr, void *data)
{
	const char **comment = data;
	const char *v = nftnl_udata_get(attr);
	uint8_t len = nftnl_udata_len(attr);

	if (nftnl_udata_type(attr) == NFTNL_UDATA_RULE_COMMENT && len > 0 && v[len - 1] == '\0')
		*comment = v;
	return 0;
}

int nsrun_nat_note_rule(struct nsrun_nat_found *f, const struct nsrun_nat_spec *s,
			const struct nlmsghdr *nlh)
{
	__attribute__((cleanup(free_rule))) struct nftnl_rule *r = nftnl_rule_alloc();
	const char *table, *chain, *comment = NULL;
	const void *udata;
	uint32_t ulen = 0;
	unsigned int pos;
	enum nsrun_nat_rule want;

	if (!r)
		return -ENOMEM;
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0)
		return -EBADMSG;
	table = nftnl_rule_get_str(r, NFTNL_RULE_TABLE);
	chain = nftnl_rule_get_str(r, NFTNL_RULE_CHAIN);
	if (!table || !chain || strcmp(table, NSRUN_NAT_TABLE) ||
	    nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY) != NFPROTO_IPV4)
		return 0;
	if (!strcmp(chain, s->post_chain)) {
		pos = f->post_rules++;
		want = NSRUN_NAT_MASQ;
	} else if (!strcmp(chain, s->fwd_chain)) {
		pos = f->fwd_rules++;
		want = pos == 0 ? NSRUN_NAT_FWD_OUT : NSRUN_NAT_FWD_BACK;
	} else {
		return 0; /* another bridge's */
	}
	if (pos > 1)
		return 0;
	udata = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &ulen);
	if (udata)
		nftnl_udata_parse(udata, ulen, comment_cb, &comment);
	if (comment && !strcmp(comment, s->tag[want]))
		f->matching++;
	return 0;
}

bool nsrun_nat_found_complete(const struct nsrun_nat_found *f)
{
	return f->post_rules == 1 && f->fwd_rules == 2 && f->matching == NSRUN_NAT_NRULES;
}

/* ---- the kernel ---------------------------------------------------------- */

/* Which exchange failed decides what an errno most likely means. */
enum phase {
	PHASE_FIRST, /* the first contact: no answer means no nftables */
	PHASE_ADD,   /* the ensure batch */
	PHASE_OTHER,
};

/* Appends one clause of "why" to the kernel's answer, still one line. */
static int explain(struct nsrun_err *err, enum phase phase, const char *bridge)
{
	char hint[160] = "";
	size_t len = strlen(err->msg);

	if (err->code == EPERM) {
		snprintf(hint, sizeof(hint), "; needs CAP_NET_ADMIN (run it as root)");
	} else if (phase == PHASE_FIRST &&
		   (err->code == EPROTONOSUPPORT || err->code == EOPNOTSUPP ||
		    err->code == EAFNOSUPPORT || err->code == EINVAL)) {
		snprintf(hint, sizeof(hint), "; is nftables (CONFIG_NF_TABLES) in the kernel?");
	} else if (phase == PHASE_ADD && err->code == ENOENT) {
		/* An unknown chain type or expression, after the module
		 * autoload the kernel tried. */
		snprintf(hint, sizeof(hint),
			 "; is nftables NAT (CONFIG_NFT_NAT, CONFIG_NFT_MASQ) in the kernel?");
	} else if (phase == PHASE_ADD &&
		   (err->code == EOPNOTSUPP || err->code == EEXIST || err->code == EBUSY)) {
		/* A chain of ours with another type or hook. */
		snprintf(
			hint, sizeof(hint),
			"; table ip %s holds a different chain of that name (nft list table ip %s; "
			"nsrun --nat-off --bridge %s removes it)",
			NSRUN_NAT_TABLE, NSRUN_NAT_TABLE, bridge);
	}
	snprintf(err->msg + len, sizeof(err->msg) - len, "%s", hint);
	return -err->code;
}

/* A netfilter socket and the buffer of the batch in flight. */
struct nft {
	struct nsrun_nl nl;
	struct nsrun_nl_batch b;
	char buf[NSRUN_NL_BUFSZ] __attribute__((aligned(NLMSG_ALIGNTO)));
	const char *bridge;
};

static int nft_open(struct nft *t, const char *bridge, struct nsrun_err *err)
{
	int r = nsrun_nl_open_proto(&t->nl, NETLINK_NETFILTER, err);

	t->bridge = bridge;
	return r < 0 ? explain(err, PHASE_FIRST, bridge) : 0;
}

/* An empty batch, for a builder. */
static struct nsrun_nl_batch *nft_batch(struct nft *t)
{
	nsrun_nl_batch_init(&t->b, &t->nl, t->buf, sizeof(t->buf));
	return &t->b;
}

/* Sends the batch just built (built: the builder's result). */
static int nft_send(struct nft *t, int built, enum phase phase, nsrun_nl_data_cb cb, void *data,
		    const char *what, struct nsrun_err *err)
{
	int r;

	if (built < 0)
		return nsrun_err_sys(err, -built, "build %s", what);
	r = nsrun_nl_batch_run(&t->nl, &t->b, cb, data, err);
	return r < 0 ? explain(err, phase, t->bridge) : 0;
}

struct rule_scan {
	const struct nsrun_nat_spec *spec;
	struct nsrun_nat_found found;
};

static int rule_scan_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rule_scan *q = data;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWRULE)
		return 0;
	return nsrun_nat_note_rule(&q->found, q->spec, nlh);
}

/*
 * /proc/sys/net/ipv4/ip_forward, of the namespace we are in: *wfd is -1 when
 * forwarding is on already (a read-only /proc/sys is then fine), else opened
 * for writing, so that a write that cannot happen fails before any rule.
 */
static int forwarding_prepare(int *wfd, struct nsrun_err *err)
{
	char c = 0;
	int fd = open(IP_FORWARD, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	*wfd = -1;
	if (fd < 0)
		return nsrun_err_sys(err, errno, "IPv4 forwarding: %s", IP_FORWARD);
	n = read(fd, &c, 1);
	close(fd);
	if (n == 1 && c == '1')
		return 0;
	*wfd = open(IP_FORWARD, O_WRONLY | O_CLOEXEC);
	if (*wfd < 0)
		return nsrun_err_sys(err, errno, "IPv4 forwarding: %s", IP_FORWARD);
	return 0;
}

/* Written only when off: every write resets the per-interface forwarding
 * settings, which someone may have tuned. */
static int forwarding_on(int wfd, struct nsrun_err *err)
{
	int r = write(wfd, "1\n", 2) == 2 ? 0 : -errno;

	close(wfd);
	return r < 0 ? nsrun_err_sys(err, -r, "IPv4 forwarding: write 1 to %s", IP_FORWARD) : 0;
}

int nsrun_nat_ensure(const char *bridge, const struct nsrun_prefix *bridge_addr,
		     struct nsrun_err *err)
{
	struct rule_scan q = { 0 };
	struct nsrun_nat_spec spec;
	char net[NSRUN_PREFIX_STRLEN];
	struct nft t;
	int wfd, r;

	r = nsrun_nat_spec_init(&spec, bridge, bridge_addr);
	if (r < 0)
		return nsrun_err_sys(err, -r, "nat %s", bridge);
	nsrun_prefix_format(&spec.subnet, net);
	q.spec = &spec;
	/* Host namespace still: ip_forward is the host's switch, as the
	 * recipe's `sysctl net.ipv4.ip_forward=1`; checked before any rule. */
	r = forwarding_prepare(&wfd, err);
	if (r < 0)
		return nsrun_err_ctx(err, "nat %s", bridge);
	r = nft_open(&t, bridge, err);
	if (r < 0) {
		if (wfd >= 0)
			close(wfd);
		return nsrun_err_ctx(err, "nat %s", bridge);
	}
	/* A read first, so that the common case (already there) changes
	 * nothing: no new ruleset generation, counters kept. */
	r = nft_send(&t, nsrun_nat_build_rule_dump(nft_batch(&t)), PHASE_FIRST, rule_scan_cb, &q,
		     "rule dump", err);
	if (r == 0 && nsrun_nat_found_complete(&q.found)) {
		nsrun_log_verbose("nat %s: masquerade and forward rules for %s already present in "
				  "table ip %s",
				  bridge, net, NSRUN_NAT_TABLE);
	} else if (r == 0) {
		bool some = q.found.post_rules || q.found.fwd_rules;

		r = nft_send(&t, nsrun_nat_build_ensure(nft_batch(&t), &spec), PHASE_ADD, NULL,
			     NULL, "nat batch", err);
		if (r == 0)
			nsrun_log_verbose("nat %s: %s masquerade and forward rules for %s in table "
					  "ip %s (chains %s, %s)",
					  bridge, some ? "replaced" : "added", net, NSRUN_NAT_TABLE,
					  spec.post_chain, spec.fwd_chain);
	}
	nsrun_nl_close(&t.nl);
	if (r == 0 && wfd >= 0)
		r = forwarding_on(wfd, err);
	else if (wfd >= 0)
		close(wfd);
	if (r < 0)
		return nsrun_err_ctx(err, "nat %s", bridge);
	nsrun_log_verbose("nat %s: IPv4 forwarding %s", bridge,
			  wfd < 0 ? "already on" : "turned on");
	return 0;
}

struct chain_scan {
	const struct nsrun_nat_spec *spec;
	bool post, fwd;
};

static int chain_scan_cb(const struct nlmsghdr *nlh, void *data)
{
	__attribute__((cleanup(free_chain))) struct nftnl_chain *c = NULL;
	struct chain_scan *q = data;
	const char *table, *name;

	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWCHAIN)
		return 0;
	c = nftnl_chain_alloc();
	if (!c)
		return -ENOMEM;
	if (nftnl_chain_nlmsg_parse(nlh, c) < 0)
		return -EBADMSG;
	table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
	name = nftnl_chain_get_str(c, NFTNL_CHAIN_NAME);
	if (!table || !name || strcmp(table, NSRUN_NAT_TABLE) ||
	    nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY) != NFPROTO_IPV4)
		return 0;
	if (!strcmp(name, q->spec->post_chain))
		q->post = true;
	else if (!strcmp(name, q->spec->fwd_chain))
		q->fwd = true;
	return 0;
}

static int remove_chains(struct nft *t, const struct nsrun_nat_spec *spec, struct nsrun_err *err)
{
	for (int tries = 0;; tries++) {
		struct chain_scan q = { .spec = spec };
		int r = nft_send(t, nsrun_nat_build_chain_dump(nft_batch(t)),
				 tries ? PHASE_OTHER : PHASE_FIRST, chain_scan_cb, &q, "chain dump",
				 err);

		if (r < 0)
			return r;
		if (!q.post && !q.fwd) {
			nsrun_log_verbose("nat %s: no chains of this bridge in table ip %s",
					  spec->bridge, NSRUN_NAT_TABLE);
			return 0;
		}
		r = nft_send(t, nsrun_nat_build_remove(nft_batch(t), spec, q.post, q.fwd),
			     PHASE_OTHER, NULL, NULL, "nat removal batch", err);
		if (r == 0)
			nsrun_log_verbose("nat %s: removed its chains%s%s%s%s from table ip %s",
					  spec->bridge, q.post ? " " : "",
					  q.post ? spec->post_chain : "", q.fwd ? " " : "",
					  q.fwd ? spec->fwd_chain : "", NSRUN_NAT_TABLE);
		/* ENOENT: another --nat-off was quicker; look again. */
		if (r != -ENOENT || tries == 3)
			return r;
	}
}

int nsrun_nat_off(const char *bridge, struct nsrun_err *err)
{
	const struct nsrun_prefix any = { .addr = { .family = AF_INET }, .len = 0 };
	struct nsrun_nat_spec spec;
	struct nft t;
	int r;

	/* Only the names matter for removal: the subnet may have changed, the
	 * bridge may be gone. */
	r = nsrun_nat_spec_init(&spec, bridge, &any);
	if (r < 0)
		return nsrun_err_sys(err, -r, "nat %s", bridge);
	r = nft_open(&t, bridge, err);
	if (r < 0)
		return nsrun_err_ctx(err, "nat %s", bridge);
	r = remove_chains(&t, &spec, err);
	if (r == 0) {
		/* Refused (EBUSY) while anything is left in it: other bridges'
		 * chains, or something of the user's.  ENOENT: no table. */
		r = nft_send(&t, nsrun_nat_build_table_remove(nft_batch(&t)), PHASE_OTHER, NULL,
			     NULL, "table removal batch", err);
		if (r == 0)
			nsrun_log_verbose("nat %s: table ip %s removed: it was empty", bridge,
					  NSRUN_NAT_TABLE);
		else if (r == -EBUSY)
			nsrun_log_verbose("nat %s: table ip %s kept: not empty", bridge,
					  NSRUN_NAT_TABLE);
		if (r == -EBUSY || r == -ENOENT) {
			nsrun_err_clear(err);
			r = 0;
		}
	}
	nsrun_nl_close(&t.nl);
	return r < 0 ? nsrun_err_ctx(err, "nat %s", bridge) : 0;
}
