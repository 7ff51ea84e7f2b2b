/* SPDX-License-Identifier: MIT */
/*
 * The pure half of --cni (cni_conf.c): names, versions, configuration
 * lists from a directory listing and every malformed one, negotiation,
 * plugin requests, results and errors, the NSRUN_* values, the cache.
 */
#include <errno.h>

#include "unit.h"

#include "nsrun/cni.h"

/* JSON as the tests write it: single quotes for double quotes. */
static char *js(const char *text)
{
	char *s = strdup(text);

	for (char *p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	return s;
}

static json_t *parse_js(const char *text)
{
	char *s = js(text);
	json_error_t e;
	json_t *j = json_loads(s, JSON_DECODE_ANY, &e);

	if (!j)
		fail_msg("test setup: %s: %s", text, e.text);
	free(s);
	return j;
}

/* Compact text of j, compared with want (single quotes). */
static void assert_json(const json_t *j, const char *want)
{
	char *got = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY), *w = js(want);

	if (!got || strcmp(got, w))
		fail_msg("got  %s\nwant %s", got ? got : "(null)", w);
	free(got);
	free(w);
}

/* ---- names, arguments, versions ----------------------------------------------- */

static const struct name_case {
	const char *name, *s;
	const char *id, *net; /* why not, NULL when valid */
} name_cases[] = {
	{ "plain", "web1", NULL, NULL },
	{ "all chars", "a_b.c-D9", NULL, NULL },
	{ "digit first", "0abc", NULL, NULL },
	{ "empty", "", "empty", "empty" },
	{ "underscore first", "_a", "must start with a letter or a digit",
	  "must start with a letter or a digit" },
	{ "dash first", "-a", "must start with a letter or a digit",
	  "must start with a letter or a digit" },
	{ "slash", "a/b", "only letters, digits, '_', '.' and '-' are allowed",
	  "only letters, digits, '_', '.' and '-' are allowed" },
	{ "space", "a b", "only letters, digits, '_', '.' and '-' are allowed",
	  "only letters, digits, '_', '.' and '-' are allowed" },
	{ "utf-8", "caf\xc3\xa9", "only letters, digits, '_', '.' and '-' are allowed",
	  "only letters, digits, '_', '.' and '-' are allowed" },
	{ "57 bytes", "012345678901234567890123456789012345678901234567890123456", NULL, NULL },
	{ "58 bytes", "0123456789012345678901234567890123456789012345678901234567",
	  "longer than 57 bytes", NULL },
	{ "129 bytes",
	  "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567"
	  "89012345678901234567890123456789012345678",
	  "longer than 57 bytes", "longer than 128 bytes" },
};

static void check_why(const char *got, const char *want, const char *what)
{
	if (!want && got)
		fail_msg("%s refused: %s", what, got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("%s: got \"%s\", want \"%s\"", what, got ? got : "(valid)", want);
}

static void test_names(void **state)
{
	const struct name_case *c = *state;

	check_why(nsrun_cni_id_invalid(c->s), c->id, "ID");
	check_why(nsrun_cni_name_invalid(c->s), c->net, "network name");
}

static const struct args_case {
	const char *name, *args, *why;
} args_cases[] = {
	{ "one", "K=V", NULL },
	{ "two", "K8S_POD_NAME=web;IgnoreUnknown=1", NULL },
	{ "empty value", "K=", NULL },
	{ "value with = and :", "K=a=b:c", NULL },
	{ "dash in key", "my-key=1", NULL },
	{ "empty", "",
	  "expected KEY=VALUE pairs separated by ';' (a key is letters, digits, '_' and '-')" },
	{ "no value", "K", "a key without '=VALUE'" },
	{ "trailing ;", "K=V;",
	  "expected KEY=VALUE pairs separated by ';' (a key is letters, digits, '_' and '-')" },
	{ "empty pair", "K=V;;L=W",
	  "expected KEY=VALUE pairs separated by ';' (a key is letters, digits, '_' and '-')" },
	{ "empty key", "=V",
	  "expected KEY=VALUE pairs separated by ';' (a key is letters, digits, '_' and '-')" },
	{ "space", "K=a b", "a value holds a space or a byte that is not printable ASCII" },
	{ "newline", "K=a\nb", "a value holds a space or a byte that is not printable ASCII" },
	{ "utf-8", "K=\xc3\xa9", "a value holds a space or a byte that is not printable ASCII" },
	{ "dot in key", "a.b=1", "a key without '=VALUE'" },
};

static void test_args(void **state)
{
	const struct args_case *c = *state;

	check_why(nsrun_cni_args_invalid(c->args), c->why, "CNI_ARGS");
}

static void test_args_long(void **state)
{
	char buf[NSRUN_CNI_ARGS_MAX + 8];

	(void)state;
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "K=", 2);
	buf[NSRUN_CNI_ARGS_MAX] = '\0';
	assert_null(nsrun_cni_args_invalid(buf));
	buf[NSRUN_CNI_ARGS_MAX] = 'a';
	buf[NSRUN_CNI_ARGS_MAX + 1] = '\0';
	assert_string_equal(nsrun_cni_args_invalid(buf), "longer than 4096 bytes");
}

static const struct version_case {
	const char *name, *s;
	int ok;
	uint32_t v;
} version_cases[] = {
	{ "1.0.0", "1.0.0", 1, 1000000 },
	{ "0.3.1", "0.3.1", 1, 3001 },
	{ "999.999.999", "999.999.999", 1, 999999999 },
	{ "10.20.30", "10.20.30", 1, 10020030 },
	{ "two parts", "1.0", 0, 0 },
	{ "four parts", "1.0.0.0", 0, 0 },
	{ "leading zero", "01.0.0", 0, 0 },
	{ "leading zero minor", "1.00.0", 0, 0 },
	{ "1000", "1000.0.0", 0, 0 },
	{ "pre-release", "1.0.0-rc1", 0, 0 },
	{ "v prefix", "v1.0.0", 0, 0 },
	{ "space", " 1.0.0", 0, 0 },
	{ "empty", "", 0, 0 },
	{ "sign", "+1.0.0", 0, 0 },
};

static void test_version_parse(void **state)
{
	const struct version_case *c = *state;
	uint32_t v = 0;

	assert_int_equal(nsrun_cni_version_parse(c->s, &v), c->ok ? 0 : -EINVAL);
	if (c->ok)
		assert_int_equal(v, c->v);
}

