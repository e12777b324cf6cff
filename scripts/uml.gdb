# gdb commands for debugging the UML kernel (make debug, or by hand:
#   gdb -x scripts/uml.gdb --args build/obj-debug/linux ubd0=root.img mem=256M
# ).  The port's interrupts are host signals: gdb passes them on without
# stopping.  SIGSEGV still stops: it is a real fault of kernel code, except
# inside the no-fault copy (uml_copy_nofault_raw), where `continue` lets
# the port recover it.
handle SIGALRM nostop noprint pass
handle SIGIO nostop noprint pass
handle SIGWINCH nostop noprint pass
handle SIGCHLD nostop noprint pass
handle SIGPIPE nostop noprint pass
# guest host processes are the kernel's to trace, never gdb's
set follow-fork-mode parent
set detach-on-fork on
set pagination off
set print pretty on
# the kernel's own helpers (lx-ps, lx-dmesg, lx-symbols, ...), written next
# to the kernel by CONFIG_GDB_SCRIPTS; found through the loaded file's dir
python
import os
import gdb
obj = gdb.current_progspace().filename
if obj:
    helper = os.path.join(os.path.dirname(os.path.realpath(obj)),
                          "vmlinux-gdb.py")
    if os.path.exists(helper):
        gdb.execute("source " + helper)
    else:
        print("uml.gdb: no %s (build with make linux-debug)" % helper)
end
