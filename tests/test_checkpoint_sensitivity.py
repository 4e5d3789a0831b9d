"""test_checkpoint_sensitivity.py: `thirst sensitivity --checkpoint FILE` and `--resume FILE`
(issue 19): the checkpoint holds the Sobol design's batch sums.
- The Sobol design of the GPT-3 training scenario (2^25 base draws, 64 batches, a checkpoint after
  every segment of 8) killed with SIGKILL once its checkpoint holds at least 16 and at least 48
  batches, then resumed, reports every index, interval, setting and the provenance byte for byte
  as the same run left alone (without --checkpoint); under --sampler rqmc too.
- SIGTERM after the design (during the "measured" runs, which are not checkpointed): death by
  SIGTERM, a message naming the checkpoint, no --json file, a checkpoint holding all 64
  batches; resumed under --threads 1 (written under 2), the result of the run left alone.
Refused checkpoints (a run's checkpoint given to sensitivity and the reverse, other base draws,
--checkpoint without the Sobol method) are cases of tests/test_bad_input.sh.
Usage: test_checkpoint_sensitivity.py THIRST_BINARY REPO_ROOT
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checks import Checks  # noqa: E402
from checkpoint_files import kill_when, next_unit, without_run  # noqa: E402

thirst, root = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(root)
checks = Checks()
SCENARIO = "priors/gpt3-training-us.json"
BATCHES = 64


def command(json_path, *extra):
    return [thirst, "sensitivity", SCENARIO, "--backend", "cpu", "--threads", "2", "--quiet",
            "--json", json_path, *extra]


def whole(work, name, extra):
    out = os.path.join(work, name + "-whole.json")
    done = subprocess.run(command(out, *extra), capture_output=True, text=True)
    checks.check(done.returncode == 0, f"the whole run {extra}: {done.stderr}")
    return without_run(out) if done.returncode == 0 else None


def killed_and_resumed(work, at_least, reference, extra):
    name = f"killed-{'-'.join(extra)}-{at_least}"
    checkpoint, out = os.path.join(work, name + ".ck"), os.path.join(work, name + ".json")
    checkpointed = ["--checkpoint", checkpoint, "--checkpoint-every", "0"]
    kill_when(command(out, *checkpointed, *extra), lambda: next_unit(checkpoint) >= at_least)
    at = next_unit(checkpoint)
    checks.check(0 < at < BATCHES, f"{extra} killed: the checkpoint holds {at} of {BATCHES} "
                 "batches (the kill must land inside the design)")
    checks.check(not os.path.exists(out), f"{extra} killed: a --json file was left")
    resumed = subprocess.run(command(out, *checkpointed, "--resume", checkpoint, *extra),
                             capture_output=True, text=True)
    checks.check(resumed.returncode == 0, f"{extra} resumed at batch {at}: {resumed.stderr}")
    if resumed.returncode == 0:
        checks.check(without_run(out) == reference,
                     f"{extra} resumed at batch {at}: its result differs from the whole run's")
        taken = json.load(open(out))["run"]["resumed_batches"]   # the resume did not start over
        checks.check(taken == at, f"{extra}: {taken} batches taken from the checkpoint, not {at}")


def terminated_after_design(work):
    extra = ["--base-draws", "8388608", "--method", "sobol,measured"]
    reference = whole(work, "measured", extra)
    checkpoint, out = os.path.join(work, "after.ck"), os.path.join(work, "after.json")
    process = subprocess.Popen(command(out, "--checkpoint", checkpoint, *extra),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and next_unit(checkpoint) < BATCHES:
        time.sleep(0.001)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate()
    if process.returncode == 0:   # it finished before the signal: nothing to check
        print("note: the run ended before SIGTERM reached it")
        return
    checks.check(process.returncode == -signal.SIGTERM,
                 f"SIGTERM after the design: exit status {process.returncode}, expected death "
                 f"by SIGTERM; stderr {stderr!r}")
    checks.check("interrupted after the Sobol design; resume with --resume" in stderr,
                 f"SIGTERM after the design: message {stderr!r}")
    checks.check(not os.path.exists(out), "SIGTERM after the design: a --json file was left")
    checks.check(next_unit(checkpoint) == BATCHES,
                 f"SIGTERM after the design: the checkpoint holds {next_unit(checkpoint)} batches")
    one_thread = [thirst, "sensitivity", SCENARIO, "--backend", "cpu", "--threads", "1",
                  "--quiet", "--json", out, "--resume", checkpoint, *extra]
    resumed = subprocess.run(one_thread, capture_output=True, text=True)
    checks.check(resumed.returncode == 0 and reference is not None and
                 without_run(out) == reference and
                 json.load(open(out))["run"]["resumed_batches"] == BATCHES,
                 f"resumed after the design under --threads 1: {resumed.stderr or 'differs'}")


with tempfile.TemporaryDirectory() as work:
    for extra in (["--base-draws", "33554432", "--method", "sobol"],
                  ["--base-draws", "33554432", "--method", "sobol", "--sampler", "rqmc"]):
        reference = whole(work, "-".join(extra[2:]), extra)
        for at_least in (16, 48):
            killed_and_resumed(work, at_least, reference, extra)
    terminated_after_design(work)
checks.finish()