static void test_versions(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(nsrun_cni_version_index("0.3.0"), 0);
	assert_int_equal(nsrun_cni_version_index("1.1.0"), NSRUN_CNI_NVERSIONS - 1);
	assert_int_equal(nsrun_cni_version_index("0.2.0"), -1);
	assert_int_equal(nsrun_cni_version_index("1.1"), -1);
	assert_null(nsrun_cni_versions[NSRUN_CNI_NVERSIONS]);
	nsrun_cni_vmask_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	nsrun_cni_vmask_format(1u << 3, buf, sizeof(buf));
	assert_string_equal(buf, "1.0.0");
	nsrun_cni_vmask_format((1u << 3) | (1u << 4), buf, sizeof(buf));
	assert_string_equal(buf, "1.0.0 and 1.1.0");
	nsrun_cni_vmask_format(0x1f, buf, sizeof(buf));
	assert_string_equal(buf, "0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0");
	nsrun_cni_vmask_format(0x1f, buf, 12); /* truncated, still a string */
	assert_string_equal(buf, "0.3.0, 0.3.");
}

/* ---- configuration directories --------------------------------------------------- */

static void test_order(void **state)
{
	const char *names[] = { "20-b.conf", "10-z.json",  "99.conflist", ".hidden.conflist",
				"README",    "x.conflist", "00-a.conf",	  "a.conf.bak",
				".conflist", "1.conflist", "b.json",	  "c.CONF" };
	const char *want[] = { "1.conflist", "99.conflist", "x.conflist", "00-a.conf",
			       "10-z.json",  "20-b.conf",   "b.json" };
	size_t n;

	(void)state;
	n = nsrun_cni_conf_order(names, sizeof(names) / sizeof(names[0]));
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(names[i], want[i]);
	assert_int_equal(nsrun_cni_conf_order(names, 0), 0);
}

struct file {
	const char *name, *text; /* text NULL: reading fails */
};

struct dir {
	const struct file *files;
	size_t n;
	unsigned int reads;
};

static int read_mem(void *ctx, const char *name, char **data, size_t *len, struct nsrun_err *err)
{
	struct dir *d = ctx;

	d->reads++;
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->files[i].name, name))
			continue;
		if (!d->files[i].text)
			return nsrun_err_set(err, EACCES, "read: Permission denied");
		*data = js(d->files[i].text);
		*len = strlen(*data);
		return 0;
	}
	return nsrun_err_set(err, ENOENT, "open: No such file or directory");
}

static int find(const struct file *files, size_t n, const char *net, struct nsrun_cni_conf *c,
		struct nsrun_err *err, unsigned int *reads)
{
	struct dir d = { files, n, 0 };
	const char *names[16];
	int r;

	for (size_t i = 0; i < n; i++)
		names[i] = files[i].name;
	memset(err, 0, sizeof(*err));
	r = nsrun_cni_conf_find("/etc/cni/net.d", names, n, net, read_mem, &d, c, err);
	if (reads)
		*reads = d.reads;
	return r;
}

#define LIST(name, types) "{'cniVersion':'1.0.0','name':'" name "','plugins':[" types "]}"

static const struct file dir1[] = {
	{ "30-legacy.conf", "{'cniVersion':'0.4.0','name':'old','type':'bridge','bridge':'cni0'}" },
	{ "20-b.conflist", LIST("net", "{'type':'second'}") },
	{ "10-a.conflist", LIST("net", "{'type':'first'}") },
	{ "05-other.conflist", LIST("other", "{'type':'x'},{'type':'y'}") },
	{ "40-dup.json", "{'cniVersion':'1.0.0','name':'other','type':'json-one'}" },
	{ "50-j.json", "{'cniVersion':'1.1.0','name':'j','type':'macvlan'}" },
	{ ".hidden.conflist", "garbage" },
	{ "notes.txt", "garbage" },
};

static void test_find(void **state)
{
	struct nsrun_cni_conf c;
	struct nsrun_err err;
	unsigned int reads;
	const size_t n = sizeof(dir1) / sizeof(dir1[0]);

	(void)state;
	/* The first .conflist in order wins; later files are not read. */
	assert_int_equal(find(dir1, n, "net", &c, &err, &reads), 0);
	assert_string_equal(c.name, "net");
	assert_string_equal(c.file, "/etc/cni/net.d/10-a.conflist");
	assert_string_equal(nsrun_cni_conf_type(&c, 0), "first");
	assert_int_equal(c.nplugins, 1);
	assert_int_equal(reads, 2);
	nsrun_cni_conf_free(&c);

	/* A .conflist before a legacy file of the same name. */
	assert_int_equal(find(dir1, n, "other", &c, &err, NULL), 0);
	assert_string_equal(c.file, "/etc/cni/net.d/05-other.conflist");
	assert_int_equal(c.nplugins, 2);
	nsrun_cni_conf_free(&c);

	/* A legacy file, wrapped into a list that keeps every key. */
	assert_int_equal(find(dir1, n, "old", &c, &err, NULL), 0);
	assert_string_equal(c.file, "/etc/cni/net.d/30-legacy.conf");
	assert_string_equal(c.version, "0.4.0");
	assert_json(c.list, "{'cniVersion':'0.4.0','name':'old','plugins':[{'cniVersion':'0.4.0',"
			    "'name':'old','type':'bridge','bridge':'cni0'}]}");
	nsrun_cni_conf_free(&c);
	assert_int_equal(find(dir1, n, "j", &c, &err, NULL), 0);
	assert_string_equal(nsrun_cni_conf_type(&c, 0), "macvlan");
	nsrun_cni_conf_free(&c);

	assert_int_equal(find(dir1, n, "nope", &c, &err, &reads), -ENOENT);
	assert_string_equal(err.msg, "not found in /etc/cni/net.d (no .conflist, .conf or .json "
				     "file names it)");
	assert_int_equal(reads, 6); /* never the hidden file or notes.txt */
	assert_null(c.list);
	assert_int_equal(find(NULL, 0, "net", &c, &err, NULL), -ENOENT);
}

static void test_find_errors(void **state)
{
	static const struct file bad_first[] = {
		{ "10-a.conflist", "{'name':'zzz'," },
		{ "20-b.conflist", LIST("net", "{'type':'x'}") },
	};
	static const struct file unreadable[] = {
		{ "10-a.conflist", NULL },
		{ "20-b.conflist", LIST("net", "{'type':'x'}") },
	};
	static const struct file other_bad[] = {
		{ "10-a.conflist", LIST("net", "{'type':'x'}") },
		{ "20-b.conflist", "{'name':'zzz'," },
	};
	static const struct file unrelated_invalid[] = {
		{ "10-a.conflist", "{'name':'zzz','plugins':7}" },
		{ "20-b.conflist", LIST("net", "{'type':'x'}") },
	};
	struct nsrun_cni_conf c;
	struct nsrun_err err;

	(void)state;
	/* A file that is no JSON blocks every network after it (as libcni). */
	assert_int_equal(find(bad_first, 2, "net", &c, &err, NULL), -EINVAL);
	assert_string_equal(err.msg, "/etc/cni/net.d/10-a.conflist: line 1, column 14: string or "
				     "'}' expected near end of file");
	assert_int_equal(find(unreadable, 2, "net", &c, &err, NULL), -EACCES);
	assert_string_equal(err.msg, "/etc/cni/net.d/10-a.conflist: read: Permission denied");
	/* ... but not one after the network. */
	assert_int_equal(find(other_bad, 2, "net", &c, &err, NULL), 0);
	nsrun_cni_conf_free(&c);
	/* Another network is only read for its name. */
	assert_int_equal(find(unrelated_invalid, 2, "net", &c, &err, NULL), 0);
	nsrun_cni_conf_free(&c);
}

