# liburing-rs: `make` builds the library, headers' companions, man pages,
# tests and examples; `make test` runs every test; `make install` installs;
# `make install-compat` also installs it as liburing; `make deb` packages it.

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
CMAKEDIR   ?= $(LIBDIR)/cmake/liburing-rs
DESTDIR    ?=
CC         ?= cc
CFLAGS     ?= -O2 -g
CARGO      ?= cargo
PYTHON     ?= python3
DEB_REVISION ?= 1

# The one place the version is written is Cargo.toml.
VERSION    := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -1)
SONAME     := liburing_rs.so.2
B          := build
RUST_A     := target/release/liburing_rs.a
CARGO_BUILD := $(CARGO) build --release --quiet
# A cross build: `make ARCH=aarch64` (or i686, s390x) builds the library and
# the C tests for that architecture into build/<arch>/, with rustup's target
# and Debian's cross toolchain (<arch>-linux-gnu-gcc and its binutils).
ARCH       ?=
ifneq ($(ARCH),)
TRIPLE     := $(ARCH)-unknown-linux-gnu
CROSS      := $(ARCH)-linux-gnu-
override CC := $(CROSS)gcc
B          := build/$(ARCH)
RUST_A     := target/$(TRIPLE)/release/liburing_rs.a
CARGO_BUILD += --target $(TRIPLE)
DEB_HOST_ARCH := $(patsubst i686,i386,$(patsubst aarch64,arm64,$(ARCH)))
export CROSS DEB_HOST_ARCH CC
endif
SO         := $(B)/liburing_rs.so.$(VERSION)
STATIC     := $(B)/liburing_rs.a
PC         := $(B)/liburing-rs.pc
MAP        := $(B)/liburing_rs.map
FFI_LD     := $(B)/liburing_rs-ffi.ld
# What the no_std Rust staticlib needs from the system: the C library alone.
NATIVE_LIBS := -lc

TEST_CFLAGS := -O2 -g -Wall -Wextra -Werror -Wno-psabi -Iinclude -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64
TEST_LDFLAGS := -L$(B) -luring_rs -Wl,-rpath,$(abspath $(B)) -lpthread

