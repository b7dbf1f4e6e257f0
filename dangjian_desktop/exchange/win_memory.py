"""The importers' worker's memory cap on Windows: a Job Object with a per-process memory limit.

Linux caps the worker with ``RLIMIT_AS`` (``isolation.cap_memory``); Windows has no such limit,
so there the worker puts itself into a job whose ``ProcessMemoryLimit`` is what it has
committed after start-up plus its allowance. An allocation beyond that fails in the worker — a
``MemoryError`` in Python, an abort in native code — and ends only the worker, before the PC
starts paging. If any of the calls fails the worker runs uncapped, as it did before (its time
limit still ends it).

The structures are those of ``winnt.h`` / ``psapi.h``; their sizes are checked by the tests on
every system (``ctypes`` lays them out the same way on any 64-bit platform).
"""

from __future__ import annotations

import ctypes
import sys

JOB_OBJECT_LIMIT_PROCESS_MEMORY = 0x00000100
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9  # JobObjectExtendedLimitInformation

_job: int | None = None  # the job's handle, kept open while the worker lives


class IO_COUNTERS(ctypes.Structure):  # noqa: N801 - the Windows name
    _fields_ = [(name, ctypes.c_uint64) for name in (
        "ReadOperationCount", "WriteOperationCount", "OtherOperationCount",
        "ReadTransferCount", "WriteTransferCount", "OtherTransferCount")]


class JOBOBJECT_BASIC_LIMIT_INFORMATION(ctypes.Structure):  # noqa: N801
    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class JOBOBJECT_EXTENDED_LIMIT_INFORMATION(ctypes.Structure):  # noqa: N801
    _fields_ = [
        ("BasicLimitInformation", JOBOBJECT_BASIC_LIMIT_INFORMATION),
        ("IoInfo", IO_COUNTERS),
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


class PROCESS_MEMORY_COUNTERS(ctypes.Structure):  # noqa: N801
    _fields_ = [
        ("cb", ctypes.c_uint32),
        ("PageFaultCount", ctypes.c_uint32),
        ("PeakWorkingSetSize", ctypes.c_size_t),
        ("WorkingSetSize", ctypes.c_size_t),
        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t),
        ("QuotaPagedPoolUsage", ctypes.c_size_t),
        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t),
        ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
        ("PagefileUsage", ctypes.c_size_t),  # the committed memory, which the job's limit counts
        ("PeakPagefileUsage", ctypes.c_size_t),
    ]


def limit_info(committed: int, memory_mb: int) -> JOBOBJECT_EXTENDED_LIMIT_INFORMATION:
    """The job's limits: this process may commit ``memory_mb`` more than it has now."""
    info = JOBOBJECT_EXTENDED_LIMIT_INFORMATION()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY
    info.ProcessMemoryLimit = committed + memory_mb * 1024 * 1024
    return info


def _kernel32():  # noqa: ANN202 - ctypes.WinDLL with the signatures used here
    k = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle, dword = ctypes.c_void_p, ctypes.c_uint32
    k.GetCurrentProcess.restype = handle
    k.GetCurrentProcess.argtypes = []
    k.K32GetProcessMemoryInfo.restype = ctypes.c_int
    k.K32GetProcessMemoryInfo.argtypes = [handle, ctypes.c_void_p, dword]
    k.CreateJobObjectW.restype = handle
    k.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
    k.SetInformationJobObject.restype = ctypes.c_int
    k.SetInformationJobObject.argtypes = [handle, ctypes.c_int, ctypes.c_void_p, dword]
    k.AssignProcessToJobObject.restype = ctypes.c_int
    k.AssignProcessToJobObject.argtypes = [handle, handle]
    return k


def cap(memory_mb: int) -> bool:
    """Put this process into a job that caps its committed memory (Windows only); True if done."""
    global _job
    if sys.platform != "win32":
        return False
    try:
        k = _kernel32()
        process = k.GetCurrentProcess()
        counters = PROCESS_MEMORY_COUNTERS()
        counters.cb = ctypes.sizeof(counters)
        committed = counters.PagefileUsage if k.K32GetProcessMemoryInfo(
            process, ctypes.byref(counters), counters.cb) else 0
        job = k.CreateJobObjectW(None, None)
        if not job:
            return False
        info = limit_info(committed, memory_mb)
        if not k.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS, ctypes.byref(info),
                                         ctypes.sizeof(info)):
            return False
        if not k.AssignProcessToJobObject(job, process):
            return False
        _job = job
        return True
    except (OSError, AttributeError):  # an old Windows, or a call that is not there
        return False
