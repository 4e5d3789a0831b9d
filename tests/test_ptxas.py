"""test_ptxas.py: resource gates for the CUDA kernels, checked at build time on a machine without
a GPU. The build writes ptxas's report for sm_90 (tests/ptxas_report.sh); this test parses it and
holds every kernel to a stated budget, so a change that pushes a kernel's accumulators out of
registers, or a new kernel without a budget, fails here and not on someone's GPU.

Budgets (measured with nvcc 13.0 for sm_90 when they were set, in brackets):
- cuda_run_kernel<N>, N = 1 .. MODEL_OUTPUT_COUNT (one per count of reported outputs):
  registers <= 128, the cap of __launch_bounds__(512) (65,536 registers / 512 threads) [59-128];
  spill stores <= 128 bytes [0-92: ptxas keeps N = 1-4 at 40-64 registers, for occupancy, and
  spills a few values to L1 rather than use more; the budget catches an array or the
  accumulators falling out of registers, which costs kilobytes];
  stack frame <= 384 bytes: the draw's words and inputs arrays (indexed at run time, so in local
  memory: 256 bytes) plus the spills [256-320].
- cuda_run_kernel+formulas (cuda_run_kernel<N, true>, the general kernels: plans with formulas
  or correlated inputs): registers <= 128; spill stores <= 384 bytes [0-308: with the correlated
  path (kernels/copula.h) ptxas keeps N = 1-3 at 64 registers and spills up to 308 bytes to L1,
  where N = 1-3 spilled 0-100 before it; the fast kernels above do not hold that path and are
  unchanged]; stack frame <= 640 bytes: the per-draw arrays at their formula sizes (32 words,
  57 input slots, 29 outputs: 472 bytes, indexed at run time as before) plus the spills
  [496-640]. The formulas' value file is in shared memory, strided by
  thread, never in this frame (a runtime-indexed local array would put all of it there).
- cuda_refine_kernel+formulas, cuda_first_draws_kernel+formulas (<true>): registers <= 96 and
  <= 64, no spills, stack frame <= 512 bytes: the per-draw arrays at their formula sizes
  (472 bytes) [70 and 40 registers, 496 bytes]; their value files are in shared memory.
- cuda_refine_kernel, cuda_first_draws_kernel: registers <= 64 [45, 40], no spills, stack frame
  <= 256 bytes (the same arrays) [256].
- cuda_sobol_kernel: registers <= 96, its launch bound (THIRST_SOBOL_MIN_BLOCKS = 9 blocks of 64
  threads) [96]; spill stores <= 32 bytes [16: ptxas's price for the cap]; stack frame <= 1,024
  bytes: the three draws' inputs and outputs and the words (576 bytes) plus the spills [592].
  The chunk's sums are in registers and its terms in shared memory; the design before issue 13
  kept both per thread in a 7,648-byte frame.
- cuda_sobol_kernel+formulas (<true>): as above, stack frame <= 1,536 bytes: three draws' arrays
  at their formula sizes (3 x 344 bytes) and the two rows' words (256 bytes) [1,312]; the value
  file follows the rows in shared memory.
- cuda_probe_kernel (empty; cuda_api_check asks whether the device has an image of it): no
  stack, at most 16 registers.
- cuda_replicate_sums_kernel, cuda_replicate_counts_kernel (rqmc, kernels/cuda_replicates.cu:
  one thread per replicate and segment of points, no launch bound, 128 threads per block):
  registers <= 168 and <= 96 [149: each reported output's n, sum and sum of squares as doubles
  in registers; 72], no spills, stack frame <= 512 bytes: the per-draw arrays at their formula
  sizes (472 bytes) [496].
The report must also come from the build's math flags (-fmad=false: bit-identical draws).
usage: test_ptxas.py BUILD_DIR SOURCE_DIR
"""
import re
import sys

BUDGETS = {  # kernel: (registers, spill store bytes, stack frame bytes)
    "cuda_run_kernel": (128, 128, 384),
    "cuda_run_kernel+formulas": (128, 384, 640),
    "cuda_refine_kernel": (64, 0, 256),
    "cuda_refine_kernel+formulas": (96, 0, 512),
    "cuda_first_draws_kernel": (64, 0, 256),
    "cuda_first_draws_kernel+formulas": (64, 0, 512),
    "cuda_sobol_kernel": (96, 32, 1024),
    "cuda_sobol_kernel+formulas": (96, 32, 1536),
    "cuda_probe_kernel": (16, 0, 0),   # empty: whether a device has this build's code
    "cuda_replicate_sums_kernel": (168, 0, 512),
    "cuda_replicate_counts_kernel": (96, 0, 512),
}

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL", message, file=sys.stderr)


