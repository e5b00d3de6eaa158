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
CTEST_HDRS := $(wildcard ctests/*.h)

.PHONY: all lib test bench fuzz check-all check-asan check-valgrind check-floods check-miri check-fuzz check-rust check-header \
	check-symbols check-bad-input check-install check-ctests check-preload \
	install uninstall clean FORCE

all: lib $(CTESTS) $(EXAMPLES)

lib: $(SO) $(B)/$(SONAME) $(B)/liburing_rs.so $(STATIC) $(PC)

# Cargo decides what to rebuild; it also regenerates include/liburing/decls.h.
$(RUST_A): FORCE
	$(CARGO) build --release --quiet

$(MAP): symbols.tsv symbols-rs.tsv tools/version-script.sh | $(B)
	sh tools/version-script.sh symbols.tsv symbols-rs.tsv > $@

$(SO): $(RUST_A) $(MAP) | $(B)
	$(CC) -shared -o $@ -Wl,-soname,$(SONAME) -Wl,--version-script=$(MAP) \
		-Wl,--gc-sections -Wl,-S -Wl,-z,noexecstack \
		-Wl,--whole-archive $(RUST_A) -Wl,--no-whole-archive $(NATIVE_LIBS)

$(B)/$(SONAME) $(B)/liburing_rs.so: $(SO)
	ln -sf $(notdir $(SO)) $@

$(STATIC): $(RUST_A) | $(B)
	cp $< $@

# The .pc file for the current PREFIX/LIBDIR/INCLUDEDIR; install writes it
# afresh, so installing with other paths than the build used stays correct.
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	-e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|' pkgconfig/liburing-rs.pc.in

$(PC): pkgconfig/liburing-rs.pc.in Makefile | $(B)
	$(PC_SED) > $@

$(B)/ctests/%: ctests/%.c $(CTEST_HDRS) $(HEADERS) $(SO) | $(B)/ctests
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B)/examples/%: examples/%.c $(HEADERS) $(SO) | $(B)/examples
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B) $(B)/ctests $(B)/examples $(B)/asan/ctests $(B)/asan/examples:
	mkdir -p $@

# The same tests built with AddressSanitizer and UBSan.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_TESTS := $(patsubst $(B)/%,$(B)/asan/%,$(CTESTS) $(EXAMPLES))

$(B)/asan/ctests/%: ctests/%.c $(CTEST_HDRS) $(HEADERS) $(SO) | $(B)/asan/ctests
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B)/asan/examples/%: examples/%.c $(HEADERS) $(SO) | $(B)/asan/examples
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(TEST_LDFLAGS)

test: all check-rust check-header check-symbols check-bad-input check-install check-preload check-ctests

check-rust:
	$(CARGO) clippy --release --quiet --all-targets -- -D warnings
	$(CARGO) test --release --quiet

# The committed header must be what the Rust generates.
check-header: $(RUST_A)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git diff --exit-code --stat -- include/liburing/decls.h || \
		{ echo "include/liburing/decls.h is stale: commit the regenerated file"; exit 1; }; \
	fi

check-symbols: $(SO)
	sh tools/check-symbols.sh $(SO) symbols.tsv symbols-rs.tsv

# Every exported function has a row in docs/bad-input.md and a bad-input test.
check-bad-input:
	sh tools/check-bad-input.sh

# Installs into a scratch DESTDIR, then builds and runs a program through
# pkg-config three ways: shared, static, and by the installed soname.
check-install: lib
	sh tools/check-install.sh

# An upstream-built program run with liburing-rs preloaded (77: skipped).
check-preload: $(SO) $(B)/liburing_rs.so
	@bash ctests/preload.sh $(B); rc=$$?; \
	if [ $$rc -eq 77 ]; then echo "check-preload: skipped"; else exit $$rc; fi

check-ctests: $(CTESTS) $(EXAMPLES)
	bash ctests/run.sh $(B)

# Everything `make test` runs, plus the slower checks: sanitizers, valgrind
# and the long floods. .ci/run runs this too.
check-all: test check-asan check-valgrind check-floods check-miri check-fuzz

check-asan: $(ASAN_TESTS)
	ASAN_OPTIONS=detect_leaks=1 CTEST_QUICK=1 bash ctests/run.sh $(B)/asan

# Memcheck: any error or leak fails the test (exit 99).
check-valgrind: $(CTESTS) $(EXAMPLES)
	CTEST_QUICK=1 CTEST_TIMEOUT=600 CTEST_WRAPPER="valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect --track-fds=no" \
		bash ctests/run.sh $(B)

check-floods: $(B)/ctests/floods
	FLOOD_WAKEUPS=10000 $(B)/ctests/floods

# The Rust unit tests under Miri: the ring-index logic on a fake ring, the
# buffer-ring and recvmsg parsing, the preparers' field writes. Needs the
# nightly toolchain with miri; says so and skips where it is missing.
check-miri:
	@if cargo +nightly miri --version >/dev/null 2>&1; then \
		cargo +nightly miri test --lib --quiet; \
	else echo "check-miri: skipped: no nightly toolchain with miri"; fi

# libFuzzer through cargo-fuzz (fuzz/): each target for FUZZ_SECONDS.
# `make fuzz` fails without the nightly toolchain and cargo-fuzz;
# check-fuzz says so and skips. UPSTREAM_INCLUDE (or `make conformance`'s
# build/conformance tree) adds the comparison with upstream's preparers.
FUZZ_SECONDS ?= 60
fuzz:
	sh tools/fuzz.sh $(FUZZ_SECONDS)

check-fuzz:
	sh tools/fuzz.sh 60 --if-available

install: lib
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/liburing_rs.so
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	$(PC_SED) > $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-rs.pc
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

# Benchmarks against Debian's liburing (never part of `make test`): writes
# bench/RESULTS.md and bench/ratios.png.
bench: lib
	@dpkg -s liburing-dev gnuplot-nox time >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq liburing-dev gnuplot-nox time; }
	python3 bench/run.py
