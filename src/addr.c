/* SPDX-License-Identifier: MIT */
#include "nsrun/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Parses one decimal number of at most max, no sign, no leading zero. */
static int parse_dec(const char **sp, unsigned long max, unsigned long *out)
{
	const char *s = *sp;
	unsigned long v = 0;
	int digits = 0;

	while (*s >= '0' && *s <= '9') {
		if (digits > 0 && v == 0)
			return -EINVAL; /* leading zero: "01" is ambiguous (octal?) */
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -ERANGE;
		s++;
		digits++;
	}
	if (!digits)
		return -EINVAL;
	*sp = s;
	*out = v;
	return 0;
}

static int parse_v4(const char **sp, struct nsrun_addr *out)
{
	const char *s = *sp;
	uint32_t a = 0;
	unsigned long octet;
	int i, r;

	for (i = 0; i < 4; i++) {
		if (i > 0) {
			if (*s != '.')
				return -EINVAL;
			s++;
		}
		r = parse_dec(&s, 255, &octet);
		if (r < 0)
			return r;
		a = (a << 8) | (uint32_t)octet;
	}
	*out = nsrun_addr_v4(a);
	*sp = s;
	return 0;
}

int nsrun_addr_parse(const char *s, struct nsrun_addr *out)
{
	int r;

	if (!s)
		return -EINVAL;
	r = parse_v4(&s, out);
	if (r < 0)
		return r;
	return *s ? -EINVAL : 0;
}

int nsrun_addr_parse_maybe_prefix(const char *s, struct nsrun_addr *out, unsigned int *len)
{
	unsigned long n;
	int r;

	if (!s)
		return -EINVAL;
	r = parse_v4(&s, out);
	if (r < 0)
		return r;
	if (!*s)
		return 0;
	if (*s != '/')
		return -EINVAL;
	s++;
	r = parse_dec(&s, 32, &n);
	if (r < 0)
		return r;
	if (*s)
		return -EINVAL;
	*len = (unsigned int)n;
	return 0;
}

static uint32_t mask_of(unsigned int len)
{
	return len ? ~(uint32_t)0 << (32 - len) : 0;
}

int nsrun_prefix_parse(const char *s, struct nsrun_prefix *out, bool require_network)
{
	unsigned int len = 33;
	struct nsrun_addr a;
	int r;

	r = nsrun_addr_parse_maybe_prefix(s, &a, &len);
	if (r < 0)
		return r;
	if (len == 33)
		return -EINVAL; /* the "/N" is required */
	if (require_network && (nsrun_addr_v4_host(&a) & ~mask_of(len)))
		return -EDOM;
	out->addr = a;
	out->len = len;
	return 0;
}

void nsrun_addr_format(const struct nsrun_addr *a, char buf[NSRUN_ADDR_STRLEN])
{
	if (!inet_ntop(a->family, &a->u, buf, NSRUN_ADDR_STRLEN))
		snprintf(buf, NSRUN_ADDR_STRLEN, "?");
}

void nsrun_prefix_format(const struct nsrun_prefix *p, char buf[NSRUN_PREFIX_STRLEN])
{
	char a[NSRUN_ADDR_STRLEN];

	nsrun_addr_format(&p->addr, a);
	snprintf(buf, NSRUN_PREFIX_STRLEN, "%s/%u", a, p->len);
}

bool nsrun_addr_equal(const struct nsrun_addr *a, const struct nsrun_addr *b)
{
	return nsrun_addr_cmp(a, b) == 0;
}

int nsrun_addr_cmp(const struct nsrun_addr *a, const struct nsrun_addr *b)
{
	if (a->family != b->family)
		return a->family == AF_INET ? -1 : 1;
	if (a->family == AF_INET) {
		uint32_t x = nsrun_addr_v4_host(a), y = nsrun_addr_v4_host(b);

		return x < y ? -1 : x > y;
	}
	return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6));
}

struct nsrun_prefix nsrun_prefix_network(const struct nsrun_prefix *p)
{
	struct nsrun_prefix n = {
		.addr = nsrun_addr_v4(nsrun_addr_v4_host(&p->addr) & mask_of(p->len)),
		.len = p->len,
	};

	return n;
}

