"""test_checkpoint.py: `thirst run --checkpoint FILE` and `--resume FILE` (issue 19, first step).
- A run of the GPT-3 training scenario (2^26 draws, 1,024 work units, a checkpoint after every 64)
  killed with SIGKILL at three points of its first pass (once its checkpoint holds at least a
  quarter, a half and three quarters of the units), then resumed from the checkpoint, reports
  every statistic, setting and the provenance byte for byte as the same run left alone (without
  --checkpoint); under --sampler rqmc too (its per-replicate sums travel in the checkpoint).
- SIGTERM after the pass (during the exact-quantile passes): no --json file, death by SIGTERM;
  resumed under --threads 1 (the checkpoint was written under 2), the same result.
- SIGTERM and SIGINT during the pass: death by the signal (143, 130 in a shell), a checkpoint
  written, no --json file left; resuming it gives the same result again.
- An adaptive run (--rel-error) killed in its second round's pass and resumed gives the result
  of the same run left alone (the round, its draws and the runner's counts travel in the
  checkpoint).
- A whole run with --checkpoint leaves a complete checkpoint (the pass and the exact quantiles):
  resumed, it draws nothing (no pass, no refinement) and gives the same result; rqmc too.
- `--by site` with --checkpoint FILE (FILE.1 to FILE.17) killed inside option 6 and resumed:
  options 1-5 from their complete checkpoints, 6 from its pass's, the same JSON; SIGTERM inside
  an option names it.
- A checkpoint is written atomically: no temporary file stays next to it.
Refused checkpoints (another seed, scenario, draws, a truncated or damaged file) are cases of
tests/test_bad_input.sh.
Usage: test_checkpoint.py THIRST_BINARY REPO_ROOT
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
from checkpoint_files import kill_when, next_unit, round_of, without_run  # noqa: E402

thirst, root = os.path.abspath(sys.argv[1]), sys.argv[2]
os.chdir(root)
checks = Checks()
SCENARIO = "priors/gpt3-training-us.json"
UNITS = 1024   # 2^26 draws (32 x 2^21, so rqmc takes it too) in work units of 65,536


def command(json_path, checkpoint, *extra):
    return [thirst, "run", SCENARIO, "--backend", "cpu", "--draws", "67108864", "--threads", "2",
            "--quiet", "--checkpoint", checkpoint, "--checkpoint-every", "0", "--json",
            json_path, *extra]


def plain(json_path, *extra):
    """The same run without --checkpoint (windows and kept values on)."""
    return [thirst, "run", SCENARIO, "--backend", "cpu", "--draws", "67108864", "--threads", "2",
            "--quiet", "--json", json_path, *extra]


def killed_and_resumed(work, fraction, reference, extra):
    name = f"killed-{'-'.join(extra) or 'mc'}-{fraction}"
    checkpoint = os.path.join(work, name + ".ck")
    out = os.path.join(work, name + ".json")
    target = int(UNITS * fraction)
    kill_when(command(out, checkpoint, *extra), lambda: next_unit(checkpoint) >= target)
    at = next_unit(checkpoint)
    checks.check(0 < at < UNITS, f"{extra} killed at {fraction}: the checkpoint holds {at} of "
                 f"{UNITS} units (the kill must land inside the pass)")
    checks.check(not os.path.exists(out), f"{extra} killed: a --json file was left")
    resumed = subprocess.run(command(out, checkpoint, "--resume", checkpoint, *extra),
                             capture_output=True, text=True)
    checks.check(resumed.returncode == 0, f"{extra} resumed at unit {at}: {resumed.stderr}")
    if resumed.returncode == 0:
        checks.check(without_run(out) == reference,
                     f"{extra} resumed at unit {at}: its result differs from the whole run's")
        taken = json.load(open(out))["run"]["resumed_units"]   # the resume did not start over
        checks.check(taken == at, f"{extra}: {taken} units taken from the checkpoint, not {at}")
    leftovers = [name for name in os.listdir(work) if name.endswith(".partial")]
    checks.check(not leftovers, f"temporary checkpoint files left: {leftovers}")


def complete(work, reference, extra):
    """A whole run with --checkpoint leaves a complete checkpoint (its pass and its exact
    quantiles): resumed, it draws nothing and reports the same result."""
    checkpoint = os.path.join(work, "complete.ck")
    out = os.path.join(work, "complete.json")
    done = subprocess.run(command(out, checkpoint, *extra), capture_output=True, text=True)
    checks.check(done.returncode == 0 and without_run(out) == reference,
                 f"{extra} whole run with --checkpoint: {done.stderr or 'differs'}")
    os.remove(out)
    resumed = subprocess.run(command(out, checkpoint, "--resume", checkpoint, *extra),
                             capture_output=True, text=True)
    checks.check(resumed.returncode == 0, f"{extra} complete checkpoint resumed: {resumed.stderr}")
    if resumed.returncode == 0:
        run = json.load(open(out))["run"]
        checks.check(without_run(out) == reference and run["resumed_units"] == UNITS and
                     run["refinement_passes"] == 0 and run["redrawn_draws"] == 0,
                     f"{extra} complete checkpoint resumed: differs, or it drew again ({run})")


def by_option(work):
    """`--by site` (17 options) with --checkpoint FILE: option k's run checkpoints to FILE.k.
    Killed (SIGKILL) inside option 6's pass and resumed: options 1-5 come whole from their
    complete checkpoints, option 6 from its pass's, the rest are run; the JSON is the one of the
    run left alone. SIGTERM inside an option: death by SIGTERM, no JSON, a message naming the
    option."""
    by = [thirst, "run", "priors/gpt3-training-sites.json", "--by", "site", "--backend", "cpu",
          "--draws", "16777216", "--threads", "2", "--quiet"]   # 256 units per option
    plain_out = os.path.join(work, "by-plain.json")
    done = subprocess.run(by + ["--json", plain_out], capture_output=True, text=True)
    checks.check(done.returncode == 0, f"--by run: {done.stderr}")
    checkpoint, out = os.path.join(work, "by.ck"), os.path.join(work, "by.json")
    base = by + ["--checkpoint", checkpoint, "--checkpoint-every", "0", "--json", out]
    sixth = checkpoint + ".6"
    kill_when(base, lambda: next_unit(sixth) >= 64)
    at = next_unit(sixth)
    checks.check(0 < at < 256 and not os.path.exists(checkpoint + ".7"),
                 f"--by killed: option 6 at unit {at} of 256 (option 7 started: "
                 f"{os.path.exists(checkpoint + '.7')})")
    resumed = subprocess.run(base + ["--resume", checkpoint], capture_output=True, text=True)
    checks.check(resumed.returncode == 0 and done.returncode == 0 and
                 without_run(out) == without_run(plain_out),
                 f"--by resumed: {resumed.stderr or 'differs from the run left alone'}")
    if resumed.returncode == 0:
        run = json.load(open(out))["run"]
        taken, passes = run["resumed_units"], run["refinement_passes"]
        checks.check(taken == [256] * 5 + [at] + [0] * 11 and passes[:5] == [0] * 5 and
                     min(passes[5:]) > 0,   # options 1-5 whole from their files: no pass at all
                     f"--by resumed: units taken from the checkpoints per option {taken}, "
                     f"refinement passes {passes}")
    os.remove(out)
    for k in range(1, 18):
        os.remove(f"{checkpoint}.{k}")
    process = subprocess.Popen(base, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    while process.poll() is None and next_unit(checkpoint + ".3") < 64:
        time.sleep(0.002)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate()
    checks.check(process.returncode == -signal.SIGTERM and not os.path.exists(out) and
                 "interrupted in option 3 of 17 (Illinois); resume with --resume" in stderr,
                 f"--by SIGTERM: exit {process.returncode}, stderr {stderr!r}")


def after_the_pass(work, reference):
    """SIGTERM once the pass over the draws is done (the exact-quantile passes run): no JSON,
    death by SIGTERM; resumed under another --threads, the same result."""
    checkpoint = os.path.join(work, "after.ck")
    out = os.path.join(work, "after.json")
    process = subprocess.Popen(command(out, checkpoint), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    while process.poll() is None and next_unit(checkpoint) < UNITS:
        time.sleep(0.001)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate()
    if process.returncode == 0:   # it finished before the signal: nothing to check
        print("note: the run ended before SIGTERM reached it")
        return
    checks.check(process.returncode == -signal.SIGTERM and not os.path.exists(out),
                 f"SIGTERM after the pass: exit {process.returncode}, JSON left "
                 f"{os.path.exists(out)}, stderr {stderr!r}")
    resumed = subprocess.run(command(out, checkpoint, "--resume", checkpoint, "--threads", "1"),
                             capture_output=True, text=True)
    checks.check(resumed.returncode == 0 and without_run(out) == reference,
                 f"resumed after the pass under --threads 1: {resumed.stderr or 'differs'}")


def adaptive(work):
    """An adaptive run (--rel-error 3e-4: 131,072 draws, then about 1.5e8) killed in its second
    round's pass and resumed: the result of the run left alone."""
    rule = ["--rel-error", "3e-4"]
    plain_out = os.path.join(work, "adaptive-plain.json")
    done = subprocess.run([thirst, "run", SCENARIO, "--backend", "cpu", "--threads", "2",
                           "--quiet", "--json", plain_out, *rule], capture_output=True, text=True)
    checks.check(done.returncode == 0, f"adaptive run: {done.stderr}")
    checkpoint, out = os.path.join(work, "adaptive.ck"), os.path.join(work, "adaptive.json")
    base = [thirst, "run", SCENARIO, "--backend", "cpu", "--threads", "2", "--quiet",
            "--checkpoint", checkpoint, "--checkpoint-every", "0", "--json", out, *rule]
    kill_when(base, lambda: round_of(checkpoint) >= 2 and next_unit(checkpoint) >= 700)
    checks.check(round_of(checkpoint) == 2 and not os.path.exists(out),
                 f"adaptive: killed in round {round_of(checkpoint)} at unit "
                 f"{next_unit(checkpoint)} (expected round 2, no JSON)")
    resumed = subprocess.run(base + ["--resume", checkpoint], capture_output=True, text=True)
    checks.check(resumed.returncode == 0 and done.returncode == 0 and
                 without_run(out) == without_run(plain_out),
                 f"adaptive resumed: {resumed.stderr or 'differs from the run left alone'}")


