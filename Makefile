# nsrun -- see README.md.  make, make check, make install, make bench.
VERSION := 0.1.0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS := libmnl libcap jansson
BUILD ?= build

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wwrite-strings -Wimplicit-fallthrough
ifeq ($(CI),true)
WERROR ?= 1
endif
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif

HARDEN := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
HARDEN_LD := -pie -Wl,-z,relro,-z,now

OPT ?= -O2
CFLAGS ?= $(OPT) -g
ifeq ($(SANITIZE),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
HARDEN := -fstack-protector-strong -fPIE
endif
ifeq ($(COVERAGE),1)
CFLAGS += --coverage -O0
LDFLAGS += --coverage
endif

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARNINGS) $(HARDEN) -Iinclude \
	-DNSRUN_VERSION='"$(VERSION)"' -DNSRUN_SYSCONFDIR='"$(SYSCONFDIR)"' \
	$(PKG_CFLAGS) $(CFLAGS) $(CPPFLAGS)
ALL_LDFLAGS := $(HARDEN_LD) $(LDFLAGS)

ifneq ($(V),1)
Q := @
endif

LIB_SRCS := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
TEST_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj-test/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check unit integration install uninstall clean deps bench fuzz coverage format

all: $(BUILD)/nsrun

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The test build: same sources, plus the fault points of tests/integration.
$(BUILD)/obj-test/%.o: src/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $< (test)")
	$(Q)$(CC) $(ALL_CFLAGS) -DNSRUN_TEST_FAULTS -MMD -MP -c -o $@ $<

$(BUILD)/libnsrun.a: $(LIB_OBJS)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/libnsrun-test.a: $(TEST_OBJS)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/nsrun: $(BUILD)/obj/main.o $(BUILD)/libnsrun.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/nsrun-faults: $(BUILD)/obj-test/main.o $(BUILD)/libnsrun-test.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Unit tests link the same objects as the binary.
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnsrun.a
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -MMD -MP $(ALL_LDFLAGS) -o $@ $< \
		$(BUILD)/libnsrun.a $(CMOCKA_LIBS) $(PKG_LIBS)

unit: $(UNIT_BINS)
integration: $(BUILD)/nsrun $(BUILD)/nsrun-faults

# One summary line at the end: "N passed, N failed, N skipped".
check: $(BUILD)/nsrun $(BUILD)/nsrun-faults $(UNIT_BINS)
	$(Q)BUILD=$(BUILD) tests/run $(UNIT_BINS)

install: $(BUILD)/nsrun
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BUILD)/nsrun $(DESTDIR)$(BINDIR)/nsrun

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nsrun

# Debian's packages this project builds and tests with: one list, shared
# with .ci/run.
DEB_PACKAGES := $(shell grep -v '^\#' .ci/debian-packages)
deps:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(DEB_PACKAGES)

# Benchmarks (never part of check): tests/bench/run, see tests/bench/README.md.
include tests/bench/Makefile.inc
bench: all

format:
	clang-format -i src/*.c include/nsrun/*.h tests/unit/*.c

clean:
	rm -rf $(BUILD)

-include $(LIB_OBJS:.o=.d) $(TEST_OBJS:.o=.d) $(BUILD)/obj/main.d $(BUILD)/obj-test/main.d
-include $(UNIT_BINS:%=%.d)
