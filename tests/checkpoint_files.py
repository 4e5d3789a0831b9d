"""checkpoint_files.py: what the checkpoint tests read from thirst's files: a checkpoint's header
fields (host/checkpoint.c's layout: next unit at bytes 76-84, round at 92-96) and a JSON result
without its "run" section (wall time, threads, machine), which may differ between equal runs."""
import json
import struct


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
