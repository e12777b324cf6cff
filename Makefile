# SPDX-License-Identifier: GPL-2.0
#
# User-mode Linux: top-level build.
#
# The kernel tree is assembled in build/src from Debian's linux-source-6.12
# (its own arch/um and arch/x86/um deleted, ours linked in their place) and
# built out of tree in build/obj.  ./linux is the result.

TOP       := $(CURDIR)
KTAR      ?= /usr/src/linux-source-6.12.tar.xz
BUILD     := $(TOP)/build
KSRC      := $(BUILD)/src
KOBJ      := $(BUILD)/obj
# the checking build (make linux-debug): defconfig plus
# arch/um/configs/debug-checks.config (DEBUG_VM, lockdep, DEBUG_PAGEALLOC...)
KOBJ_DEBUG := $(BUILD)/obj-debug
JOBS      ?= $(shell nproc)
# kbuild's CC is always this wrapper (gcc through ccache when there is
# one): kbuild records CC, so a CC that depended on whether ccache was
# installed when make started would rebuild every object once it is.
KCC       := $(TOP)/scripts/kcc
# scripts/install-deps.sh, run once per change of the script (a stamp):
# every rule that needs host packages waits for it, so a parallel make
# never runs two apt-get at once
DEPS      := $(BUILD)/.deps-installed
# ccache hits across checkouts in other directories (a fresh clone, CI)
export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1
KMAKE     = $(MAKE) -C $(KSRC) O=$(KOBJ) ARCH=um CC="$(KCC)" -j$(JOBS)
KMAKE_DEBUG = $(MAKE) -C $(KSRC) O=$(KOBJ_DEBUG) ARCH=um CC="$(KCC)" -j$(JOBS)
# the kernel as a library (make lib): defconfig plus
# arch/um/configs/lib.config (CONFIG_UML_LIB), one relocatable object
KOBJ_LIB  := $(BUILD)/obj-lib
KMAKE_LIB = $(MAKE) -C $(KSRC) O=$(KOBJ_LIB) ARCH=um CC="$(KCC)" -j$(JOBS)
GDB_ARGS  ?= ubd0=root.img mem=256M
PYTHON    ?= python3

.PHONY: help all linux linux-debug install-deps tree defconfig menuconfig \
	olddefconfig lib \
	savedefconfig clean distclean rootfs run check kunit tools bench \
	reference distro debug debian

all: linux tools rootfs

help:
	@echo 'Targets:'
	@echo '  all (default)  the kernel ./linux, the host tools and root.img'
	@echo '  run            install what is missing, build, boot ubd0=root.img mem=256M'
	@echo '  check          install, build and run every test (pytest, tests/run.py);'
	@echo '                 TESTS="-k NAME" or TESTS=tests/test_x.py picks tests'
	@echo '  linux          the kernel only (incremental, out of tree in build/obj)'
	@echo '  linux-debug    ./linux-debug: the kernel with DEBUG_VM, lockdep, DEBUG_PAGEALLOC'
	@echo '                 and the other checks of debug-checks.config (build/obj-debug),'
	@echo '                 and the KUnit tests, run only with kunit.enable=1 (docs/kunit.md)'
	@echo '  debug          build linux-debug (it has debug information) and start gdb on it'
	@echo '  tools          tools/uml_mconsole and tools/uml_switch'
	@echo '  lib            liblinux.a and liblinux.so.1: the kernel as a library (arch/um/include/shared/liblinux.h,'
	@echo '                 build/obj-lib) and the tools on it, tools/uml-cp and uml-fuse'
	@echo '  root.img       the default root filesystem image'
	@echo '  distro         build/distro.img: the host'"'"'s python3, perl, strace, gdb, gcc'
	@echo '  debian         build/debian.img: Debian with systemd and lab tools, from the'
	@echo '                 archive with mmdebstrap (root, network; about 5 minutes)'
	@echo '  tree           assemble build/src from linux-source-6.12 with our arch/um'
	@echo '  defconfig menuconfig olddefconfig savedefconfig   kernel configuration'
	@echo '  kunit          KUnit on our port, as on the reference: kunit.py run, two trees'
	@echo '  bench          benchmarks against the reference kernel (bench/)'
	@echo '  reference      build the reference kernels (upstream arch/um, and with its vector net) in build/'
	@echo '  install-deps   install the host packages the build and tests need'
	@echo '  clean distclean'

