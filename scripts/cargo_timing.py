"""Timing a cargo build of a generated crate, for the build benchmarks
(compile-bench.py, adoption-bench.py)."""

import os
import re
import subprocess
import sys
import time


def timed_build(directory, release=False):
    """Builds the crate in `directory` into its own `target/`, offline (an
    inherited CARGO_TARGET_DIR would share it); gives the seconds it took
    and the crates compiled."""
    command = ["cargo", "build", "--offline", "--target-dir", str(directory / "target")]
    if release:
        command.append("--release")
    environment = {key: value for key, value in os.environ.items() if key != "CARGO_TARGET_DIR"}
    started = time.monotonic()
    result = subprocess.run(command, cwd=directory, env=environment, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"the build in {directory} failed:\n{result.stderr}")
    return elapsed, re.findall(r"^\s*Compiling (\S+)", result.stderr, re.MULTILINE)
