"""Every worker process of trainer: how many, how they start, how they stop.

* `job_count` caps the number of workers at the cores (and at the work there is);
* `spawning_without_interrupts` starts workers with Ctrl-C blocked, so that one
  still importing never dies of it; `worker_initializer` runs first in every
  worker: it leaves Ctrl-C to the main process (which stops the workers, so no
  worker prints a traceback) and, on Linux, asks the kernel to kill the worker
  when its parent dies, whatever signal ended the parent;
* `start_fit_worker` starts the process that fits the held-out model beside the
  final fit; `fork_pool` the pool that labels large inputs;
* `stop_idle_joblib_workers` ends the grid search's idle workers.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

__all__ = [
    "fork_pool",
    "job_count",
    "keep_freed_memory",
    "spawning_without_interrupts",
    "start_fit_worker",
    "stop_idle_joblib_workers",
    "worker_initializer",
]

logger = logging.getLogger(__name__)

_ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
_PR_SET_PDEATHSIG = 1


def job_count(n_jobs: int, *, tasks: int | None = None) -> int:
    """The number of worker processes to use: ``-1`` means one per core; never more than the cores or tasks.

    Parameters
    ----------
    n_jobs : int
        ``-1`` or a positive number.
    tasks : int, optional
        How many tasks there are, if known.

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0 or below -1.

    Examples
    --------
    >>> job_count(100_000) <= (os.cpu_count() or 1)
    True
    """
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be -1 (one per core) or a positive number, not {n_jobs}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    jobs = cores if n_jobs == -1 else min(n_jobs, cores)
    return max(1, min(jobs, tasks) if tasks is not None else jobs)


@contextlib.contextmanager
def spawning_without_interrupts(*, start_trackers: bool = True) -> Iterator[None]:
    """Start worker processes inside this block: they are born with Ctrl-C blocked.

    A terminal's Ctrl-C reaches every process of the job, workers included. A
    worker that is still starting (importing) has not run `worker_initializer`
    yet and would die with a ``KeyboardInterrupt`` traceback. A blocked signal
    stays blocked across fork and exec, so the workers started here (and the
    threads, such as joblib's queue feeders) keep Ctrl-C pending, never delivered,
    until `worker_initializer` ignores it, which discards it.

    In this process the main thread blocks Ctrl-C meanwhile, and a Ctrl-C that
    another thread (a BLAS thread, born before the block) takes is only recorded:
    either way it arrives as ``KeyboardInterrupt`` at the end of the block, never
    in the middle of spawning a process, and never lost. Keep the block to the
    spawning itself: start the processes inside it and wait for them after it.

    The resource trackers of joblib (loky) and multiprocessing are started
    first, apart: the standard library's unblocks Ctrl-C in the thread that starts
    it, which inside the block would let Ctrl-C reach this process's main thread
    and the workers. They start with SIGHUP blocked: a blocked signal stays blocked
    in them, and they ignore SIGINT and SIGTERM themselves, so a terminal's hang-up,
    which reaches the whole job, does not kill them, and they remove the run's
    semaphores and ``/dev/shm`` folders once it has died. (Workers die with their
    parent anyway, see `worker_initializer`.)

    Parameters
    ----------
    start_trackers : bool
        Start the resource trackers first. A pool of forked workers (`fork_pool`)
        needs none: the semaphores of the ``fork`` context are unlinked at once and
        never registered with a tracker, so it passes False and saves starting two
        processes (about 0.2 s).

    Examples
    --------
    >>> with spawning_without_interrupts(start_trackers=False):
    ...     pass
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    if start_trackers:
        _start_resource_trackers()
    interrupted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: interrupted.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGHUP})
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # a Ctrl-C pending here reaches `previous`
        if interrupted:
            signal.raise_signal(signal.SIGINT)


def _start_resource_trackers() -> None:
    """Start the resource trackers of joblib (loky) and multiprocessing, if not running, with SIGHUP blocked."""
    from multiprocessing import resource_tracker

    from joblib.externals.loky.backend import resource_tracker as loky_resource_tracker

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    try:
        loky_resource_tracker.ensure_running()
        resource_tracker.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def worker_initializer() -> None:
    """In a worker process: ignore Ctrl-C (the main process handles it) and die with the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not glibc: workers still end when their pipes close
        return
    if os.getppid() == 1:  # the parent died before prctl: go now
        os._exit(1)


def start_fit_worker(first_task: Any) -> Any:
    """A fresh one-thread worker process (loky: no fork of this process, no main guard needed in scripts).

    Parameters
    ----------
    first_task : callable
        Submitted at once: loky starts the process inside ``submit``, which runs
        here, within `spawning_without_interrupts`, and does not wait for it.
    """
    from joblib.externals.loky import ProcessPoolExecutor

    with spawning_without_interrupts():
        executor = ProcessPoolExecutor(max_workers=1, env=_ONE_THREAD, initializer=worker_initializer)
        executor.submit(first_task)
    return executor


def fork_pool(jobs: int) -> Any:
    """A pool of ``jobs`` forked workers that share this process's memory (the loaded model).

    A `concurrent.futures` pool, not ``multiprocessing.Pool``: if a worker dies,
    its futures fail instead of waiting forever.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    keep_freed_memory()  # in this process, before the fork: the workers inherit it
    return ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"), initializer=worker_initializer)


def stop_idle_joblib_workers() -> None:
    """Stop joblib's idle worker processes now (joblib's documented recipe); they would hold memory."""
    try:
        from joblib.externals.loky import get_reusable_executor

        get_reusable_executor().shutdown(wait=True)
    except Exception as exc:  # best effort: the workers end on their own after a timeout
        logger.debug("Could not stop joblib's workers: %s", exc)


def keep_freed_memory() -> None:
    """Let the C library keep the memory of freed arrays for the next chunk (glibc only; process-wide).

    Each chunk allocates and frees the same large NumPy temporaries. By default
    glibc gives them back to the system and takes them again, page fault by page
    fault: in forked worker processes that cost a third of the run's CPU time.
    This keeps up to 256 MiB of freed memory in the process.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return
    m_trim_threshold, m_mmap_threshold = -1, -3
    mallopt(m_mmap_threshold, 64 << 20)
    mallopt(m_trim_threshold, 256 << 20)
