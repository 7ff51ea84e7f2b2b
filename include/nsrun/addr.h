/* SPDX-License-Identifier: MIT */
#ifndef NSRUN_ADDR_H
#define NSRUN_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * Addresses are family-tagged so that dual stack is an extension, not a
 * rewrite.  Only AF_INET is produced by the parsers today.  Pure module: no
 * I/O, no allocation.
 */
struct nsrun_addr {
	sa_family_t family;           /* AF_INET (AF_INET6 reserved) */
	union {
		struct in_addr v4;    /* network byte order */
		struct in6_addr v6;
	} u;
};

struct nsrun_prefix {
	struct nsrun_addr addr;
	unsigned int len;
};

/* The hosts nsrun may hand out: net minus network, broadcast and gateway. */
struct nsrun_pool {
	struct nsrun_prefix net;      /* network address / prefix length */
	struct nsrun_addr gateway;    /* the bridge's own address */
	uint32_t first, last;         /* host order, inclusive; first > last: empty */
};

#define NSRUN_ADDR_STRLEN 46    /* INET6_ADDRSTRLEN */
#define NSRUN_PREFIX_STRLEN 50
#define NSRUN_MAC_LEN 6
#define NSRUN_MAC_STRLEN 18

/* Strict dotted quad: four decimal octets, no leading zeros, no spaces. */
int nsrun_addr_parse(const char *s, struct nsrun_addr *out);
/* "A.B.C.D/N"; with require_network the host bits must be zero. */
int nsrun_prefix_parse(const char *s, struct nsrun_prefix *out, bool require_network);
/* "A.B.C.D" or "A.B.C.D/N" (then *len is set, else it is left alone). */
int nsrun_addr_parse_maybe_prefix(const char *s, struct nsrun_addr *out, unsigned int *len);

void nsrun_addr_format(const struct nsrun_addr *a, char buf[NSRUN_ADDR_STRLEN]);
void nsrun_prefix_format(const struct nsrun_prefix *p, char buf[NSRUN_PREFIX_STRLEN]);

bool nsrun_addr_equal(const struct nsrun_addr *a, const struct nsrun_addr *b);
/* Total order within a family; AF_INET sorts before AF_INET6. */
int nsrun_addr_cmp(const struct nsrun_addr *a, const struct nsrun_addr *b);

static inline uint32_t nsrun_addr_v4_host(const struct nsrun_addr *a)
{
	return ntohl(a->u.v4.s_addr);
}

static inline struct nsrun_addr nsrun_addr_v4(uint32_t host_order)
{
	struct nsrun_addr a = { .family = AF_INET };

	a.u.v4.s_addr = htonl(host_order);
	return a;
}

/* Network prefix of p (host bits cleared). */
struct nsrun_prefix nsrun_prefix_network(const struct nsrun_prefix *p);
/* Directed broadcast of p (meaningful for len <= 30). */
struct nsrun_addr nsrun_prefix_broadcast(const struct nsrun_prefix *p);
bool nsrun_prefix_contains(const struct nsrun_prefix *p, const struct nsrun_addr *a);

/*
 * Pool of the bridge whose own address is gw (with prefix length len):
 * /0../30 exclude network and broadcast, /31 has both addresses (RFC 3021),
 * /32 has none; the gateway is never handed out.
 */
int nsrun_pool_init(struct nsrun_pool *pool, const struct nsrun_prefix *gw_with_len);
/* First host address of a subnet: where nsrun puts the gateway. */
int nsrun_prefix_first_host(const struct nsrun_prefix *net, struct nsrun_addr *out);
bool nsrun_pool_has(const struct nsrun_pool *pool, const struct nsrun_addr *a);
/* Number of addresses that can be handed out. */
uint64_t nsrun_pool_size(const struct nsrun_pool *pool);

/* "aa:bb:cc:dd:ee:ff"; unicast, not all-zero. */
int nsrun_mac_parse(const char *s, uint8_t mac[NSRUN_MAC_LEN]);
void nsrun_mac_format(const uint8_t mac[NSRUN_MAC_LEN], char buf[NSRUN_MAC_STRLEN]);
/*
 * MACs derived from the address, so a backend restarted on the same address
 * keeps its MAC and neighbours need no new ARP: inner end 02:6e:<ipv4>
 * (locally administered unicast, as Docker's 02:42:<ipv4>), host end
 * fe:6e:<ipv4> (0xfe is above any vendor MAC, so it never becomes the
 * bridge's own address: the trick of qemu-bridge-helper).
 */
void nsrun_mac_inner(const struct nsrun_addr *a, uint8_t mac[NSRUN_MAC_LEN]);
void nsrun_mac_host(const struct nsrun_addr *a, uint8_t mac[NSRUN_MAC_LEN]);

#endif