install-deps:
	@scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $(DEPS)

$(DEPS): scripts/install-deps.sh
	@scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

# Unpack the kernel source once; replace its UML port with ours.
$(KSRC)/.assembled: scripts/assemble-tree.sh | $(DEPS)
	@scripts/assemble-tree.sh $(KTAR) $(KSRC) $(TOP)
	@touch $@

tree: $(KSRC)/.assembled

$(KOBJ)/.config: arch/um/configs/defconfig | $(KSRC)/.assembled
	@mkdir -p $(KOBJ)
	+$(KMAKE) defconfig

defconfig: $(KSRC)/.assembled
	@mkdir -p $(KOBJ)
	+$(KMAKE) defconfig

menuconfig olddefconfig savedefconfig: $(KSRC)/.assembled
	@mkdir -p $(KOBJ)
	+$(KMAKE) $@

# kbuild decides what is out of date; this rule always asks it.
linux: $(KOBJ)/.config
	+$(KMAKE) linux
	@scripts/install-file.sh $(KOBJ)/linux linux

# The same kernel with the kernel's own checks on (DEBUG_VM, lockdep, ...);
# the tests in tests/test_debug_kernel.py and tests/test_gdb.py run it.  Its configuration is made again
# whenever defconfig or the fragment changes.
# The KUnit tests are built into it too, off unless kunit.enable=1
# (arch/um/configs/debug-kunit.config): tests/test_kunit.py runs them there.
DEBUG_FRAGMENTS := $(TOP)/scripts/kunit-extra.config \
	$(KSRC)/tools/testing/kunit/configs/arch_uml.config \
	$(TOP)/arch/um/configs/debug-kunit.config
$(KOBJ_DEBUG)/.config: arch/um/configs/defconfig \
		arch/um/configs/debug-checks.config scripts/kunit-extra.config \
		arch/um/configs/debug-kunit.config | $(KSRC)/.assembled
	@mkdir -p $(KOBJ_DEBUG)
	+$(KMAKE_DEBUG) defconfig debug-checks.config
	cd $(KOBJ_DEBUG) && $(KSRC)/scripts/kconfig/merge_config.sh -m -O . \
		.config $(DEBUG_FRAGMENTS) > merge.log
	+$(KMAKE_DEBUG) olddefconfig

linux-debug: $(KOBJ_DEBUG)/.config
	+$(KMAKE_DEBUG) linux scripts_gdb
	@scripts/install-file.sh $(KOBJ_DEBUG)/linux linux-debug

tools:
	+$(MAKE) -C tools

# The same port as a library (docs/lib.md): kbuild links one relocatable
# object (liblinux/liblinux.lds.S); only the API of arch/um/include/shared/liblinux.h
# stays global in it, so the kernel's names never meet the application's.
$(KOBJ_LIB)/.config: arch/um/configs/defconfig \
		arch/um/configs/lib.config | $(KSRC)/.assembled
	@mkdir -p $(KOBJ_LIB)
	+$(KMAKE_LIB) defconfig lib.config

lib: $(KOBJ_LIB)/.config
	+$(KMAKE_LIB) vmlinux
	+$(MAKE) liblinux.a $(LIBLINUX_SO)
	+$(MAKE) -C tools lib

# the API: every liblinux_*() the header declares
$(KOBJ_LIB)/liblinux.syms: arch/um/include/shared/liblinux.h
	@mkdir -p $(KOBJ_LIB)
	grep -o 'liblinux_[a-z0-9_]*(' $< | tr -d '(' | sort -u > $@

# vmlinux with every symbol but the API made local: the kernel's names
# (and the _end, __bss_start ... of its link map) cannot meet a program's
$(KOBJ_LIB)/liblinux.o: $(KOBJ_LIB)/vmlinux $(KOBJ_LIB)/liblinux.syms
	objcopy --keep-global-symbols=$(KOBJ_LIB)/liblinux.syms \
		--add-section .note.GNU-stack=/dev/null $< $@

