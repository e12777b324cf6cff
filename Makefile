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
# the debug build: defconfig plus arch/um/configs/debug-checks.config
KOBJ_DEBUG := $(BUILD)/obj-debug
JOBS      ?= $(shell nproc)
CCACHE    := $(shell command -v ccache 2>/dev/null)
KCC       := $(if $(CCACHE),ccache gcc,gcc)
# ccache hits across checkouts in other directories (a fresh clone, CI)
export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1
KMAKE     = $(MAKE) -C $(KSRC) O=$(KOBJ) ARCH=um CC="$(KCC)" -j$(JOBS)
KMAKE_DEBUG = $(MAKE) -C $(KSRC) O=$(KOBJ_DEBUG) ARCH=um CC="$(KCC)" -j$(JOBS)
PYTHON    ?= python3

.PHONY: all linux linux-debug install-deps tree defconfig menuconfig olddefconfig \
	savedefconfig clean distclean rootfs run check kunit tools bench \
	reference

all: linux tools rootfs

install-deps:
	@scripts/install-deps.sh

# Unpack the kernel source once; replace its UML port with ours.
$(KSRC)/.assembled: scripts/assemble-tree.sh
	@scripts/install-deps.sh
	@scripts/assemble-tree.sh $(KTAR) $(KSRC) $(TOP)
	@touch $@

tree: $(KSRC)/.assembled

$(KOBJ)/.config: | $(KSRC)/.assembled
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
	@cmp -s $(KOBJ)/linux linux || cp $(KOBJ)/linux linux

# The same kernel with the kernel's own checks on (DEBUG_VM, lockdep, ...);
# the tests in tests/test_debug.py run it.  Its configuration is made again
# whenever defconfig or the fragment changes.
$(KOBJ_DEBUG)/.config: arch/um/configs/defconfig \
		arch/um/configs/debug-checks.config | $(KSRC)/.assembled
	@mkdir -p $(KOBJ_DEBUG)
	+$(KMAKE_DEBUG) defconfig debug-checks.config

linux-debug: $(KOBJ_DEBUG)/.config
	+$(KMAKE_DEBUG) linux
	@cmp -s $(KOBJ_DEBUG)/linux linux-debug || \
		cp $(KOBJ_DEBUG)/linux linux-debug

tools:
	+$(MAKE) -C tools

rootfs: root.img

root.img: $(shell find rootfs -type f) scripts/mkrootfs.sh
	@scripts/install-deps.sh
	@scripts/mkrootfs.sh $@

run: linux root.img
	./linux ubd0=root.img mem=256M

check: linux linux-debug tools root.img
	$(PYTHON) tests/run.py

kunit: $(KSRC)/.assembled
	@scripts/kunit.sh $(KSRC)

bench: linux tools root.img reference
	@bench/run.sh

# The upstream arch/um of the same package, for comparison only.
reference:
	@scripts/install-deps.sh
	@scripts/build-reference.sh

clean:
	-[ -d $(KOBJ) ] && $(KMAKE) clean
	-[ -d $(KOBJ_DEBUG) ] && $(KMAKE_DEBUG) clean
	-$(MAKE) -C tools clean
	rm -f linux linux-debug root.img

distclean:
	rm -rf $(BUILD) linux linux-debug root.img
	-$(MAKE) -C tools clean
