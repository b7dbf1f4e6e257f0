"""The worker's memory cap on Windows (a Job Object): the structures handed to Windows are laid
out as ``winnt.h`` and ``psapi.h`` define them, the limit is what the worker has plus its
allowance, and elsewhere nothing is done. The cap itself is exercised on Windows by
``test_isolation.py::test_memory_is_capped``."""

from __future__ import annotations

import ctypes
import sys

import pytest

from dangjian_desktop.exchange import win_memory as W

sixty_four_bit = pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="the sizes of 64-bit Windows")


@sixty_four_bit
def test_the_structures_have_the_sizes_and_offsets_of_64_bit_windows():
    assert ctypes.sizeof(W.JOBOBJECT_BASIC_LIMIT_INFORMATION) == 64
    assert ctypes.sizeof(W.IO_COUNTERS) == 48
    assert ctypes.sizeof(W.JOBOBJECT_EXTENDED_LIMIT_INFORMATION) == 144
    assert W.JOBOBJECT_EXTENDED_LIMIT_INFORMATION.ProcessMemoryLimit.offset == 112
    assert W.JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags.offset == 16
    assert ctypes.sizeof(W.PROCESS_MEMORY_COUNTERS) == 72
    assert W.PROCESS_MEMORY_COUNTERS.PagefileUsage.offset == 56


def test_the_limit_is_what_the_worker_has_plus_its_allowance():
    info = W.limit_info(committed=40 << 20, memory_mb=512)
    assert info.BasicLimitInformation.LimitFlags == W.JOB_OBJECT_LIMIT_PROCESS_MEMORY == 0x100
    assert info.ProcessMemoryLimit == (40 << 20) + (512 << 20)
    assert info.JobMemoryLimit == 0  # only the process is limited


@pytest.mark.skipif(sys.platform == "win32", reason="the cap itself is tested on Windows by test_isolation.py")
def test_elsewhere_nothing_is_done():
    assert W.cap(256) is False and W._job is None
