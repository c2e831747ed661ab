"""Memory and CPU of the server's process tree, from /proc."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: fields start after the last ')'.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (worker processes of a multi-worker server)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def proc_status_kb(pid: int, field_name: str) -> int:
    """A kB field (VmRSS, VmHWM) of /proc/PID/status; 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def proc_cpu_s(pid: int) -> float:
    """User plus system CPU seconds a process has used so far; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the name: state is field 3 of the man page, utime 14 and stime 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class TreeSnapshot:
    """Memory and CPU of a server and its workers at one moment."""

    rss_mb: float
    hwm_mb: float
    hwm_max_process_mb: float
    cpu_s: float
    processes: int


def tree_snapshot(pid: int) -> TreeSnapshot:
    """Summed RSS, summed and largest VmHWM, and summed CPU over the process tree."""
    pids = process_tree(pid)
    hwm = [proc_status_kb(p, "VmHWM") / 1024 for p in pids]
    return TreeSnapshot(
        rss_mb=sum(proc_status_kb(p, "VmRSS") for p in pids) / 1024,
        hwm_mb=sum(hwm),
        hwm_max_process_mb=max(hwm, default=0.0),
        cpu_s=sum(proc_cpu_s(p) for p in pids),
        processes=len(pids),
    )


class RssSampler:
    """Samples the tree's summed RSS in the background; VmHWM alone misses the peak of a sum."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid = pid
        self.every_s = every_s
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            pids = process_tree(self.pid)
            rss = sum(proc_status_kb(p, "VmRSS") for p in pids) / 1024
            self.peak_mb = max(self.peak_mb, rss)
            self._stop.wait(self.every_s)
