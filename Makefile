# liburing-rs: `make` builds the library, headers' companions, tests and
# examples; `make test` runs every test; `make install` installs.

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DESTDIR    ?=
CC         ?= cc
CFLAGS     ?= -O2 -g
CARGO      ?= cargo

VERSION    := 2.15.0
SONAME     := liburing_rs.so.2
B          := build
SO         := $(B)/liburing_rs.so.$(VERSION)
STATIC     := $(B)/liburing_rs.a
PC         := $(B)/liburing-rs.pc
MAP        := $(B)/liburing_rs.map
RUST_A     := target/release/liburing_rs.a
# What the Rust staticlib needs from the system (rustc --print native-static-libs).
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc

TEST_CFLAGS := -O2 -g -Wall -Wextra -Werror -Iinclude -D_GNU_SOURCE
TEST_LDFLAGS := -L$(B) -luring_rs -Wl,-rpath,$(abspath $(B)) -lpthread

CTEST_SRC  := $(wildcard ctests/*.c)
CTESTS     := $(patsubst ctests/%.c,$(B)/ctests/%,$(CTEST_SRC))
EXAMPLE_SRC := $(wildcard examples/*.c)
EXAMPLES   := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRC))
HEADERS    := $(shell find include -name '*.h')

.PHONY: all lib rust test check-rust check-header check-symbols check-ctests \
	conformance install uninstall clean FORCE

all: lib $(CTESTS) $(EXAMPLES)

lib: $(SO) $(B)/$(SONAME) $(B)/liburing_rs.so $(STATIC) $(PC)

# Cargo decides what to rebuild; it also regenerates include/liburing/decls.h.
$(RUST_A): FORCE
	$(CARGO) build --release --quiet

$(MAP): symbols.tsv tools/version-script.sh | $(B)
	sh tools/version-script.sh $< > $@

$(SO): $(RUST_A) $(MAP) | $(B)
	$(CC) -shared -o $@ -Wl,-soname,$(SONAME) -Wl,--version-script=$(MAP) \
		-Wl,--gc-sections -Wl,-S -Wl,-z,noexecstack \
		-Wl,--whole-archive $(RUST_A) -Wl,--no-whole-archive $(NATIVE_LIBS)

$(B)/$(SONAME) $(B)/liburing_rs.so: $(SO)
	ln -sf $(notdir $(SO)) $@

$(STATIC): $(RUST_A) | $(B)
	cp $< $@

$(PC): pkgconfig/liburing-rs.pc.in Makefile | $(B)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|' $< > $@

$(B)/ctests/%: ctests/%.c ctests/harness.h $(HEADERS) $(SO) | $(B)/ctests
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B)/examples/%: examples/%.c $(HEADERS) $(SO) | $(B)/examples
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B) $(B)/ctests $(B)/examples:
	mkdir -p $@

test: all check-rust check-header check-symbols check-ctests

check-rust:
	$(CARGO) test --release --quiet

# The committed header must be what the Rust generates.
check-header: $(RUST_A)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git diff --exit-code --stat -- include/liburing/decls.h || \
		{ echo "include/liburing/decls.h is stale: commit the regenerated file"; exit 1; }; \
	fi

check-symbols: $(SO)
	sh tools/check-symbols.sh $(SO) symbols.tsv

check-ctests: $(CTESTS) $(EXAMPLES)
	bash ctests/run.sh $(B)

# Upstream liburing's own test suite against this library, in three modes
# (see conformance/run.sh). Downloads upstream's source with apt into
# build/conformance/ on first use.
conformance: lib
	bash conformance/run.sh

install: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/liburing_rs.so
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 644 $(PC) $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 644 include/liburing.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/liburing/*.h $(DESTDIR)$(INCLUDEDIR)/liburing/
	install -m 644 include/liburing/io_uring/*.h $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring/

# Removes exactly what install put there (and the directories it made, if
# they are left empty).
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/liburing_rs.so $(DESTDIR)$(LIBDIR)/liburing_rs.a \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-rs.pc $(DESTDIR)$(INCLUDEDIR)/liburing.h
	rm -f $(patsubst include/%,$(DESTDIR)$(INCLUDEDIR)/%,$(HEADERS))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring $(DESTDIR)$(INCLUDEDIR)/liburing \
	       $(DESTDIR)$(LIBDIR)/pkgconfig 2>/dev/null

clean:
	rm -rf $(B)
	$(CARGO) clean

FORCE:
