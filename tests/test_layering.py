"""test_layering.py: the architecture's rules (docs/ARCHITECTURE.md), checked on the source.

1. kernels/ is self-contained: its files include only kernels/ headers and the C, CUDA and
   cuRAND system headers; nothing reaches into host/.
2. The work reaches backends only through the backend interface (host/backend.h): runner.c and
   sensitivity.c name no CUDA function or header and no backend internals; host/backend_cuda.h
   (the CUDA device list) is included only by main.c and the two CUDA backend files.
3. Only host/main.c exits.
4. One list per vocabulary: a model output's enum name (OUT_X, from MODEL_OUTPUTS) appears in no
   code file but kernels/model_lists.h and kernels/model.h; a distribution's (PRIOR_X, from
   PRIOR_KINDS, other than the structural FIXED and CHOICE) in none but kernels/prior.h,
   host/prior_parse.c and host/prior_build.c; no code outside host/cli.c compares an argument
   with a flag's name (error messages may name the flag they are about).
5. Small files: no code file in kernels/ or host/ over 600 lines; no function over 100 lines.
6. Every test, benchmark and notebook names its backend: each `thirst run` or `thirst
   sensitivity` they start carries --backend (on a GPU machine `auto` would pick CUDA, and a
   comparison with numpy or with the CPU, or a CPU timing, would silently be about the GPU).
usage: test_layering.py SOURCE_DIR
"""
import glob
import os
import re
import sys

SYSTEM_HEADERS = {"stdint.h", "stddef.h", "stdlib.h", "stdio.h", "string.h", "math.h",
                  "cuda_runtime.h", "curand_philox4x32_x.h"}
MAX_FILE_LINES = 600
MAX_FUNCTION_LINES = 100

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL", message, file=sys.stderr)