CTEST_SRC  := $(wildcard ctests/*.c)
CTESTS     := $(patsubst ctests/%.c,$(B)/ctests/%,$(CTEST_SRC))
EXAMPLE_SRC := $(wildcard examples/*.c)
EXAMPLES   := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRC))
HEADERS    := $(shell find include -name '*.h')
# Man pages: one per function declared in these headers (tools/gen-man.py).
MAN_HEADERS := include/liburing/decls.h include/liburing/rs.h
MAN_STAMP  := $(B)/man/.stamp
MAN_NAMES   = $(shell $(PYTHON) tools/gen-man.py --list $(MAN_HEADERS))
# What install-compat adds: liburing's file names for our library.
COMPAT_LINKS := liburing.so.2 liburing.so liburing-ffi.so.2 liburing-ffi.so
COMPAT_PCS   := liburing liburing-ffi

CTEST_HDRS := $(wildcard ctests/*.h)

.PHONY: all lib man deb test bench fuzz check-all check-asan check-valgrind check-floods check-miri \
	check-fuzz check-mutants check-rust check-header check-symbols check-bad-input check-install check-ctests \
	check-preload check-compat check-man check-deb check-demo check-echo-load check-arches install uninstall \
	install-compat uninstall-compat check-kernels check-emulate check-emulate-clients check-emulate-postgres \
	conformance conformance-emulate clean FORCE

all: lib man $(CTESTS) $(EXAMPLES) $(B)/no-io-uring

lib: $(SO) $(B)/$(SONAME) $(B)/liburing_rs.so $(STATIC) $(PC)

# Cargo decides what to rebuild; it also regenerates include/liburing/decls.h.
$(RUST_A): FORCE
	$(CARGO_BUILD)

$(MAP): symbols.tsv symbols-rs.tsv tools/version-script.sh | $(B)
	sh tools/version-script.sh symbols.tsv symbols-rs.tsv > $@

# liburing-ffi.so.2's LIBURING_2.4 names, as linker-script assignments.
$(FFI_LD): $(RUST_A) symbols.tsv tools/ffi-aliases.sh | $(B)
	sh tools/ffi-aliases.sh $(RUST_A) symbols.tsv > $@

$(SO): $(RUST_A) $(MAP) $(FFI_LD) | $(B)
	$(CC) -shared -o $@ -Wl,-soname,$(SONAME) -Wl,--version-script=$(MAP) \
		-Wl,--gc-sections -Wl,-S -Wl,-z,noexecstack \
		-Wl,--whole-archive $(RUST_A) -Wl,--no-whole-archive $(FFI_LD) $(NATIVE_LIBS)

$(B)/$(SONAME) $(B)/liburing_rs.so: $(SO)
	ln -sf $(notdir $(SO)) $@

$(STATIC): $(RUST_A) symbols.tsv symbols-rs.tsv tools/static-archive.sh | $(B)
	sh tools/static-archive.sh $(RUST_A) $@ symbols.tsv symbols-rs.tsv

# The .pc file for the current PREFIX/LIBDIR/INCLUDEDIR; install writes it
# afresh, so installing with other paths than the build used stays correct.
PC_SED = sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	-e 's|@NATIVE_LIBS@|$(NATIVE_LIBS)|'

$(PC): pkgconfig/liburing-rs.pc.in Makefile | $(B)
	$(PC_SED) pkgconfig/liburing-rs.pc.in > $@

# The CMake package files name the library and headers relative to their own
# directory, so the installed tree stays relocatable.
relpath = $(shell realpath -m --relative-to='$(1)' '$(2)')
POINTER_SIZE := $(shell echo __SIZEOF_POINTER__ | $(CC) -E -P -)
CMAKE_SED = sed -e 's|@LIBDIR_REL@|$(call relpath,$(CMAKEDIR),$(LIBDIR))|' \
	-e 's|@INCLUDEDIR_REL@|$(call relpath,$(CMAKEDIR),$(INCLUDEDIR))|' \
	-e 's|@VERSION@|$(VERSION)|' -e 's|@SONAME@|$(SONAME)|' \
	-e 's|@SIZEOF_VOID_P@|$(POINTER_SIZE)|' -e 's|@BITS@|$(shell echo $$(($(POINTER_SIZE) * 8)))|'

man: $(MAN_STAMP)

# decls.h is rewritten by the cargo build that produces $(RUST_A).
$(MAN_STAMP): $(RUST_A) include/liburing/rs.h tools/gen-man.py | $(B)
	$(PYTHON) tools/gen-man.py --version $(VERSION) -o $(B)/man $(MAN_HEADERS)
	touch $@

$(B)/ctests/%: ctests/%.c $(CTEST_HDRS) $(HEADERS) $(SO) $(B)/liburing_rs.so | $(B)/ctests
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B)/examples/%: examples/%.c $(HEADERS) $(SO) $(B)/liburing_rs.so | $(B)/examples
	$(CC) $(TEST_CFLAGS) -o $@ $< $(TEST_LDFLAGS)

# The launcher that refuses io_uring as Docker's seccomp profile does; the
# test of it (ctests/launcher.c) runs it from where it is built.
$(B)/no-io-uring: tools/no-io-uring.c | $(B)
	$(CC) $(CFLAGS) -Wall -Wextra -Werror -D_GNU_SOURCE -o $@ $<

$(B)/ctests/launcher $(B)/asan/ctests/launcher: $(B)/no-io-uring
$(B)/ctests/launcher $(B)/asan/ctests/launcher: TEST_CFLAGS += -DNO_IO_URING='"$(abspath $(B))/no-io-uring"'

$(B) $(B)/ctests $(B)/examples $(B)/bench $(B)/asan/ctests $(B)/asan/examples:
	mkdir -p $@

# The same tests built with AddressSanitizer and UBSan.
ASAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_TESTS := $(patsubst $(B)/%,$(B)/asan/%,$(CTESTS) $(EXAMPLES))

$(B)/asan/ctests/%: ctests/%.c $(CTEST_HDRS) $(HEADERS) $(SO) $(B)/liburing_rs.so | $(B)/asan/ctests
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(TEST_LDFLAGS)

$(B)/asan/examples/%: examples/%.c $(HEADERS) $(SO) $(B)/liburing_rs.so | $(B)/asan/examples
	$(CC) $(TEST_CFLAGS) $(ASAN_FLAGS) -o $@ $< $(TEST_LDFLAGS)

test: all check-layers check-rust check-header check-symbols check-bad-input check-install check-preload \
	check-compat check-man check-deb check-demo check-ctests check-echo-load

# The modules depend one way: capi, then register and trace, then ring,
# then prep and recvmsg_out, then sys (tools/check-layers.sh).
.PHONY: check-layers
check-layers:
	sh tools/check-layers.sh

# Plain cargo works in both profiles: formatting, lints, tests and docs.
check-rust:
	$(CARGO) fmt --check
	$(CARGO) clippy --quiet --all-targets -- -D warnings
	$(CARGO) clippy --release --quiet --all-targets -- -D warnings
	$(CARGO) test --quiet
	$(CARGO) test --release --quiet
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet --no-deps
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --release --quiet --no-deps

# The committed headers must be what the Rust build generates.
GENERATED_HEADERS := include/liburing/decls.h include/liburing/io_uring_version.h
check-header: $(RUST_A)
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
		git diff --exit-code --stat -- $(GENERATED_HEADERS) || \
		{ echo "$(GENERATED_HEADERS): stale, commit the regenerated files"; exit 1; }; \
	fi

check-symbols: $(SO) $(STATIC)
	sh tools/check-symbols.sh $(SO) symbols.tsv symbols-rs.tsv
	sh tools/check-static.sh $(STATIC) symbols.tsv symbols-rs.tsv

# Every exported function has a row in docs/bad-input.md and a bad-input test.
check-bad-input:
	sh tools/check-bad-input.sh

# Installs into a scratch DESTDIR, then builds and runs a program through
# pkg-config three ways: shared, static, and by the installed soname.
check-install: lib
	sh tools/check-install.sh

# A check that cannot run here is skipped for a developer; under CI (CI set,
# as .ci/run does) it fails, so a green CI run means every check ran.
CI_SKIP = if [ -n "$$CI" ]; then echo "$@: FAILED: CI runs every check, and this one could not run"; exit 1; fi

# An upstream-built program run with liburing-rs preloaded (77: skipped).
check-preload: $(SO) $(B)/liburing_rs.so
	@bash ctests/preload.sh $(B); rc=$$?; \
	if [ $$rc -eq 77 ]; then echo "check-preload: skipped"; $(CI_SKIP); else exit $$rc; fi

# install-compat in a scratch DESTDIR: programs built with pkg-config
# (liburing), CMake and meson, and one built against Debian's liburing.so.2
# and one against a liburing-ffi.so.2, all running on our library.
check-compat: lib man
	sh tools/check-compat.sh

# Every exported function has a page; the pages render without warnings.
check-man: man
	sh tools/check-man.sh $(SO) $(B)/man

# The .debs build, install into and uninstall from a scratch dpkg root.
check-deb: lib man
	sh tools/check-deb.sh $(B)

check-ctests: $(CTESTS) $(EXAMPLES)
	bash ctests/run.sh $(B)

# The networking benchmark's load generator and epoll server (bench/run.py
# builds its own copies): they compile cleanly, and the generator catches
# a wrong, lost or duplicated byte.
BENCH_TOOLS := $(B)/bench/echo-load $(B)/bench/echo-epoll
$(BENCH_TOOLS): $(B)/bench/%: bench/%.c | $(B)/bench
	$(CC) $(TEST_CFLAGS) -o $@ $<

check-echo-load: $(BENCH_TOOLS) $(EXAMPLES) $(B)/ctests/features
	bash bench/check-echo-load.sh $(B)

# The userspace engine: ctests/emulate.list on emulated rings, with
# URING_RS_EMULATE=always and under build/no-io-uring with auto.
check-emulate: $(CTESTS) $(EXAMPLES) $(B)/no-io-uring
	bash ctests/emulate.sh $(B)

# Real programs on the engine (emulate/*.sh): Debian's qemu-img, plocate and
# MariaDB server, unmodified, under build/no-io-uring with auto and the
# library preloaded, their results checked. Installs them with apt-get when
# missing (MariaDB's -core package and client: no service is started).
EMULATE_CLIENTS := qemu-img plocate mariadb
EMULATE_PACKAGES := qemu-utils plocate mariadb-server-core mariadb-client
check-emulate-clients: lib $(B)/no-io-uring
	@dpkg -s $(EMULATE_PACKAGES) >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(EMULATE_PACKAGES); } || true
	@for c in $(EMULATE_CLIENTS); do log=$(B)/emulate-$$c.log; \
		sh emulate/$$c.sh $(B) > $$log 2>&1; rc=$$?; \
		if [ $$rc -eq 77 ]; then echo "$@: $$c: $$(cat $$log)"; $(CI_SKIP); \
		elif [ $$rc -ne 0 ]; then cat $$log; echo "$@: $$c: FAILED"; exit $$rc; \
		else echo "$@: $$(tail -1 $$log)"; fi; done

# PostgreSQL 18's regression suite with io_method=io_uring on the engine
# (emulate/postgresql.sh): its source from Debian, built once into
# $(B)/postgresql/. PG_TESTS names a subset of the suite (default: all);
# PG_LIBURING=rs builds it against our header instead of Debian's liburing.
check-emulate-postgres: lib $(B)/no-io-uring
	@sh emulate/postgresql.sh $(B) $(PG_TESTS) > $(B)/emulate-postgresql.log 2>&1; rc=$$?; \
	if [ $$rc -eq 77 ]; then echo "$@: $$(cat $(B)/emulate-postgresql.log)"; $(CI_SKIP); \
	elif [ $$rc -ne 0 ]; then tail -100 $(B)/emulate-postgresql.log; echo "$@: FAILED"; exit $$rc; \
	else grep '^postgresql: ' $(B)/emulate-postgresql.log | sed 's/^/$@: /'; fi

# The LD_PRELOAD demo on a Debian-built binary (qemu-img), traced (77: skipped).
check-demo: lib
	@sh examples/preload-demo.sh $(B)/liburing_rs.so > $(B)/preload-demo.log 2>&1; rc=$$?; \
	if [ $$rc -eq 77 ]; then echo "check-demo: $$(cat $(B)/preload-demo.log)"; $(CI_SKIP); \
	elif [ $$rc -ne 0 ]; then cat $(B)/preload-demo.log; exit $$rc; \
	else echo "check-demo: qemu-img ran on liburing-rs, its 2000 reads traced"; fi

# The C tests and examples on this machine's kernel and, under qemu, on
# Debian 11, 12 and 13's kernels (5.10, 6.1, 6.12); writes kernels/RESULTS.md.
# Downloads the kernels with apt into build/kernels/ on first use.
check-kernels: $(CTESTS) $(EXAMPLES)
	bash kernels/check.sh $(B)

# Everything `make test` runs, plus the slower checks: sanitizers, valgrind,
# the long floods, Miri and a minute of fuzzing per target. .ci/run runs
# these parts one by one.
check-all: test check-asan check-valgrind check-floods check-miri check-fuzz check-emulate check-emulate-clients

check-asan: $(ASAN_TESTS)
	ASAN_OPTIONS=detect_leaks=1 CTEST_QUICK=1 bash ctests/run.sh $(B)/asan

# Memcheck: any invalid access or leak fails the test (exit 99). Memory the
# kernel fills through the rings (CQEs, read buffers) looks uninitialised to
# valgrind, so undefined-value tracking is off; ctests/valgrind.supp holds
# the one syscall argument valgrind misreads.
check-valgrind: $(CTESTS) $(EXAMPLES)
	CTEST_QUICK=1 CTEST_VALGRIND=1 CTEST_TIMEOUT=600 CTEST_WRAPPER="valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect --undef-value-errors=no \
		--suppressions=$(abspath ctests/valgrind.supp)" \
		bash ctests/run.sh $(B)

# Cross builds for i686, arm64 and big-endian s390x, each checked from this
# machine (tools/check-arch.sh): layouts, symbol versions, packages, the Rust
# unit tests (qemu-user), and every C test: i686 against the host kernel,
# arm64 (4K and 16K pages) and s390x under Debian's kernels in qemu; there
# too, upstream liburing 2.9's tests of kernels/conformance.list, cross-built,
# with ours and, where that fails, upstream's library. ARCH_QUICK=1 (CI)
# runs the tests of arches/quick.list and arches/conformance-quick.list
# only. Writes arches/RESULTS.md.
ARCHES ?= i686 aarch64 s390x
check-arches: lib
	@rc=0; for a in $(ARCHES); do bash tools/check-arch.sh $$a $(B) || rc=1; done; \
	sh tools/arch-results.sh $(ARCHES) > arches/RESULTS.md; echo "check-arches: wrote arches/RESULTS.md"; exit $$rc

check-floods: $(B)/ctests/floods
	FLOOD_WAKEUPS=10000 $(B)/ctests/floods

# The Rust unit tests under Miri: the ring-index logic on a fake ring, the
# buffer-ring and recvmsg parsing, the preparers' field writes. Needs the
# nightly toolchain with miri; says so and skips where it is missing.
check-miri:
	@if cargo +nightly miri --version >/dev/null 2>&1; then \
		cargo +nightly miri test --lib --quiet; \
	else echo "check-miri: skipped: no nightly toolchain with miri"; $(CI_SKIP); fi

# Upstream liburing's own test suite against this library, in three modes
# (see conformance/run.sh), then every upstream preparer against ours, byte
# for byte (conformance/diff-preparers.sh), then every name upstream's header
# declares against ours (conformance/names.sh). Downloads upstream's source with
# apt into build/conformance/ on first use.
conformance: lib
	bash conformance/run.sh
	bash conformance/diff-preparers.sh
	bash conformance/names.sh

# Upstream's test binaries again, on the userspace engine: our library
# preloaded, URING_RS_EMULATE=auto, under build/no-io-uring. Judged against
# conformance/emulated.tsv (what must pass, and why the rest does not); writes
# RESULTS.md's Emulated section.
conformance-emulate: lib $(B)/no-io-uring
	CONFORMANCE_MODES=emu bash conformance/run.sh

# libFuzzer through cargo-fuzz (fuzz/): each target for FUZZ_SECONDS.
# `make fuzz` fails without the nightly toolchain and cargo-fuzz;
# check-fuzz says so and skips (under CI it fails). UPSTREAM_INCLUDE (or
# `make conformance`'s build/conformance tree) adds the comparison with
# upstream's preparers; under CI, fuzzing without it fails.
FUZZ_SECONDS ?= 60
fuzz:
	sh tools/fuzz.sh $(FUZZ_SECONDS)

check-fuzz:
	sh tools/fuzz.sh 60 --if-available

# Fault injection: each mutants/*.mutant, a plausible single bug, applied
# to a scratch copy of the tree (build/mutants/tree) must make the check it
# names fail; see tools/mutants.py.
check-mutants:
	$(PYTHON) tools/mutants.py

install: lib man
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring \
		$(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/liburing_rs.so
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	$(PC_SED) pkgconfig/liburing-rs.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-rs.pc
	$(CMAKE_SED) cmake/liburing-rsConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/liburing-rsConfig.cmake
	$(CMAKE_SED) cmake/liburing-rsConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/liburing-rsConfigVersion.cmake
	install -m 644 include/liburing.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/liburing/*.h $(DESTDIR)$(INCLUDEDIR)/liburing/
	install -m 644 include/liburing/io_uring/*.h $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring/
	install -m 644 $(B)/man/man3/*.3 $(DESTDIR)$(MANDIR)/man3/
	install -m 644 man/liburing-rs.7 $(DESTDIR)$(MANDIR)/man7/

# Removes exactly what install put there (and the directories it made, if
# they are left empty).
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/liburing_rs.so $(DESTDIR)$(LIBDIR)/liburing_rs.a \
	      $(DESTDIR)$(LIBDIR)/pkgconfig/liburing-rs.pc $(DESTDIR)$(INCLUDEDIR)/liburing.h
	rm -f $(patsubst include/%,$(DESTDIR)$(INCLUDEDIR)/%,$(HEADERS))
	rm -f $(DESTDIR)$(CMAKEDIR)/liburing-rsConfig.cmake $(DESTDIR)$(CMAKEDIR)/liburing-rsConfigVersion.cmake
	rm -f $(patsubst %,$(DESTDIR)$(MANDIR)/man3/%.3,$(MAN_NAMES)) $(DESTDIR)$(MANDIR)/man7/liburing-rs.7
	-rmdir $(DESTDIR)$(INCLUDEDIR)/liburing/io_uring $(DESTDIR)$(INCLUDEDIR)/liburing \
	       $(DESTDIR)$(LIBDIR)/pkgconfig 2>/dev/null
	rmdir $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(MANDIR)/man7 2>/dev/null || true
	rmdir $(dir $(DESTDIR)$(CMAKEDIR)) 2>/dev/null || true

# On top of install: liburing's names (liburing.so.2, liburing-ffi.so.2 and
# their .so links) as links to our library, and liburing.pc and
# liburing-ffi.pc, which lead to liburing-rs.pc. Our library exports every
# function of both under their version nodes. A real liburing's files are
# never overwritten.
install-compat: install
	for l in $(COMPAT_LINKS); do f=$(DESTDIR)$(LIBDIR)/$$l; \
		if [ -e "$$f" -o -L "$$f" ] && [ "$$(readlink "$$f")" != $(notdir $(SO)) ]; then \
			echo "install-compat: $$f belongs to another liburing; remove it first"; exit 1; fi; \
		ln -sf $(notdir $(SO)) "$$f" || exit 1; done
	for p in $(COMPAT_PCS); do f=$(DESTDIR)$(LIBDIR)/pkgconfig/$$p.pc; \
		if [ -e "$$f" ] && ! grep -qs '^Requires: liburing-rs ' "$$f"; then \
			echo "install-compat: $$f belongs to another liburing; remove it first"; exit 1; fi; \
		$(PC_SED) pkgconfig/$$p.pc.in > "$$f" || exit 1; done

# Removes what install-compat added, and only links that lead to our library
# and .pc files that lead to liburing-rs (never a real liburing's).
uninstall-compat:
	for l in $(COMPAT_LINKS); do f=$(DESTDIR)$(LIBDIR)/$$l; \
		[ "$$(readlink "$$f")" != $(notdir $(SO)) ] || rm -f "$$f"; done
	for p in $(COMPAT_PCS); do f=$(DESTDIR)$(LIBDIR)/pkgconfig/$$p.pc; \
		! grep -qs '^Requires: liburing-rs ' "$$f" || rm -f "$$f"; done
	rmdir $(DESTDIR)$(LIBDIR)/pkgconfig 2>/dev/null || true

# Debian packages liburing-rs and liburing-rs-compat in $(B)/deb.
deb: lib man
	sh tools/mkdeb.sh $(B)/deb $(VERSION)-$(DEB_REVISION)

clean:
	rm -rf $(B)
	$(CARGO) clean

FORCE:

# Benchmarks against Debian's liburing, and of the userspace engine against
# the kernel's io_uring and Debian's qemu-img's thread pool (never part of
# `make test`): writes bench/RESULTS.md and bench/ratios.png.
bench: lib
	@dpkg -s liburing-dev gnuplot-nox time qemu-utils >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq liburing-dev gnuplot-nox time qemu-utils; }
	python3 bench/run.py
