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


def test_a_process_started_in_the_block_ignores_ctrl_c():
    code = """
        import subprocess, sys
        from trainer.workers import spawning_without_interrupts
        child = "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"
        with spawning_without_interrupts():
            print(subprocess.run([sys.executable, "-c", child], capture_output=True, text=True).stdout.strip())
    """
    assert _python(code) == "True"