struct nsrun_addr nsrun_prefix_broadcast(const struct nsrun_prefix *p)
{
	return nsrun_addr_v4(nsrun_addr_v4_host(&p->addr) | ~mask_of(p->len));
}

bool nsrun_prefix_contains(const struct nsrun_prefix *p, const struct nsrun_addr *a)
{
	uint32_t m = mask_of(p->len);

	if (a->family != AF_INET || p->addr.family != AF_INET)
		return false;
	return (nsrun_addr_v4_host(a) & m) == (nsrun_addr_v4_host(&p->addr) & m);
}

static void host_range(const struct nsrun_prefix *net, uint32_t *first, uint32_t *last)
{
	uint32_t lo = nsrun_addr_v4_host(&net->addr) & mask_of(net->len);
	uint32_t hi = lo | ~mask_of(net->len);

	if (net->len <= 30) {
		*first = lo + 1;
		*last = hi - 1;
	} else {
		*first = lo; /* /31: both are hosts; /32: the one address */
		*last = hi;
	}
}

int nsrun_pool_init(struct nsrun_pool *pool, const struct nsrun_prefix *gw)
{
	if (gw->addr.family != AF_INET || gw->len > 32)
		return -EAFNOSUPPORT;
	pool->net = nsrun_prefix_network(gw);
	pool->gateway = gw->addr;
	host_range(&pool->net, &pool->first, &pool->last);
	return 0;
}

int nsrun_prefix_first_host(const struct nsrun_prefix *net, struct nsrun_addr *out)
{
	uint32_t first, last;

	if (net->addr.family != AF_INET || net->len > 32)
		return -EAFNOSUPPORT;
	host_range(net, &first, &last);
	/* A subnet nsrun assigns must leave room for the gateway and a host. */
	if (net->len > 30)
		return -ERANGE;
	*out = nsrun_addr_v4(first);
	return 0;
}

bool nsrun_pool_has(const struct nsrun_pool *pool, const struct nsrun_addr *a)
{
	uint32_t h;

	if (a->family != AF_INET)
		return false;
	h = nsrun_addr_v4_host(a);
	return h >= pool->first && h <= pool->last &&
	       !nsrun_addr_equal(a, &pool->gateway);
}

uint64_t nsrun_pool_size(const struct nsrun_pool *pool)
{
	uint64_t n;
	uint32_t gw;

	if (pool->first > pool->last)
		return 0;
	n = (uint64_t)pool->last - pool->first + 1;
	gw = nsrun_addr_v4_host(&pool->gateway);
	if (gw >= pool->first && gw <= pool->last)
		n--;
	return n;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int nsrun_mac_parse(const char *s, uint8_t mac[NSRUN_MAC_LEN])
{
	uint8_t m[NSRUN_MAC_LEN];
	int i, hi, lo;

	if (!s)
		return -EINVAL;
	for (i = 0; i < NSRUN_MAC_LEN; i++) {
		if (i > 0 && *s++ != ':')
			return -EINVAL;
		hi = hexval(s[0]);
		if (hi < 0)
			return -EINVAL;
		lo = hexval(s[1]);
		if (lo < 0)
			return -EINVAL;
		m[i] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	if (*s)
		return -EINVAL;
	if (m[0] & 1)
		return -EDOM; /* multicast/broadcast cannot be an interface address */
	if (!(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]))
		return -EDOM;
	memcpy(mac, m, sizeof(m));
	return 0;
}

void nsrun_mac_format(const uint8_t mac[NSRUN_MAC_LEN], char buf[NSRUN_MAC_STRLEN])
{
	snprintf(buf, NSRUN_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

static void mac_from(uint8_t first, const struct nsrun_addr *a, uint8_t mac[NSRUN_MAC_LEN])
{
	uint32_t h = nsrun_addr_v4_host(a);

	mac[0] = first;
	mac[1] = 0x6e; /* 'n' */
	mac[2] = (uint8_t)(h >> 24);
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

void nsrun_mac_inner(const struct nsrun_addr *a, uint8_t mac[NSRUN_MAC_LEN])
{
	mac_from(0x02, a, mac);
}

void nsrun_mac_host(const struct nsrun_addr *a, uint8_t mac[NSRUN_MAC_LEN])
{
	mac_from(0xfe, a, mac);
}