static const struct bad_conf {
	const char *name, *text;
	bool legacy;
	const char *msg; /* after "F: " */
} bad_confs[] = {
	{ "not JSON", "{'name':", false, "line 1, column 8: unexpected token near end of file" },
	{ "trailing garbage", "{'name':'net'} x", false,
	  "line 1, column 16: end of file expected near 'x'" },
	{ "duplicate key", "{'name':'net',\n'name':'net'}", false,
	  "line 2, column 6: duplicate object key near '\"name\"'" },
	{ "duplicate nested key", LIST("net", "{'type':'x','a':1,'a':2}"), false,
	  "line 1, column 67: duplicate object key near '\"a\"'" },
	{ "invalid UTF-8", "{'name':'n\xff'}", false,
	  "line 1, column 10: unable to decode byte 0xff near '\"n'" },
	{ "NUL escape", "{'name':'n\\u0000'}", false,
	  "line 1, column 17: \\u0000 is not allowed without JSON_ALLOW_NUL near "
	  "'\"n\\u0000\"'" },
	{ "array", "[1]", false, "not a JSON object" },
	{ "name missing", "{'cniVersion':'1.0.0','plugins':[]}", false,
	  "name: missing or not a string" },
	{ "name a number", "{'name':7}", false, "name: missing or not a string" },
	{ "name invalid", "{'cniVersion':'1.0.0','name':'a b','plugins':[]}", false, NULL },
	{ "cniVersion missing", "{'name':'net','plugins':[{'type':'x'}]}", false,
	  "cniVersion: missing or not a string" },
	{ "cniVersion a number", "{'name':'net','cniVersion':1,'plugins':[{'type':'x'}]}", false,
	  "cniVersion: missing or not a string" },
	{ "cniVersion 1.0", "{'name':'net','cniVersion':'1.0','plugins':[{'type':'x'}]}", false,
	  "cniVersion \"1.0\": not a version (X.Y.Z)" },
	{ "cniVersion 0.2.0", "{'name':'net','cniVersion':'0.2.0','plugins':[{'type':'x'}]}", false,
	  "cniVersion 0.2.0: nsrun speaks CNI 0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0" },
	{ "cniVersion 2.0.0", "{'name':'net','cniVersion':'2.0.0','plugins':[{'type':'x'}]}", false,
	  "cniVersion 2.0.0: nsrun speaks CNI 0.3.0, 0.3.1, 0.4.0, 1.0.0 and 1.1.0" },
	{ "cniVersions not an array",
	  "{'name':'net','cniVersion':'1.0.0','cniVersions':'1.0.0','plugins':[{'type':'x'}]}",
	  false, "cniVersions: not an array" },
	{ "cniVersions with a number",
	  "{'name':'net','cniVersion':'1.0.0','cniVersions':[1],'plugins':[{'type':'x'}]}", false,
	  "cniVersions[0]: missing or not a string" },
	{ "cniVersions with a bad version",
	  "{'name':'net','cniVersion':'1.0.0','cniVersions':['1.0.0','x'],'plugins':[{'type':'x'}]"
	  "}",
	  false, "cniVersions[1] \"x\": not a version (X.Y.Z)" },
	{ "disableCheck a string",
	  "{'name':'net','cniVersion':'1.0.0','disableCheck':'true','plugins':[{'type':'x'}]}",
	  false, "disableCheck: not true or false" },
	{ "disableGC a number",
	  "{'name':'net','cniVersion':'1.1.0','disableGC':1,'plugins':[{'type':'x'}]}", false,
	  "disableGC: not true or false" },
	{ "plugins missing", "{'name':'net','cniVersion':'1.0.0'}", false,
	  "plugins: missing or not an array" },
	{ "plugins an object", "{'name':'net','cniVersion':'1.0.0','plugins':{}}", false,
	  "plugins: missing or not an array" },
	{ "plugins empty", LIST("net", ""), false, "plugins: empty" },
	{ "plugin not an object", LIST("net", "{'type':'x'},'bridge'"), false,
	  "plugins[1]: not an object" },
	{ "type missing", LIST("net", "{'bridge':'x'}"), false,
	  "plugins[0].type: missing or not a string" },
	{ "type null", LIST("net", "{'type':null}"), false,
	  "plugins[0].type: missing or not a string" },
	{ "type empty", LIST("net", "{'type':''}"), false, "plugins[0].type \"\": empty" },
	{ "type a path", LIST("net", "{'type':'/usr/bin/evil'}"), false,
	  "plugins[0].type \"/usr/bin/evil\": contains '/' (plugins are found only in the CNI "
	  "path)" },
	{ "type relative path", LIST("net", "{'type':'../bin/sh'}"), false,
	  "plugins[0].type \"../bin/sh\": contains '/' (plugins are found only in the CNI path)" },
	{ "type backslash", LIST("net", "{'type':'a\\\\b'}"), false,
	  "plugins[0].type \"a\\b\": contains '\\'" },
	{ "type dot dot", LIST("net", "{'type':'..'}"), false,
	  "plugins[0].type \"..\": is . or .." },
	{ "type dot", LIST("net", "{'type':'.'}"), false, "plugins[0].type \".\": is . or .." },
	{ "type newline", LIST("net", "{'type':'a\\nb'}"), false,
	  "plugins[0].type \"a?b\": contains a control character" },
	{ "capabilities a list", LIST("net", "{'type':'x','capabilities':['mac']}"), false,
	  "plugins[0].capabilities: not an object" },
	{ "capability not a bool", LIST("net", "{'type':'x','capabilities':{'mac':'yes'}}"), false,
	  "plugins[0].capabilities.mac: not true or false" },
	{ "legacy with plugins", "{'name':'net','cniVersion':'1.0.0','plugins':[{'type':'x'}]}",
	  true, "has a plugins list: a configuration list belongs in a .conflist file" },
	{ "legacy without type", "{'name':'net','cniVersion':'1.0.0','bridge':'b'}", true,
	  "plugins[0].type: missing or not a string" },
	{ "legacy without version", "{'name':'net','type':'bridge'}", true,
	  "cniVersion: missing or not a string" },
};

