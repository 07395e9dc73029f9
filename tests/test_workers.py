"""Process plumbing: Ctrl-C while workers start is delivered late, never lost."""

import os
import signal
import subprocess
import sys

import pytest

from trainer.workers import spawning_without_interrupts


def test_ctrl_c_while_workers_start_arrives_at_the_end_of_the_block():
    # A regression: Ctrl-C was ignored while workers started, and a loaded machine's fit ran to the end.
    reached_the_end = False
    with pytest.raises(KeyboardInterrupt), spawning_without_interrupts():
        os.kill(os.getpid(), signal.SIGINT)
        reached_the_end = True
    assert reached_the_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_process_started_in_the_block_ignores_ctrl_c():
    code = "import signal; print(signal.getsignal(signal.SIGINT) == signal.SIG_IGN)"
    with spawning_without_interrupts():
        child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "True"