def code_of(text):
    """text without comments and string literals (so names in prose do not count)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(\\.|[^"\\\n])*"', '""', text)


def includes(text):
    return re.findall(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', text, re.M)


def functions(text):
    """(name, body lines) of each function whose braces sit in column 0 (the house style)."""
    lines = text.split("\n")
    found, k = [], 0
    while k < len(lines):
        if lines[k] == "{":
            end = k
            while end < len(lines) and lines[end] != "}":
                end += 1
            head = k - 1
            while head > 0 and "(" not in lines[head]:
                head -= 1
            name = re.search(r"(\w+)\s*\(", lines[head])
            found.append((name.group(1) if name else lines[head].strip(), end - k - 1))
            k = end
        k += 1
    return found


def list_entries(path, macro, pattern):
    text = open(path).read()
    block = text[text.index(f"#define {macro}"):]
    block = block[:block.index("\n\n")]
    return re.findall(pattern, block)


def main():
    root = sys.argv[1]
    os.chdir(root)
    kernel_files = sorted(glob.glob("kernels/*.h") + glob.glob("kernels/*.cu") +
                          glob.glob("kernels/*.cuh"))
    host_files = sorted(glob.glob("host/*.c") + glob.glob("host/*.h"))
    texts = {path: open(path).read() for path in kernel_files + host_files}
    check(len(kernel_files) >= 10 and len(host_files) >= 40, "the source folders were not found")

    # 1. kernels/ includes only kernels/.
    for path in kernel_files:
        for kind, name in includes(texts[path]):
            if kind == "<":
                check(name in SYSTEM_HEADERS, f"{path} includes <{name}>, not a kernels/ header")
            else:
                check("/" not in name and os.path.exists(os.path.join("kernels", name)),
                      f"{path} includes \"{name}\", outside kernels/")

    # 2. Backends only through the interface.
    for path in ("host/runner.c", "host/sensitivity.c"):
        code = code_of(texts[path])
        for _, name in includes(texts[path]):
            check(not name.startswith("backend_") and "cuda" not in name,
                  f"{path} includes {name}: the work reaches backends through backend.h only")
        for word in ("cuda", "cpu_run", "cpu_refine", "cpu_sobol", "engine_eval_batch"):
            check(word not in code.lower() if word == "cuda" else word not in code,
                  f"{path} names '{word}': backends are reached through backend.h only")
    allowed = {"host/main.c", "host/backend_cuda.c", "host/backend_cuda_none.c"}
    for path in host_files:
        if any(name == "backend_cuda.h" for _, name in includes(texts[path])):
            check(path in allowed, f"{path} includes backend_cuda.h")

    # 3. Only main exits.
    for path in host_files:
        if path != "host/main.c":
            check(not re.search(r"\b(exit|_Exit|abort)\s*\(", code_of(texts[path])),
                  f"{path} exits: only host/main.c may")

    # 4. One list per vocabulary.
    outputs = list_entries("kernels/model_lists.h", "MODEL_OUTPUTS(X)", r"X\((\w+),")
    kinds = [k for k in list_entries("kernels/prior.h", "PRIOR_KINDS(X)", r"X\((\w+),")
             if k not in ("FIXED", "CHOICE")]
    flags = list_entries("host/cli.h", "CLI_FLAGS(X)", r'X\(\w+,\s*"(--[\w-]+)"')
    check(len(outputs) >= 13 and len(kinds) >= 6 and len(flags) >= 20,
          f"lists not found: {len(outputs)} outputs, {len(kinds)} kinds, {len(flags)} flags")
    for path in kernel_files + host_files:
        code = code_of(texts[path])
        for output in outputs:
            if path not in ("kernels/model_lists.h", "kernels/model.h"):
                check(not re.search(rf"\bOUT_{output}\b", code),
                      f"{path} names OUT_{output}: outputs are written once, in model_lists.h")
        for kind in kinds:
            if path not in ("kernels/prior.h", "host/prior_parse.c", "host/prior_build.c"):
                check(not re.search(rf"\bPRIOR_{kind}\b", code),
                      f"{path} names PRIOR_{kind}: distributions are written in prior.h and "
                      "prior_parse.c")
        if path not in ("host/cli.h", "host/cli.c"):
            parsed = re.findall(r'str(?:n)?cmp\([^;]*"(--[\w-]+)', texts[path])
            check(not parsed, f"{path} compares arguments with {parsed}: flags are parsed once, "
                  "from the list in cli.h")

    # 5. Small files and functions.
    for path in kernel_files + host_files:
        lines = texts[path].count("\n")
        check(lines <= MAX_FILE_LINES, f"{path}: {lines} lines, more than {MAX_FILE_LINES}")
        for name, length in functions(texts[path]):
            check(length <= MAX_FUNCTION_LINES,
                  f"{path}: {name} has {length} lines, more than {MAX_FUNCTION_LINES}")
    # 6. Tests, benchmarks and notebooks name their backend.
    invocation = re.compile(r'\[\s*(?:thirst|THIRST)(?:\.encode\(\))?\s*,\s*b?"(?:run|sensitivity)"'
                            r'|\["(?:run|sensitivity)",'
                            r'|(?:"\$\{?(?:thirst|THIRST)\}?"|/thirst"|run_thirst)\s+(?:run|sensitivity)\b')
    scripts = sorted(glob.glob("tests/*.py") + glob.glob("tests/*.sh") + glob.glob("tests/*/*.py") +
                     glob.glob("tests/*/*.sh") + glob.glob("bench/*.sh") + glob.glob("bench/*.py"))
    invocations = 0
    for path in scripts:
        for number, line in enumerate(open(path).read().split("\n"), 1):
            if invocation.search(line) and not line.lstrip().startswith("#"):
                invocations += 1
                check("--backend" in line, f"{path}:{number}: a run without --backend")
    check(invocations >= 20, f"only {invocations} runs found in tests and bench: the check is blind")
    for path in sorted(glob.glob("notebooks/*.ipynb")):
        check('\\"--backend\\"' in open(path).read(),
              f"{path}: its thirst() helper does not pass --backend")
    print(f"test_layering: {len(kernel_files)} kernel files, {len(host_files)} host files, "
          f"{len(outputs)} outputs, {len(kinds)} distributions, {len(flags)} flags; "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