def terminated(work, reference, number):
    """Signal `number` (SIGTERM, SIGINT) inside the pass: death by that signal, a checkpoint, no
    JSON; resumed, the result of the run left alone."""
    name = signal.Signals(number).name
    checkpoint = os.path.join(work, f"terminated-{name}.ck")
    out = os.path.join(work, f"terminated-{name}.json")
    process = subprocess.Popen(command(out, checkpoint), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    while process.poll() is None and next_unit(checkpoint) < UNITS // 3:
        time.sleep(0.002)
    process.send_signal(number)
    _, stderr = process.communicate()
    checks.check(process.returncode == -number,
                 f"{name}: exit status {process.returncode}, expected death by {name} "
                 f"(128 + {int(number)} in a shell); stderr {stderr!r}")
    checks.check("interrupted" in stderr and "--resume" in stderr, f"{name} message: {stderr!r}")
    checks.check(not os.path.exists(out), f"{name}: a --json file was left")
    checks.check(0 < next_unit(checkpoint) < UNITS, f"{name}: no checkpoint inside the pass")
    resumed = subprocess.run(command(out, checkpoint, "--resume", checkpoint),
                             capture_output=True, text=True)
    checks.check(resumed.returncode == 0 and without_run(out) == reference,
                 f"{name} then --resume: {resumed.stderr or 'the result differs'}")


with tempfile.TemporaryDirectory() as work:
    references = {}
    for extra in ((), ("--sampler", "rqmc", "--replicates", "32")):
        whole = os.path.join(work, "whole.json")   # the run left alone, without --checkpoint
        done = subprocess.run(plain(whole, *extra), capture_output=True, text=True)
        checks.check(done.returncode == 0, f"the whole run {extra}: {done.stderr}")
        references[extra] = without_run(whole) if done.returncode == 0 else None
        for fraction in (0.25, 0.5, 0.75):
            killed_and_resumed(work, fraction, references[extra], extra)
        complete(work, references[extra], extra)
    terminated(work, references[()], signal.SIGTERM)
    terminated(work, references[()], signal.SIGINT)
    after_the_pass(work, references[()])
    adaptive(work)
    by_option(work)
checks.finish()
