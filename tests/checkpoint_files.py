"""checkpoint_files.py: what the checkpoint tests read from thirst's files: a checkpoint's header
fields (host/checkpoint.c's layout: next unit at bytes 76-84, round at 92-96) and a JSON result
without its "run" section (wall time, threads, machine), which may differ between equal runs;
and how they kill a run once its checkpoint has got far enough."""
import json
import signal
import struct
import subprocess
import time


def kill_when(command, ready, timeout=120):
    """Start command (its output discarded) and SIGKILL it as soon as ready() is true (polled
    every 2 ms), or when timeout seconds have passed; returns once it is dead. Whether the
    kill landed where the test wanted is for the caller to check."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while process.poll() is None and not ready() and time.time() < deadline:
        time.sleep(0.002)
    process.send_signal(signal.SIGKILL)
    process.wait()


def next_unit(path):
    """The next work unit (sensitivity: Sobol batch) a checkpoint's header records, or -1 when
    the file is not there yet or not whole."""
    try:
        data = open(path, "rb").read(84)
    except OSError:
        return -1
    if len(data) < 84 or data[:8] != b"THIRSTC3":
        return -1
    return struct.unpack("<Q", data[76:84])[0]


def round_of(path):
    """The adaptive round a checkpoint's header records, or 0."""
    try:
        data = open(path, "rb").read(96)
    except OSError:
        return 0
    return struct.unpack("<I", data[92:96])[0] if len(data) == 96 else 0


def without_run(path):
    """The JSON result at path without its "run" section."""
    result = json.load(open(path))
    result.pop("run", None)
    return result