def demangle(symbol):
    """'_Z15cuda_run_kernelILi6ELb0EE...' -> ('cuda_run_kernel', 6); with formulas (Lb1) the
    name gets '+formulas': ('cuda_run_kernel+formulas', 6); untemplated -> (name, None)."""
    match = re.match(r"_Z(\d+)", symbol)
    if not match:
        return symbol, None
    length = int(match.group(1))
    name = symbol[match.end():match.end() + length]
    rest = symbol[match.end() + length:]
    template = re.match(r"ILi(\d+)E(Lb([01])E)?", rest)
    if template and template.group(3) == "1" or re.match(r"ILb1EE", rest):
        name += "+formulas"
    return name, int(template.group(1)) if template else None


def parse(report):
    """{symbol: {'registers', 'stack', 'spill_stores', 'spill_loads'}} of every entry function."""
    kernels, current, properties_of = {}, None, None
    for line in report.splitlines():
        entry = re.search(r"Compiling entry function '([^']+)'", line)
        if entry:
            current = entry.group(1)
            kernels.setdefault(current, {})
            continue
        properties = re.search(r"Function properties for (\S+)", line)
        if properties:
            properties_of = properties.group(1)
            continue
        frame = re.search(r"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads",
                          line)
        if frame and properties_of in kernels:
            kernels[properties_of].update(stack=int(frame.group(1)),
                                          spill_stores=int(frame.group(2)),
                                          spill_loads=int(frame.group(3)))
            continue
        used = re.search(r"Used (\d+) registers", line)
        if used and current:
            kernels[current]["registers"] = int(used.group(1))
    return kernels


def output_count(source_dir):
    """Entries of the MODEL_OUTPUTS list (kernels/model_lists.h)."""
    text = open(f"{source_dir}/kernels/model_lists.h").read()
    block = text[text.index("#define MODEL_OUTPUTS(X)"):]
    block = block[:block.index("\n\n")]
    return len(re.findall(r"^\s*X\(", block, re.M))


def main():
    build_dir, source_dir = sys.argv[1], sys.argv[2]
    report = open(f"{build_dir}/ptxas_report.txt").read()
    flags = report.splitlines()[0]
    check("-fmad=false" in flags, f"the report was not made with -fmad=false: {flags}")
    kernels = parse(report)
    seen_run = set()
    print(f"{'kernel':32} {'registers':>9} {'stack':>6} {'spill st':>8} {'spill ld':>8}")
    for symbol, resources in sorted(kernels.items(), key=lambda item: demangle(item[0])):
        name, outputs = demangle(symbol)
        label = f"{name}<{outputs}>" if outputs is not None else name
        print(f"{label:32} {resources.get('registers', -1):9} {resources.get('stack', -1):6} "
              f"{resources.get('spill_stores', -1):8} {resources.get('spill_loads', -1):8}")
        if name not in BUDGETS:
            check(False, f"kernel {label} has no budget in tests/test_ptxas.py")
            continue
        registers, spills, stack = BUDGETS[name]
        check("registers" in resources and "stack" in resources,
              f"{label}: the report has no resource lines")
        check(resources.get("registers", 1 << 30) <= registers,
              f"{label}: {resources.get('registers')} registers, budget {registers}")
        check(resources.get("spill_stores", 1 << 30) <= spills,
              f"{label}: {resources.get('spill_stores')} bytes of spill stores, budget {spills}")
        check(resources.get("stack", 1 << 30) <= stack,
              f"{label}: {resources.get('stack')} bytes of stack frame, budget {stack}")
        if name.startswith("cuda_run_kernel"):
            seen_run.add((name, outputs))
    for name in BUDGETS:
        check(any(demangle(symbol)[0] == name for symbol in kernels),
              f"kernel {name} is missing from the report")
    count = output_count(source_dir)
    expected = {(name, n) for n in range(1, count + 1)
                for name in ("cuda_run_kernel", "cuda_run_kernel+formulas")}
    check(seen_run == expected,
          f"cuda_run_kernel instantiations {sorted(seen_run)}, expected 1..{count} with and "
          "without formulas")
    print(f"test_ptxas: {len(kernels)} kernels, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