liblinux.a: $(KOBJ_LIB)/liblinux.o
	rm -f $@ && ar rcs $@ $<

# The shared library: the same object (the kernel's objects are
# position-independent, -fPIE) linked with -shared.  The version script
# exports the API under version LIBLINUX_1.  The soname changes when the
# API changes incompatibly.
LIBLINUX_SO := liblinux.so.1
$(KOBJ_LIB)/liblinux.map: $(KOBJ_LIB)/liblinux.syms
	{ echo 'LIBLINUX_1 {'; echo 'global:'; sed 's/.*/  &;/' $<; \
	  echo 'local:'; echo '  *;'; echo '};'; } > $@

$(LIBLINUX_SO): $(KOBJ_LIB)/liblinux.o $(KOBJ_LIB)/liblinux.map
	gcc -shared -o $@ -Wl,-soname,$@ \
		-Wl,--version-script=$(KOBJ_LIB)/liblinux.map \
		-Wl,-z,defs -Wl,-z,text -Wl,-z,noexecstack -Wl,-z,now -Wl,-z,relro \
		-Wl,--build-id=sha1 -Wl,--no-warn-rwx-segments \
		$< -lpthread
	ln -sfn $@ liblinux.so

# Build with debug information and start gdb on it, the port's signals
# passed quietly and the lx- helpers loaded (scripts/uml.gdb).
debug: linux-debug tools root.img
	gdb -q -iex "add-auto-load-safe-path $(KOBJ_DEBUG)" \
		-x scripts/uml.gdb --args $(KOBJ_DEBUG)/linux $(GDB_ARGS)

rootfs: root.img

root.img: $(shell find rootfs -type f) scripts/mkrootfs.sh | $(DEPS)
	@scripts/mkrootfs.sh $@

# The real-programs image, from the host's own Debian packages (not built,
# with a message, when they are missing).
distro: $(BUILD)/distro.img

$(BUILD)/distro.img: scripts/mkdistro.sh rootfs/init $(shell find rootfs/etc -type f) \
		rootfs/tests/sigdfl.c | $(DEPS)
	@mkdir -p $(BUILD)
	@scripts/mkdistro.sh $@

# The Debian lab image (tools/uml-lab, docs/labs.md): bookworm from the
# archive with mmdebstrap, systemd, FRR, bind9, DHCP, lighttpd, openssh...
debian: $(BUILD)/debian.img

$(BUILD)/debian.img: scripts/mkdebian.sh scripts/debian/customize.sh \
		scripts/debian/uml-lab.service rootfs/usr/lib/uml-lab/guest
	@scripts/install-deps.sh
	@mkdir -p $(BUILD)
	@scripts/mkdebian.sh $@

run: linux root.img
	./linux ubd0=root.img mem=256M

# The Debian image needs the archive: when it cannot be built, its tests
# fail and say why (tests/test_lab_debian.py), the others still run.  It is
# made in the background from the start (it waits on the network and dpkg,
# the kernels on the CPU), and the debug kernel and the library are built
# at nice 10 while the tests that need only ./linux run: scripts/check.sh.
check: $(DEPS)
	@mkdir -p $(BUILD)
	+@scripts/check.sh "$(MAKE)" "$(PYTHON)" $(TESTS)

kunit: $(KSRC)/.assembled
	@scripts/kunit.sh $(KSRC)

bench: linux tools root.img reference
	@bench/run.sh

# The upstream arch/um of the same package, for comparison only.
reference: | $(DEPS)
	@scripts/build-reference.sh

clean:
	-[ -d $(KOBJ) ] && $(KMAKE) clean
	-[ -d $(KOBJ_DEBUG) ] && $(KMAKE_DEBUG) clean
	-[ -d $(KOBJ_LIB) ] && $(KMAKE_LIB) clean
	-$(MAKE) -C tools clean
	rm -f linux linux-debug root.img liblinux.a liblinux.so liblinux.so.1

distclean:
	rm -rf $(BUILD) linux linux-debug root.img liblinux.a liblinux.so liblinux.so.1
	-$(MAKE) -C tools clean
