# SPDX-License-Identifier: GPL-2.0
"""uml-lab: Netkit/Kathara labs on User-mode Linux (see docs/labs.md)."""
