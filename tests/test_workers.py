"""Process plumbing: Ctrl-C while workers start is delivered late, never lost."""

import subprocess
import sys
import textwrap


def _python(code: str) -> str:
    # A fresh interpreter: pytest-xdist's workers handle signals their own way.
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()


def test_ctrl_c_while_workers_start_arrives_at_the_end_of_the_block():
    # A regression: Ctrl-C was ignored while workers started, and a loaded machine's fit ran to the end.
    code = """
        import os, signal
        from trainer.workers import spawning_without_interrupts
        reached_the_end = False
        try:
            with spawning_without_interrupts():
                os.kill(os.getpid(), signal.SIGINT)
                reached_the_end = True
            print("lost")
        except KeyboardInterrupt:
            print("late", reached_the_end, signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    """
    assert _python(code) == "late True True"


def test_ctrl_c_taken_by_another_thread_in_the_block_is_not_lost():
    # A regression: Ctrl-C was ignored in the block, and one that a BLAS thread took was lost.
    code = """
        import os, signal, threading, time
        from trainer.workers import spawning_without_interrupts
        threading.Thread(target=time.sleep, args=(3,), daemon=True).start()  # born before: Ctrl-C not blocked
        reached_the_end = False
        try:
            with spawning_without_interrupts():
                os.kill(os.getpid(), signal.SIGINT)  # the main thread blocks it: the kernel gives it to the other
                time.sleep(0.2)
                reached_the_end = True
            time.sleep(0.2)
            print("lost")
        except KeyboardInterrupt:
            print("late", reached_the_end)
    """
    assert _python(code) == "late True"


def test_a_process_started_in_the_block_keeps_ctrl_c_blocked():
    code = """
        import subprocess, sys
        from trainer.workers import spawning_without_interrupts
        child = "import signal; print(signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, []))"
        with spawning_without_interrupts():
            print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout.strip())
    """
    assert _python(code) == "True"


def test_a_loky_worker_still_importing_survives_ctrl_c():
    # A regression: on Python 3.13 a Ctrl-C reached a loky worker that was importing joblib, and it
    # died with a KeyboardInterrupt traceback (multiprocessing's resource tracker, started inside the
    # block, had unblocked Ctrl-C again).
    code = """
        import os, signal, time
        import psutil
        from trainer.workers import start_fit_worker
        executor = start_fit_worker(int)
        workers = [p for p in psutil.Process().children(recursive=True) if "popen_loky" in " ".join(p.cmdline())]
        for worker in workers:
            os.kill(worker.pid, signal.SIGINT)
        print(len(workers) >= 1, executor.submit(abs, -2).result(timeout=60))
        executor.shutdown()
    """
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=90)
    assert done.stdout.strip() == "True 2" and "Traceback" not in done.stderr, done.stderr


def _blocked_in_worker(chunk: int) -> tuple[int, bool]:
    import os
    import signal
    import time

    time.sleep(0.05)  # long enough that every worker takes a chunk
    return os.getpid(), signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_every_predict_worker_is_born_with_ctrl_c_blocked():
    # Regression: the forked pool of `predict --jobs` was started outside spawning_without_interrupts.
    from trainer.streaming import _run

    results: list[tuple[int, bool]] = []
    _run(iter(range(8)), _blocked_in_worker, results.append, 2)
    assert len({pid for pid, _ in results}) == 2
    assert all(blocked for _, blocked in results)