static void test_bad_conf(void **state)
{
	const struct bad_conf *b = *state;
	char *text = js(b->text), want[NSRUN_ERR_MSG_MAX];
	struct nsrun_cni_conf c;
	struct nsrun_err err = { 0 };
	int r;

	r = nsrun_cni_conf_parse("F", text, strlen(text), b->legacy, "net", &c, &err);
	/* A name that is not one: the file names another network. */
	if (!b->msg) {
		assert_int_equal(r, 0);
	} else {
		assert_true(r < 0);
		snprintf(want, sizeof(want), "F: %s", b->msg);
		if (strcmp(err.msg, want))
			fail_msg("got  %s\nwant %s", err.msg, want);
	}
	assert_null(c.list);
	free(text);
}

static void test_bad_conf_limits(void **state)
{
	struct nsrun_cni_conf c;
	struct nsrun_err err = { 0 };
	size_t big = NSRUN_CNI_TEXT_MAX + 1;
	char *text = malloc(big), *many;
	int r;

	(void)state;
	memset(text, ' ', big);
	text[0] = '{';
	text[big - 1] = '}';
	assert_int_equal(nsrun_cni_conf_parse("F", text, big, false, "net", &c, &err), -EFBIG);
	assert_string_equal(err.msg, "F: larger than 1048576 bytes");
	free(text);

	/* 33 plugins; a type of 256 bytes. */
	many = malloc(64 * 40 + 300);
	strcpy(many, "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[");
	for (int i = 0; i < 33; i++)
		strcat(many, i ? ",{\"type\":\"x\"}" : "{\"type\":\"x\"}");
	strcat(many, "]}");
	r = nsrun_cni_conf_parse("F", many, strlen(many), false, "net", &c, &err);
	assert_int_equal(r, -E2BIG);
	assert_string_equal(err.msg, "F: plugins: more than 32");
	strcpy(many, "{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"");
	memset(many + strlen(many), 'x', 256);
	strcpy(many +
		       strlen("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":"
			      "\"") +
		       256,
	       "\"}]}");
	r = nsrun_cni_conf_parse("F", many, strlen(many), false, "net", &c, &err);
	assert_int_equal(r, -EINVAL);
	assert_non_null(strstr(err.msg, "\": longer than 255 bytes"));
	free(many);
}

/* ---- versions a list allows, negotiation --------------------------------------------- */

static const struct allowed_case {
	const char *name, *text, *want;
} allowed_cases[] = {
	{ "1.1.0: also 1.0.0", "{'cniVersion':'1.1.0'", "1.0.0 and 1.1.0" },
	{ "1.0.0 alone", "{'cniVersion':'1.0.0'", "1.0.0" },
	{ "a future 1.x", "{'cniVersion':'1.2.3'", "1.0.0 and 1.1.0" },
	{ "0.4.0 alone", "{'cniVersion':'0.4.0'", "0.4.0" },
	{ "0.3.1 alone", "{'cniVersion':'0.3.1'", "0.3.1" },
	{ "cniVersions", "{'cniVersion':'1.0.0','cniVersions':['0.4.0','1.0.0']",
	  "0.4.0 and 1.0.0" },
	{ "cniVersions with unknown ones", "{'cniVersion':'1.0.0','cniVersions':['0.2.0','3.0.0']",
	  "1.0.0" },
	{ "cniVersions beyond cniVersion", "{'cniVersion':'0.4.0','cniVersions':['1.1.0']",
	  "0.4.0, 1.0.0 and 1.1.0" },
	{ "only unknown, but cniVersions", "{'cniVersion':'2.0.0','cniVersions':['0.3.0']",
	  "0.3.0" },
};

static void test_allowed(void **state)
{
	const struct allowed_case *a = *state;
	char *text, buf[64];
	struct nsrun_cni_conf c;
	struct nsrun_err err;

	assert_true(asprintf(&text, "%s,'name':'n','plugins':[{'type':'x'}]}", a->text) > 0);
	{
		char *t = js(text);

		assert_int_equal(nsrun_cni_conf_parse("F", t, strlen(t), false, "n", &c, &err), 1);
		free(t);
	}
	nsrun_cni_vmask_format(c.allowed, buf, sizeof(buf));
	assert_string_equal(buf, a->want);
	nsrun_cni_conf_free(&c);
	free(text);
}

static struct nsrun_cni_conf conf_of(const char *text)
{
	char *t = js(text);
	struct nsrun_cni_conf c;
	struct nsrun_err err;

	if (nsrun_cni_conf_parse("F", t, strlen(t), false, "net", &c, &err) != 1)
		fail_msg("test setup: %s: %s", text, err.msg);
	free(t);
	return c;
}

static const struct pick_case {
	const char *name, *version;
	nsrun_cni_vmask masks[3];
	int want; /* index, or -1 */
	const char *msg;
} pick_cases[] = {
	{ "all speak 1.1.0", "1.1.0", { 0x1f, 0x1f, 0x1f }, 4, NULL },
	{ "one stops at 1.0.0", "1.1.0", { 0x1f, 0x0f, 0x1f }, 3, NULL },
	{ "0.4.0 list", "0.4.0", { 0x1f, 0x1f, 0x1f }, 2, NULL },
	{ "1.0.0 list, plugin 1.1.0 only",
	  "1.0.0",
	  { 0x1f, 0x10, 0x1f },
	  -1,
	  "plugin b: speaks CNI 1.1.0, the network needs 1.0.0: no version in common" },
	{ "1.1.0 list, plugin 0.4.0 only",
	  "1.1.0",
	  { 0x1f, 0x1f, 0x04 },
	  -1,
	  "plugin c: speaks CNI 0.4.0, the network needs one of 1.0.0 and 1.1.0: no version in "
	  "common" },
	{ "second narrows, third misses",
	  "1.1.0",
	  { 0x1f, 0x08, 0x10 },
	  -1,
	  "plugin c: speaks CNI 1.1.0, the network needs 1.0.0: no version in common" },
	{ "speaks nothing nsrun knows",
	  "1.0.0",
	  { 0, 0x1f, 0x1f },
	  -1,
	  "plugin a: speaks CNI none, the network needs 1.0.0: no version in common" },
};

static void test_pick(void **state)
{
	const struct pick_case *p = *state;
	char text[256];
	struct nsrun_cni_conf c;
	struct nsrun_err err = { 0 };
	int r;

	snprintf(text, sizeof(text),
		 "{'cniVersion':'%s','name':'net','plugins':[{'type':'a'},{'type':'b'},{'type':'c'}"
		 "]}",
		 p->version);
	c = conf_of(text);
	r = nsrun_cni_version_pick(&c, p->masks, &err);
	if (p->want >= 0) {
		assert_int_equal(r, p->want);
	} else {
		assert_int_equal(r, -ENOTSUP);
		assert_string_equal(err.msg, p->msg);
	}
	nsrun_cni_conf_free(&c);
}

static const struct answer_case {
	const char *name, *text;
	nsrun_cni_vmask mask;
	const char *msg;
} answer_cases[] = {
	{ "reference plugin",
	  "{'cniVersion':'1.0.0','supportedVersions':['0.1.0','0.2.0','0.3.0','0.3.1','0.4.0','1.0."
	  "0']}",
	  0x0f, NULL },
	{ "1.1.0 only", "{'supportedVersions':['1.1.0']}", 0x10, NULL },
	{ "unknown ones ignored", "{'supportedVersions':['9.9.9','x','1.0.0']}", 0x08, NULL },
	{ "empty list", "{'supportedVersions':[]}", 0, NULL },
	{ "no list", "{'cniVersion':'1.0.0'}", 0,
	  "answer: supportedVersions: missing or not an array" },
	{ "a number in the list", "{'supportedVersions':['1.0.0',1]}", 0,
	  "answer: supportedVersions[1]: not a string" },
	{ "not JSON", "1.0.0", 0, "answer: line 1, column 3: '[' or '{' expected near '1.0'" },
	{ "empty output", "", 0, "answer: line 1, column 0: '[' or '{' expected near end of file" },
};

static void test_version_answer(void **state)
{
	const struct answer_case *a = *state;
	char *text = js(a->text);
	nsrun_cni_vmask m = 0xff;
	struct nsrun_err err = { 0 };
	int r = nsrun_cni_version_answer(text, strlen(text), &m, &err);

	if (a->msg) {
		assert_true(r < 0);
		assert_string_equal(err.msg, a->msg);
	} else {
		assert_int_equal(r, 0);
		assert_int_equal(m, a->mask);
	}
	free(text);
}

/* ---- requests --------------------------------------------------------------------------- */

static void test_caps_build(void **state)
{
	static const struct {
		const char *args[3];
		size_t n;
		const char *want, *msg;
	} cases[] = {
		{ { NULL }, 0, NULL, NULL },
		{ { "mac=\"02:00:00:00:00:01\"", "portMappings=[{\"hostPort\":80}]" },
		  2,
		  "{'mac':'02:00:00:00:00:01','portMappings':[{'hostPort':80}]}",
		  NULL },
		{ { "n=1" }, 1, "{'n':1}", NULL },
		{ { "x=a=b" },
		  1,
		  NULL,
		  "--cni-cap x: not JSON: line 1, column 1: invalid token near 'a'" },
		{ { "mac=1", "mac=2" }, 2, NULL, "--cni-cap mac: given twice" },
		{ { "=1" },
		  1,
		  NULL,
		  "--cni-cap =1: expected NAME=JSON (a name of 1 to 127 bytes)" },
		{ { "nothing" },
		  1,
		  NULL,
		  "--cni-cap nothing: expected NAME=JSON (a name of 1 to 127 bytes)" },
		{ { "d={\"a\":1,\"a\":2}" },
		  1,
		  NULL,
		  "--cni-cap d: not JSON: line 1, column 10: duplicate object key near '\"a\"'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nsrun_err err = { 0 };
		json_t *caps = (json_t *)1;
		int r = nsrun_cni_caps_build(cases[i].args, cases[i].n, &caps, &err);

		if (cases[i].msg) {
			if (r >= 0 || strcmp(err.msg, cases[i].msg))
				fail_msg("case %zu: got %d \"%s\"", i, r, err.msg);
			assert_null(caps);
		} else if (cases[i].want) {
			assert_int_equal(r, 0);
			assert_json(caps, cases[i].want);
		} else {
			assert_int_equal(r, 0);
			assert_null(caps);
		}
		json_decref(caps);
	}
}

static void test_request(void **state)
{
	struct nsrun_cni_conf c = conf_of(
		"{'cniVersion':'1.1.0','name':'net','plugins':["
		"{'type':'bridge','bridge':'cni0','ipam':{'type':'host-local','x':[1.5,null,true]},"
		"'capabilities':{'portMappings':true,'mac':false,'bandwidth':true}},"
		"{'type':'tuning','name':'mine','cniVersion':'0.1.0','prevResult':{'stale':1},"
		"'runtimeConfig':{'own':1},'z':{}}]}");
	json_t *caps = parse_js("{'portMappings':[{'hostPort':80}],'mac':'02:00:00:00:00:01',"
				"'ips':['10.0.0.2/24']}");
	json_t *prev = parse_js("{'cniVersion':'1.0.0','ips':[]}");
	json_t *att = parse_js("[{'containerID':'a','ifname':'eth0'}]");
	json_t *r;

	(void)state;
	/* Keys kept in order, name and cniVersion added, capabilities gone,
	 * runtimeConfig: only the declared capabilities that have values. */
	r = nsrun_cni_request(&c, 0, "1.0.0", NULL, caps, NULL);
	assert_json(r, "{'type':'bridge','bridge':'cni0','ipam':{'type':'host-local','x':[1.5,null,"
		       "true]},'cniVersion':'1.0.0','name':'net','runtimeConfig':{'portMappings':"
		       "[{'hostPort':80}]}}");
	json_decref(r);
	/* The runtime's keys replace the plugin's own, in place. */
	r = nsrun_cni_request(&c, 1, "1.0.0", prev, caps, NULL);
	assert_json(r,
		    "{'type':'tuning','name':'net','cniVersion':'1.0.0','runtimeConfig':{'own':1},"
		    "'z':{},'prevResult':{'cniVersion':'1.0.0','ips':[]}}");
	json_decref(r);
	/* No capability arguments: no runtimeConfig of ours. */
	r = nsrun_cni_request(&c, 0, "1.0.0", prev, NULL, NULL);
	assert_false(json_object_get(r, "runtimeConfig") != NULL);
	assert_non_null(json_object_get(r, "prevResult"));
	json_decref(r);
	/* GC: the valid attachments under both keys. */
	r = nsrun_cni_request(&c, 1, "1.1.0", NULL, NULL, att);
	assert_json(r,
		    "{'type':'tuning','name':'net','cniVersion':'1.1.0','runtimeConfig':{'own':1},"
		    "'z':{},'cni.dev/valid-attachments':[{'containerID':'a','ifname':'eth0'}],"
		    "'cni.dev/attachments':[{'containerID':'a','ifname':'eth0'}]}");
	json_decref(r);
	/* The configuration itself is left alone. */
	assert_non_null(json_object_get(json_array_get(json_object_get(c.list, "plugins"), 0),
					"capabilities"));
	assert_true(nsrun_cni_conf_has_cap(&c, 0, "portMappings"));
	assert_false(nsrun_cni_conf_has_cap(&c, 0, "mac"));
	assert_false(nsrun_cni_conf_has_cap(&c, 1, "mac"));
	json_decref(caps);
	json_decref(prev);
	json_decref(att);
	nsrun_cni_conf_free(&c);
}

/* ---- results and errors ------------------------------------------------------------------ */

#define BRIDGE_RESULT                                                                             \
	"{'cniVersion':'1.0.0','interfaces':[{'name':'cni0','mac':'aa:bb:cc:dd:ee:01'},"          \
	"{'name':'veth1234','mac':'aa:bb:cc:dd:ee:02'},{'name':'eth0','mac':'aa:bb:cc:dd:ee:03'," \
	"'sandbox':'/run/netns/nsrun-x'}],'ips':[{'interface':2,'address':'10.88.0.2/24',"        \
	"'gateway':'10.88.0.1'}],'routes':[{'dst':'0.0.0.0/0'}],'dns':{}}"

static const struct result_case {
	const char *name, *text, *msg;
} result_cases[] = {
	{ "bridge plugin", BRIDGE_RESULT, NULL },
	{ "minimal", "{'cniVersion':'1.0.0'}", NULL },
	{ "0.4.0 style", "{'cniVersion':'1.0.0','ips':[{'version':'4','address':'10.0.0.2/8'}]}",
	  NULL },
	{ "IPv6",
	  "{'cniVersion':'1.0.0','ips':[{'address':'2001:db8::2/64','gateway':'2001:db8::1'}],"
	  "'routes':[{'dst':'::/0','gw':'2001:db8::1'}]}",
	  NULL },
	{ "unknown keys", "{'cniVersion':'1.0.0','x':1,'ips':[{'address':'1.2.3.4/32','y':[]}]}",
	  NULL },
	{ "not an object", "[]", "result: not a JSON object" },
	{ "not JSON", "{", "result: line 1, column 1: string or '}' expected near end of file" },
	{ "no cniVersion", "{'ips':[]}", "result: cniVersion: missing or not a string" },
	{ "another version", "{'cniVersion':'0.4.0'}",
	  "result: cniVersion \"0.4.0\", not the 1.0.0 asked for" },
	{ "interfaces an object", "{'cniVersion':'1.0.0','interfaces':{}}",
	  "result: interfaces: not an array" },
	{ "interface without name", "{'cniVersion':'1.0.0','interfaces':[{'mac':'x'}]}",
	  "result: interfaces[0].name: missing or not a string" },
	{ "interface not an object", "{'cniVersion':'1.0.0','interfaces':['eth0']}",
	  "result: interfaces[0]: not an object" },
	{ "sandbox a number", "{'cniVersion':'1.0.0','interfaces':[{'name':'a','sandbox':1}]}",
	  "result: interfaces[0].sandbox: not an address" },
	{ "address without prefix", "{'cniVersion':'1.0.0','ips':[{'address':'10.0.0.2'}]}",
	  "result: ips[0].address: not an address/prefix" },
	{ "address prefix 33", "{'cniVersion':'1.0.0','ips':[{'address':'10.0.0.2/33'}]}",
	  "result: ips[0].address: not an address/prefix" },
	{ "address prefix 08", "{'cniVersion':'1.0.0','ips':[{'address':'10.0.0.2/08'}]}",
	  "result: ips[0].address: not an address/prefix" },
	{ "IPv6 prefix 129", "{'cniVersion':'1.0.0','ips':[{'address':'::1/129'}]}",
	  "result: ips[0].address: not an address/prefix" },
	{ "address missing", "{'cniVersion':'1.0.0','ips':[{'gateway':'10.0.0.1'}]}",
	  "result: ips[0].address: missing or not a string" },
	{ "bad gateway",
	  "{'cniVersion':'1.0.0','ips':[{'address':'10.0.0.2/24','gateway':'10.0.0'}]}",
	  "result: ips[0].gateway: not an address" },
	{ "interface out of range",
	  "{'cniVersion':'1.0.0','ips':[{'address':'10.0.0.2/24','interface':0}]}",
	  "result: ips[0].interface: not an index of interfaces" },
	{ "interface negative",
	  "{'cniVersion':'1.0.0','interfaces':[{'name':'a'}],'ips':[{'address':'10.0.0.2/"
	  "24','interface':-1}]}",
	  "result: ips[0].interface: not an index of interfaces" },
	{ "interface a string",
	  "{'cniVersion':'1.0.0','interfaces':[{'name':'a'}],'ips':[{'address':'10.0.0.2/"
	  "24','interface':'0'}]}",
	  "result: ips[0].interface: not an index of interfaces" },
	{ "route without dst", "{'cniVersion':'1.0.0','routes':[{'gw':'10.0.0.1'}]}",
	  "result: routes[0].dst: missing or not a string" },
	{ "route bad gw", "{'cniVersion':'1.0.0','routes':[{'dst':'0.0.0.0/0','gw':'x'}]}",
	  "result: routes[0].gw: not an address" },
	{ "dns a list", "{'cniVersion':'1.0.0','dns':[]}", "result: dns: not an object" },
};

static void test_result(void **state)
{
	const struct result_case *c = *state;
	char *text = js(c->text);
	struct nsrun_err err = { 0 };
	json_t *r = (json_t *)1;
	int ret = nsrun_cni_result_parse(text, strlen(text), "1.0.0", &r, &err);

	if (c->msg) {
		char *want = js(c->msg);

		assert_true(ret < 0);
		assert_null(r);
		if (strcmp(err.msg, want) && strcmp(err.msg, c->msg))
			fail_msg("got  %s\nwant %s", err.msg, c->msg);
		free(want);
	} else {
		assert_int_equal(ret, 0);
		assert_non_null(r);
		json_decref(r);
	}
	free(text);
}

static const struct env_case {
	const char *name, *text, *ifname;
	const char *addr, *gw, *host; /* addr "A/N" or NULL; gw or NULL */
} env_cases[] = {
	{ "bridge plugin", BRIDGE_RESULT, "eth0", "10.88.0.2/24", "10.88.0.1", "veth1234" },
	{ "gateway from the default route",
	  "{'ips':[{'address':'10.0.0.2/24'}],'routes':[{'dst':'10.1.0.0/16','gw':'10.0.0.9'},"
	  "{'dst':'0.0.0.0/0','gw':'10.0.0.1'}]}",
	  "eth0", "10.0.0.2/24", "10.0.0.1", "" },
	{ "no gateway at all", "{'ips':[{'address':'10.0.0.2/24'}],'routes':[{'dst':'0.0.0.0/0'}]}",
	  "eth0", "10.0.0.2/24", NULL, "" },
	{ "IPv4 before IPv6",
	  "{'ips':[{'address':'2001:db8::2/64','gateway':'2001:db8::1'},{'address':'10.0.0.2/"
	  "24'}]}",
	  "eth0", "10.0.0.2/24", NULL, "" },
	{ "IPv6 only", "{'ips':[{'address':'2001:db8::2/64','gateway':'2001:db8::1'}]}", "eth0",
	  "2001:db8::2/64", "2001:db8::1", "" },
	{ "IPv6 default route",
	  "{'ips':[{'address':'2001:db8::2/64'}],'routes':[{'dst':'0.0.0.0/"
	  "0','gw':'10.0.0.1'},{'dst':'::/0','gw':'fe80::1'}]}",
	  "eth0", "2001:db8::2/64", "fe80::1", "" },
	{ "host-side address skipped",
	  "{'interfaces':[{'name':'veth0'},{'name':'eth0','sandbox':'/"
	  "x'}],'ips':[{'address':'10.0.0.1/"
	  "24','interface':0},{'address':'10.0.0.2/24','interface':1}]}",
	  "eth0", "10.0.0.2/24", NULL, "veth0" },
	{ "the interface asked for",
	  "{'interfaces':[{'name':'net1','sandbox':'/x'},{'name':'eth0','sandbox':'/x'}],'ips':["
	  "{'address':'10.1.0.2/24','interface':0},{'address':'10.0.0.2/24','interface':1}]}",
	  "eth0", "10.0.0.2/24", NULL, "" },
	{ "any sandbox interface",
	  "{'interfaces':[{'name':'net1','sandbox':'/x'}],'ips':[{'address':'10.1.0.2/"
	  "24','interface':0}]}",
	  "eth0", "10.1.0.2/24", NULL, "" },
	{ "an empty sandbox is the host's",
	  "{'interfaces':[{'name':'eth0','sandbox':''}],'ips':[{'address':'10.1.0.2/"
	  "24','interface':0}]}",
	  "eth0", NULL, NULL, "eth0" },
	{ "gateway of another family ignored",
	  "{'ips':[{'address':'10.0.0.2/24','gateway':'2001:db8::1'}]}", "eth0", "10.0.0.2/24",
	  NULL, "" },
	{ "no ips", "{'interfaces':[{'name':'eth0','sandbox':'/x'}]}", "eth0", NULL, NULL, "" },
	{ "a long host name is not copied",
	  "{'interfaces':[{'name':'a-very-long-host-interface'}]}", "eth0", NULL, NULL, "" },
};

static void test_env(void **state)
{
	const struct env_case *c = *state;
	json_t *r = parse_js(c->text);
	struct nsrun_cni_env env;
	char a[NSRUN_PREFIX_STRLEN], g[NSRUN_ADDR_STRLEN];

	nsrun_cni_result_env(r, c->ifname, &env);
	assert_int_equal(env.has_addr, c->addr != NULL);
	if (c->addr) {
		nsrun_prefix_format(&env.addr, a);
		assert_string_equal(a, c->addr);
	}
	assert_int_equal(env.has_gateway, c->gw != NULL);
	if (c->gw) {
		nsrun_addr_format(&env.gateway, g);
		assert_string_equal(g, c->gw);
	}
	assert_string_equal(env.host_ifname, c->host);
	json_decref(r);
}

static void test_error_parse(void **state)
{
	static const struct {
		const char *text;
		int r;
		long long code;
		const char *msg, *details;
	} cases[] = {
		{ "{'cniVersion':'1.0.0','code':7,'msg':'no luck','details':'pool dry'}", 0, 7,
		  "no luck", "pool dry" },
		{ "{'code':11,'msg':'busy'}", 0, 11, "busy", "" },
		{ "{'code':1,'msg':'a\\nb\\u001b[2Jc','details':'d\\te'}", 0, 1, "a b [2Jc",
		  "d e" },
		{ "{'code':'7','msg':'x'}", -EINVAL, 0, "", "" },
		{ "{'code':7}", -EINVAL, 0, "", "" },
		{ "{'code':7,'msg':null}", -EINVAL, 0, "", "" },
		{ "oops", -EINVAL, 0, "", "" },
		{ "", -EINVAL, 0, "", "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = js(cases[i].text);
		struct nsrun_cni_error e;

		assert_int_equal(nsrun_cni_error_parse(text, strlen(text), &e), cases[i].r);
		assert_int_equal(e.code, cases[i].code);
		assert_string_equal(e.msg, cases[i].msg);
		assert_string_equal(e.details, cases[i].details);
		free(text);
	}
}

/* ---- the cache --------------------------------------------------------------------------- */

static void cache_of(struct nsrun_cni_cache *k)
{
	memset(k, 0, sizeof(*k));
	snprintf(k->id, sizeof(k->id), "web1");
	k->conf = conf_of("{'cniVersion':'1.0.0','name':'net','plugins':[{'type':'bridge'}]}");
	k->version = 3;
	snprintf(k->ifname, sizeof(k->ifname), "eth0");
	k->args = strdup("K=V");
	k->caps = parse_js("{'mac':'02:00:00:00:00:01'}");
	k->cni_path = strdup("/usr/lib/cni");
	snprintf(k->netns, sizeof(k->netns), "/run/netns/nsrun-web1");
	k->netns_dev = 4;
	k->netns_ino = 4026532182ull;
	k->pid = 4242;
	k->start = 123456;
	k->created = 1700000000;
	k->result = parse_js(BRIDGE_RESULT);
}

static void test_cache_roundtrip(void **state)
{
	struct nsrun_cni_cache k, back;
	struct nsrun_err err = { 0 };
	char *text, *again;

	(void)state;
	cache_of(&k);
	text = nsrun_cni_cache_format(&k);
	assert_non_null(text);
	assert_int_equal(text[strlen(text) - 1], '\n');
	assert_int_equal(nsrun_cni_cache_parse(text, strlen(text), "web1.json", &back, &err), 0);
	assert_string_equal(back.id, "web1");
	assert_string_equal(back.conf.name, "net");
	assert_string_equal(back.conf.file, "F");
	assert_int_equal(back.version, 3);
	assert_string_equal(back.ifname, "eth0");
	assert_string_equal(back.args, "K=V");
	assert_string_equal(back.cni_path, "/usr/lib/cni");
	assert_string_equal(back.netns, "/run/netns/nsrun-web1");
	assert_int_equal(back.netns_dev, 4);
	assert_int_equal(back.netns_ino, 4026532182ull);
	assert_int_equal(back.pid, 4242);
	assert_int_equal(back.start, 123456);
	assert_int_equal(back.created, 1700000000);
	assert_true(json_equal(back.caps, k.caps));
	assert_true(json_equal(back.result, k.result));
	again = nsrun_cni_cache_format(&back);
	assert_string_equal(again, text);
	free(again);
	free(text);
	nsrun_cni_cache_free(&back);

	/* While ADD runs: no result, no arguments. */
	json_decref(k.result);
	json_decref(k.caps);
	free(k.args);
	k.result = k.caps = NULL;
	k.args = NULL;
	text = nsrun_cni_cache_format(&k);
	assert_non_null(strstr(text, "\"args\":null,\"capability_args\":null,"));
	assert_non_null(strstr(text, "\"result\":null}"));
	assert_int_equal(nsrun_cni_cache_parse(text, strlen(text), "web1.json", &back, &err), 0);
	assert_null(back.result);
	assert_null(back.args);
	assert_null(back.caps);
	nsrun_cni_cache_free(&back);
	free(text);
	nsrun_cni_cache_free(&k);
}

static const struct cache_case {
	const char *name;
	const char *from, *to; /* a replacement in the good cache's text */
	const char *msg;       /* after "web1.json: " */
} cache_cases[] = {
	{ "another version", "\"nsrun_cni_cache\":1", "\"nsrun_cni_cache\":2",
	  "not an nsrun CNI cache of version 1" },
	{ "an unknown key",
	  "\"id\":", "\"extra\":1,\"id\":", "1 object item(s) left unpacked: extra" },
	{ "a key missing", "\"ifname\":\"eth0\",", "", "Object item not found: ifname" },
	{ "pid a string", "\"pid\":4242", "\"pid\":\"4242\"", "Expected integer, got string" },
	{ "bad ID", "\"id\":\"web1\"", "\"id\":\"../x\"", "must start with a letter or a digit" },
	{ "bad args", "\"args\":\"K=V\"", "\"args\":\"K V\"",
	  "args: not a valid CNI_ARGS string or null" },
	{ "caps a list", "\"capability_args\":{\"mac\":\"02:00:00:00:00:01\"}",
	  "\"capability_args\":[]", "capability_args: not an object or null" },
	{ "unknown version", "\"cni_version\":\"1.0.0\"", "\"cni_version\":\"0.2.0\"",
	  "cni_version: not a version nsrun speaks" },
	{ "bad ifname", "\"ifname\":\"eth0\"", "\"ifname\":\"a/b\"",
	  "ifname: not an interface name" },
	{ "empty path", "\"cni_path\":\"/usr/lib/cni\"", "\"cni_path\":\"\"", "cni_path: empty" },
	{ "netns elsewhere", "\"netns\":\"/run/netns/nsrun-web1\"", "\"netns\":\"/proc/1/ns/net\"",
	  "netns: not the path of its ID" },
	{ "pid 0", "\"pid\":4242", "\"pid\":0",
	  "netns_dev, netns_ino, pid or start: out of range" },
	{ "start negative", "\"start\":123456", "\"start\":-1",
	  "netns_dev, netns_ino, pid or start: out of range" },
	{ "result a string", "\"result\":{", "\"result\":\"x\",\"r\":{",
	  "1 object item(s) left unpacked: r" },
	{ "another network", "\"network\":\"net\"", "\"network\":\"other\"",
	  "network: not the name of its config" },
	{ "a bad config", "\"plugins\":[{\"type\":\"bridge\"}]", "\"plugins\":[]",
	  "config: F: plugins: empty" },
	{ "a bad result", "\"address\":\"10.88.0.2/24\"", "\"address\":\"10.88.0.2\"",
	  "result: ips[0].address: not an address/prefix" },
	{ "result in another version", "{\"cniVersion\":\"1.0.0\",\"interfaces\"",
	  "{\"cniVersion\":\"0.4.0\",\"interfaces\"",
	  "result: cniVersion \"0.4.0\", not the 1.0.0 asked for" },
	{ "not JSON", "{\"nsrun_cni_cache\"", "{nsrun_cni_cache\"",
	  "line 1, column 6: string or '}' expected near 'nsrun'" },
};

static void test_bad_cache(void **state)
{
	const struct cache_case *c = *state;
	struct nsrun_cni_cache k, back;
	struct nsrun_err err = { 0 };
	char *text, *at, *bad, want[NSRUN_ERR_MSG_MAX];

	cache_of(&k);
	text = nsrun_cni_cache_format(&k);
	at = strstr(text, c->from);
	if (!at)
		fail_msg("test setup: no %s in %s", c->from, text);
	assert_true(asprintf(&bad, "%.*s%s%s", (int)(at - text), text, c->to,
			     at + strlen(c->from)) > 0);
	assert_true(nsrun_cni_cache_parse(bad, strlen(bad), "web1.json", &back, &err) < 0);
	snprintf(want, sizeof(want), "web1.json: %s", c->msg);
	if (strcmp(err.msg, want))
		fail_msg("got  %s\nwant %s", err.msg, want);
	assert_null(back.conf.list);
	assert_null(back.result);
	free(bad);
	free(text);
	nsrun_cni_cache_free(&k);
}

int main(void)
{
	struct unit_list l = { 0 };

	UNIT_TABLE(&l, test_names, name_cases);
	UNIT_TABLE(&l, test_args, args_cases);
	UNIT(&l, test_args_long);
	UNIT_TABLE(&l, test_version_parse, version_cases);
	UNIT(&l, test_versions);
	UNIT(&l, test_order);
	UNIT(&l, test_find);
	UNIT(&l, test_find_errors);
	UNIT_TABLE(&l, test_bad_conf, bad_confs);
	UNIT(&l, test_bad_conf_limits);
	UNIT_TABLE(&l, test_allowed, allowed_cases);
	UNIT_TABLE(&l, test_pick, pick_cases);
	UNIT_TABLE(&l, test_version_answer, answer_cases);
	UNIT(&l, test_caps_build);
	UNIT(&l, test_request);
	UNIT_TABLE(&l, test_result, result_cases);
	UNIT_TABLE(&l, test_env, env_cases);
	UNIT(&l, test_error_parse);
	UNIT(&l, test_cache_roundtrip);
	UNIT_TABLE(&l, test_bad_cache, cache_cases);
	return unit_run(&l, "cni_conf");
}
