/* main.c: the thirst command line. The only file that prints to the user and exits: it parses
 * flags, calls the library (scenario, engine, stats, report) and maps its status codes to exit
 * codes: 0 ok, 1 runtime failure, 2 usage or scenario error. */
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend_cuda.h"
#include "dump.h"
#include "engine.h"
#include "report_sensitivity.h"
#include "runner.h"
#include "sensitivity.h"
#include "../kernels/draw.h"
#include "number.h"
#include "output_file.h"
#include "report.h"
#include "scenario.h"
#include "stats.h"
#include "status.h"
#include "units.h"

static const char USAGE[] =
    "usage: thirst COMMAND SCENARIO [flags]\n"
    "\n"
    "Monte Carlo uncertainty of the energy, water and carbon footprint of AI models.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO       sample the priors and print each output's mean, sd, quantiles and\n"
    "                     central interval\n"
    "  point SCENARIO     evaluate the model once at each prior's \"point\" value (else its\n"
    "                     median)\n"
    "  validate SCENARIO  check a scenario file and say what it would compute\n"
    "  sensitivity SCENARIO  which inputs drive each output: Sobol first/total indices with\n"
    "                     95% intervals, tornado swings, standardised regression coefficients\n"
    "  draws SCENARIO     print the first draws (uniform words, inputs, outputs) as CSV, from\n"
    "                     either backend: the CPU-vs-GPU agreement check\n"
    "  devices            list CUDA devices with memory and compute capability\n"
    "\n"
    "flags (run):\n"
    "  --draws N          number of draws, e.g. 1000000 or 1e9 (default: the file's \"draws\")\n"
    "  --seed S           64-bit seed, 0 <= S < 2^64 (default: the file's \"seed\")\n"
    "  --threads T        CPU threads, 1..1024 (default: all cores; more than the cores are\n"
    "                     capped to the cores, with a notice); results do not depend on it\n"
    "  --json FILE        also write the result as JSON (docs/result-schema.md)\n"
    "  --csv FILE         also write one CSV row per output\n"
    "  --html FILE        also write a self-contained HTML report (table, histograms)\n"
    "  --dump FILE.npy    also write every draw's parameters and outputs as a structured .npy\n"
    "                     array (at most 1 GiB: about 3e7 draws of a 7-input scenario)\n"
    "  --rel-error E      adaptive: draw in growing rounds until the 95% confidence half-width\n"
    "                     of every mean and quantile is below E times the estimate and no mean\n"
    "                     is marked unreliable (a heavy tail stops the run, not converged, 3\n"
    "                     rounds after the errors are met); refused for a mean of 0\n"
    "  --abs-error A      adaptive: ... below A (in each output's canonical unit)\n"
    "  --max-draws N      adaptive: stop at N draws at the most (default 1e10)\n"
    "  --quiet            no progress on stderr\n"
    "  --backend B        auto (CUDA when a usable device exists, else CPU; default), cpu, cuda\n"
    "  --device N         CUDA device index (default 0; see thirst devices)\n"
    "flags (sensitivity; also --seed, --threads, --json, --quiet):\n"
    "  --method M,...     any of sobol, tornado, src (default: all three)\n"
    "  --base-draws N     Sobol base draws (k + 2 model runs each) and regression draws\n"
    "                     (default 1048576 = 2^20)\n"
    "  --tornado-range L,H  tornado percentiles (default 5,95)\n"
    "  --backend B        auto, cpu or cuda (Sobol on the GPU; tornado and SRC on the CPU)\n"
    "flags (draws):\n"
    "  --count K          how many draws, 1..1000000 (default 10); also --seed, --backend,\n"
    "                     --device, --first I (first draw index, default 0)\n"
    "flags (point):\n"
    "  --json FILE        also write the point evaluation as JSON\n"
    "any command with a scenario:\n"
    "  --set NAME=VALUE   fix parameter NAME at VALUE, a bare number in the file's unit (no unit\n"
    "                     after it), or pick the option named VALUE of a choice over several\n"
    "                     parameters (--set site=Arizona)\n"
    "  --set NAME.FIELD=VALUE  change one field of a prior (--set pue.high=1.4, --set\n"
    "                     hours.unit=d); repeatable\n"
    "other:\n"
    "  --help, -h         this text\n"
    "  --version          print the version\n"
    "\n"
    "Exit codes: 0 success, 1 runtime failure, 2 bad flag or scenario, 128 + N when signal N\n"
    "(SIGINT, SIGTERM, SIGHUP) ends the run; unfinished output files are removed.\n"
    "Scenario format: priors/README.md.\n";

/* Parsed command line. */
typedef struct {
    const char *command;
    const char *scenario_path;
    const char *json_path;
    const char *csv_path;
    uint64_t draws;
    int has_draws;
    uint64_t seed;
    int has_seed;
    int threads;
    int quiet;
    const char *backend;    /* "auto", "cpu" or "cuda" */
    int device;
    uint64_t count;         /* draws: how many */
    uint64_t first;         /* draws: first draw index */
    const char *dump_path;
    const char *html_path;
    double rel_error, abs_error;
    uint64_t max_draws;
    int has_max_draws;
    int methods;            /* sensitivity: bit set of enum sensitivity_method */
    uint64_t base_draws;
    double tornado_low, tornado_high;
    const char *overrides[32];   /* --set, in order */
    int override_count;
} cli_args;

/* Print a one-line usage error and return the exit code for it. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    char message[THIRST_ERR_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    status_one_line(message, sizeof message);
    fprintf(stderr, "thirst: %s (see thirst --help)\n", message);
    return THIRST_ERR_INPUT;
}

/* Parse a draw count: a whole number written as digits or as 1e9, 2.5e6; 1 <= N <= 1e15. */
static int parse_count(const char *text, uint64_t *out)
{
    return number_read_whole(text, 1, SCENARIO_MAX_DRAWS, out);
}

/* Parse a seed or draw index: a whole number, 0 <= S < 2^64, read exactly. */
static int parse_seed(const char *text, uint64_t *out)
{
    return number_read_whole(text, 0, UINT64_MAX, out);
}

static const char *const FLAGS[] = {"--draws",     "--seed",      "--threads",   "--json",
                                    "--csv",       "--quiet",     "--help",      "--version",
                                    "--backend",   "--device",    "--count",     "--first",
                                    "--dump",      "--rel-error", "--abs-error", "--max-draws",
                                    "--method",    "--base-draws", "--tornado-range", "--set",
                                    "--html"};
#define FLAG_COUNT ((int)(sizeof FLAGS / sizeof FLAGS[0]))

/* Parse argv into a; returns THIRST_OK, or an exit code after printing the error. */
static int parse_args(int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->threads = omp_get_num_procs();
    a->backend = "auto";
    a->count = 10;
    if (argc < 2) return usage_error("missing command%s%s", "", "");
    a->command = argv[1];
    static const char *const commands[] = {"run", "point", "validate", "draws", "devices",
                                           "sensitivity"};
    int command_known = 0;
    for (int k = 0; k < 6; k++) command_known |= strcmp(a->command, commands[k]) == 0;
    a->methods = SENSITIVITY_SOBOL | SENSITIVITY_TORNADO | SENSITIVITY_SRC;
    a->base_draws = 1048576;
    a->tornado_low = 0.05;
    a->tornado_high = 0.95;
    if (!command_known) {
        const char *suggestion = units_suggest(a->command, commands, 6);
        if (suggestion) return usage_error("unknown command '%s'; did you mean '%s'?", a->command,
                                           suggestion);
        return usage_error("unknown command '%s'%s (expected run, point, validate, sensitivity, "
                           "draws or devices)", a->command, "");
    }
    int is_run = strcmp(a->command, "run") == 0, is_point = strcmp(a->command, "point") == 0;
    int is_draws = strcmp(a->command, "draws") == 0;
    int is_sensitivity = strcmp(a->command, "sensitivity") == 0;
    for (int k = 2; k < argc; k++) {
        char *arg = argv[k];
        if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0) {
            if (a->scenario_path)
                return usage_error("unexpected argument '%s' (one scenario per call, already "
                                   "have '%s')", arg, a->scenario_path);
            a->scenario_path = arg;
            continue;
        }
        char flag[32];
        const char *value = NULL;
        char *equals = strchr(arg, '=');
        size_t name_length = equals ? (size_t)(equals - arg) : strlen(arg);
        if (name_length >= sizeof flag) name_length = sizeof flag - 1;
        memcpy(flag, arg, name_length);
        flag[name_length] = '\0';
        if (equals) value = equals + 1;
        int takes_value = strcmp(flag, "--draws") == 0 || strcmp(flag, "--seed") == 0 ||
                          strcmp(flag, "--threads") == 0 || strcmp(flag, "--json") == 0 ||
                          strcmp(flag, "--csv") == 0 || strcmp(flag, "--backend") == 0 ||
                          strcmp(flag, "--device") == 0 || strcmp(flag, "--count") == 0 ||
                          strcmp(flag, "--first") == 0 || strcmp(flag, "--dump") == 0 ||
                          strcmp(flag, "--rel-error") == 0 || strcmp(flag, "--abs-error") == 0 ||
                          strcmp(flag, "--max-draws") == 0 || strcmp(flag, "--method") == 0 ||
                          strcmp(flag, "--base-draws") == 0 || strcmp(flag, "--tornado-range") == 0 ||
                          strcmp(flag, "--set") == 0 || strcmp(flag, "--html") == 0;
        int known = takes_value || strcmp(flag, "--quiet") == 0;
        if (!known) {
            const char *suggestion = units_suggest(flag, FLAGS, FLAG_COUNT);
            if (suggestion) return usage_error("unknown flag '%s'; did you mean '%s'?", flag,
                                               suggestion);
            return usage_error("unknown flag '%s'%s", flag, "");
        }
        if (takes_value && !value) {
            if (k + 1 >= argc) return usage_error("%s: expected a value%s", flag, "");
            value = argv[++k];
        }
        if (!takes_value && value) return usage_error("%s: takes no value, got '%s'", flag, value);
        int draws_flag = strcmp(flag, "--count") == 0 || strcmp(flag, "--first") == 0;
        int shared_flag = strcmp(flag, "--seed") == 0 || strcmp(flag, "--backend") == 0 ||
                          strcmp(flag, "--device") == 0;
        int sensitivity_flag = strcmp(flag, "--method") == 0 ||
                               strcmp(flag, "--base-draws") == 0 ||
                               strcmp(flag, "--tornado-range") == 0;
        int run_only = strcmp(flag, "--draws") == 0 || strcmp(flag, "--csv") == 0 ||
                       strcmp(flag, "--html") == 0 ||
                       strcmp(flag, "--dump") == 0 || strcmp(flag, "--rel-error") == 0 ||
                       strcmp(flag, "--abs-error") == 0 || strcmp(flag, "--max-draws") == 0;
        int allowed = strcmp(flag, "--set") == 0 ||
                      (is_run && !draws_flag && !sensitivity_flag) ||
                      (is_point && strcmp(flag, "--json") == 0) ||
                      (is_draws && (draws_flag || shared_flag)) ||
                      (is_sensitivity && !draws_flag && !run_only);
        if (!allowed) return usage_error("%s: not a flag of '%s'", flag, a->command);
        if (strcmp(flag, "--draws") == 0) {
            if (parse_count(value, &a->draws))
                return usage_error("--draws: expected a whole number from 1 to 1e15 (e.g. "
                                   "1000000 or 1e9), got '%s'%s", value, "");
            a->has_draws = 1;
        } else if (strcmp(flag, "--seed") == 0) {
            if (parse_seed(value, &a->seed))
                return usage_error("--seed: expected a whole number from 0 to 2^64 - 1, got "
                                   "'%s'%s", value, "");
            a->has_seed = 1;
        } else if (strcmp(flag, "--threads") == 0) {
            uint64_t v;
            if (number_read_whole(value, 1, 1024, &v))
                return usage_error("--threads: expected a whole number from 1 to 1024, got "
                                   "'%s'", value);
            a->threads = (int)v;
        } else if (strcmp(flag, "--backend") == 0) {
            if (strcmp(value, "auto") != 0 && strcmp(value, "cpu") != 0 &&
                strcmp(value, "cuda") != 0)
                return usage_error("--backend: expected auto, cpu or cuda, got '%s'%s", value, "");
            a->backend = value;
        } else if (strcmp(flag, "--device") == 0) {
            uint64_t v;
            if (number_read_whole(value, 0, 1023, &v))
                return usage_error("--device: expected a device index from 0 to 1023, got "
                                   "'%s'", value);
            a->device = (int)v;
        } else if (strcmp(flag, "--count") == 0) {
            if (parse_count(value, &a->count) || a->count > 1000000)
                return usage_error("--count: expected a whole number from 1 to 1000000, got "
                                   "'%s'%s", value, "");
        } else if (strcmp(flag, "--first") == 0) {
            if (parse_seed(value, &a->first))
                return usage_error("--first: expected a draw index from 0 to 2^64 - 1, got "
                                   "'%s'%s", value, "");
        } else if (strcmp(flag, "--rel-error") == 0 || strcmp(flag, "--abs-error") == 0) {
            double v = 0;
            int relative = strcmp(flag, "--rel-error") == 0;
            if (number_read(value, &v) || !(v > 0) || (relative && v >= 1))
                return usage_error(relative ? "%s: expected a number in (0, 1), e.g. 1e-3, got '%s'"
                                            : "%s: expected a positive number, got '%s'",
                                   flag, value);
            if (relative) a->rel_error = v; else a->abs_error = v;
        } else if (strcmp(flag, "--set") == 0) {
            if (a->override_count == 32) return usage_error("--set: at most 32 overrides%s%s", "", "");
            a->overrides[a->override_count++] = value;
        } else if (strcmp(flag, "--method") == 0) {
            a->methods = 0;
            char list[128];
            snprintf(list, sizeof list, "%s", value);
            for (char *item = strtok(list, ","); item; item = strtok(NULL, ",")) {
                if (strcmp(item, "sobol") == 0) a->methods |= SENSITIVITY_SOBOL;
                else if (strcmp(item, "tornado") == 0) a->methods |= SENSITIVITY_TORNADO;
                else if (strcmp(item, "src") == 0) a->methods |= SENSITIVITY_SRC;
                else return usage_error("--method: expected sobol, tornado or src (comma-separated), "
                                        "got '%s'%s", item, "");
            }
            if (!a->methods)
                return usage_error("--method: expected sobol, tornado or src, got '%s'%s", value, "");
        } else if (strcmp(flag, "--base-draws") == 0) {
            if (parse_count(value, &a->base_draws) || a->base_draws < 2)
                return usage_error("--base-draws: expected a whole number from 2 to 1e15, got "
                                   "'%s'%s", value, "");
        } else if (strcmp(flag, "--tornado-range") == 0) {
            const char *comma = strchr(value, ',');
            double low = NAN, high = NAN;
            if (comma && (number_parse(value, (size_t)(comma - value), &low) ||
                          number_read(comma + 1, &high)))
                low = high = NAN;
            if (!(low > 0 && low < high && high < 100))
                return usage_error("--tornado-range: expected two percentiles LOW,HIGH with "
                                   "0 < LOW < HIGH < 100, got '%s'%s", value, "");
            a->tornado_low = low / 100;
            a->tornado_high = high / 100;
        } else if (strcmp(flag, "--max-draws") == 0) {
            if (parse_count(value, &a->max_draws))
                return usage_error("--max-draws: expected a whole number from 1 to 1e15, got "
                                   "'%s'%s", value, "");
            a->has_max_draws = 1;
        } else if (strcmp(flag, "--json") == 0 || strcmp(flag, "--csv") == 0 ||
                   strcmp(flag, "--dump") == 0 || strcmp(flag, "--html") == 0) {
            if (!*value) return usage_error("%s: expected a file name%s", flag, "");
            if (strcmp(flag, "--json") == 0) a->json_path = value;
            else if (strcmp(flag, "--csv") == 0) a->csv_path = value;
            else if (strcmp(flag, "--html") == 0) a->html_path = value;
            else a->dump_path = value;
        } else {
            a->quiet = 1;
        }
    }
    if (strcmp(a->command, "devices") == 0) {
        if (a->scenario_path)
            return usage_error("devices: takes no scenario, got '%s'%s", a->scenario_path, "");
        return THIRST_OK;
    }
    if (!a->scenario_path) return usage_error("%s: missing SCENARIO file%s", a->command, "");
    /* Two outputs into one file, or an output over the scenario, would lose one of them
     * (compared as files, so out.json and ./out.json or a link to it are the same). */
    const char *output_flags[] = {"--json", "--csv", "--html", "--dump"};
    const char *output_paths[] = {a->json_path, a->csv_path, a->html_path, a->dump_path};
    for (int k = 0; k < 4; k++) {
        if (!output_paths[k]) continue;
        if (output_file_same(output_paths[k], a->scenario_path))
            return usage_error("%s: '%s' is the scenario file; give another file name",
                               output_flags[k], output_paths[k]);
        for (int j = 0; j < k; j++)
            if (output_paths[j] && output_file_same(output_paths[j], output_paths[k]))
                return usage_error("%s: same file as %s ('%s')", output_flags[k], output_flags[j],
                                   output_paths[k]);
    }
    if (is_draws && a->count - 1 > UINT64_MAX - a->first)
        return usage_error("--first: draws %llu to %llu would pass the last draw index 2^64 - 1",
                           (unsigned long long)a->first,
                           (unsigned long long)a->first + (unsigned long long)(a->count - 1));
    int adaptive = a->rel_error > 0 || a->abs_error > 0;
    if (adaptive && a->has_draws)
        return usage_error("--draws: not with --rel-error/--abs-error (use --max-draws)%s%s", "",
                           "");
    if (a->has_max_draws && !adaptive)
        return usage_error("--max-draws: only with --rel-error or --abs-error%s%s", "", "");
    if (adaptive && a->dump_path)
        return usage_error("--dump: not with an adaptive run (give --draws)%s%s", "", "");
    if (!a->has_max_draws) a->max_draws = 10000000000ull;
    return THIRST_OK;
}

/* Seconds on a monotonic clock. */
static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Progress state for long runs (stderr is a terminal). */
typedef struct {
    double start;
} progress_state;

/* Print draws done, draws/s, ETA and the worst relative error so far on one stderr line. */
static void progress_print(void *context, uint64_t done, uint64_t total,
                           double worst_relative_error)
{
    progress_state *p = context;
    double elapsed = now_seconds() - p->start;
    if (!isnan(worst_relative_error)) {
        fprintf(stderr, "\r%12llu draws  worst relative error %.3g  %.1f s elapsed          \n",
                (unsigned long long)done, worst_relative_error, elapsed);
        fflush(stderr);
        return;
    }
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    fprintf(stderr, "\r%12llu / %llu draws  %.3g draws/s  ETA %.0f s   ",
            (unsigned long long)done, (unsigned long long)total, rate, eta);
    fflush(stderr);
}

/* thirst validate: load the scenario and summarise it. */
static int command_validate(const cli_args *a, const scenario *s)
{
    int sampled = 0;
    for (int k = 0; k < s->param_count; k++) sampled += s->params[k].sampled;
    printf("%s: valid scenario '%s' (%s; %d parameters, %d uncertain; outputs: ",
           a->scenario_path, s->id, scenario_workload_name(s), s->param_count, sampled);
    for (int o = 0; o < s->output_count; o++)
        printf("%s%s", o ? ", " : "", scenario_output_name(s, s->outputs[o]));
    printf(")\n");
    return 0;
}

/* thirst point: evaluate at point values. */
static int command_point(const cli_args *a, const scenario *s)
{
    float inputs[MODEL_SLOT_COUNT], outputs[MODEL_OUTPUT_COUNT];
    scenario_point_inputs(s, inputs);
    model_eval(&s->model, inputs, outputs);
    char err[THIRST_ERR_LEN];
    if (a->json_path) {
        int status = report_write_point_json(a->json_path, s, a->scenario_path, inputs, outputs,
                                             err, sizeof err);
        if (status) {
            fprintf(stderr, "thirst: %s\n", err);
            return status;
        }
    }
    report_point_table(stdout, s, a->scenario_path, inputs, outputs);
    return 0;
}

/* Resolve --backend into *use_cuda; says on stderr which backend auto picked. */
static int choose_backend(const cli_args *a, int *use_cuda, char *device_name, size_t size)
{
    *use_cuda = 0;
    device_name[0] = '\0';
    if (strcmp(a->backend, "cpu") == 0) return THIRST_OK;
    cuda_device_info devices[64];
    int count = 0;
    char err[THIRST_ERR_LEN];
    int status = backend_cuda_devices(devices, 64, &count, err, sizeof err);
    if (!status && a->device >= count) {
        if (strcmp(a->backend, "cuda") == 0 || a->device != 0) {
            fprintf(stderr, "thirst: --device %d: this machine has CUDA devices 0..%d\n",
                    a->device, count - 1);
            return THIRST_ERR_INPUT;
        }
    }
    if (strcmp(a->backend, "cuda") == 0) {
        if (status) {
            fprintf(stderr, "thirst: --backend cuda: %s\n", err);
            return THIRST_ERR_RUNTIME;
        }
    } else if (status) {
        if (!a->quiet) fprintf(stderr, "thirst: running on the CPU: %s\n", err);
        return THIRST_OK;
    } else if (!a->quiet) {
        fprintf(stderr, "thirst: running on CUDA device %d (%s)\n", a->device,
                devices[a->device].name);
    }
    *use_cuda = 1;
    snprintf(device_name, size, "%s", devices[a->device].name);
    return THIRST_OK;
}

/* thirst run: run on the chosen backend (exact quantiles, adaptive rounds), report. */
static int command_run(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN], device_name[256];
    int use_cuda = 0, status = THIRST_OK;
    runner_options options;
    memset(&options, 0, sizeof options);
    options.draws = a->has_draws ? a->draws : s->draws;
    options.seed = a->has_seed ? a->seed : s->seed;
    options.engine.threads = a->threads;
    options.engine.device = a->device;
    options.rel_error = a->rel_error;
    options.abs_error = a->abs_error;
    options.max_draws = a->max_draws;
    double start = now_seconds();
    progress_state progress = {start};
    if (!a->quiet && isatty(STDERR_FILENO)) {
        options.engine.progress = progress_print;
        options.engine.progress_context = &progress;
    }
    if (a->dump_path) {
        /* Refuse an oversized dump before any work is done. */
        engine_plan probe;
        status = engine_plan_make(s, 1, options.seed, ENGINE_MANTISSA_BITS, &probe, err, sizeof err);
        if (!status && dump_bytes(s, &probe, options.draws) > DUMP_MAX_BYTES)
            status = dump_write_npy(a->dump_path, s, &probe, options.draws, err, sizeof err);
        if (status) {
            fprintf(stderr, "thirst: %s\n", err);
            return status;
        }
    }
    if ((status = choose_backend(a, &use_cuda, device_name, sizeof device_name))) return status;
    runner_result result;
    options.backend = use_cuda ? RUNNER_CUDA : RUNNER_CPU;
    status = runner_run(s, &options, &result, err, sizeof err);
    if (status == THIRST_ERR_RUNTIME && use_cuda && strcmp(a->backend, "auto") == 0) {
        fprintf(stderr, "thirst: CUDA run failed (%s); running on the CPU\n", err);
        runner_free(&result);
        use_cuda = 0;
        options.backend = RUNNER_CPU;
        start = now_seconds();
        progress.start = start;
        status = runner_run(s, &options, &result, err, sizeof err);
    }
    double wall = now_seconds() - start;
    report_run run = {s, &result,
                      {a->scenario_path, use_cuda ? "cuda" : "cpu", use_cuda ? device_name : NULL,
                       use_cuda ? 0 : a->threads, wall, a->rel_error, a->abs_error,
                       a->max_draws}};
    if (!status && a->dump_path)
        status = dump_write_npy(a->dump_path, s, &result.plan, result.plan.draws, err, sizeof err);
    if (!status && a->json_path) status = report_write_json(a->json_path, &run, err, sizeof err);
    if (!status && a->csv_path) status = report_write_csv(a->csv_path, &run, err, sizeof err);
    if (!status && a->html_path) status = report_write_html(a->html_path, &run, err, sizeof err);
    if (!status) report_table(stdout, &run);
    else fprintf(stderr, "thirst: %s\n", err);
    runner_free(&result);
    return status;
}

/* thirst sensitivity: Sobol, tornado and regression on the CPU. */
static int command_sensitivity(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN], device_name[256];
    int use_cuda = 0;
    int status = choose_backend(a, &use_cuda, device_name, sizeof device_name);
    if (status) return status;
    sensitivity_options options;
    memset(&options, 0, sizeof options);
    options.methods = a->methods;
    options.base_draws = a->base_draws;
    options.seed = a->has_seed ? a->seed : s->seed;
    options.tornado_low = a->tornado_low;
    options.tornado_high = a->tornado_high;
    options.engine.threads = a->threads;
    options.engine.device = a->device;
    options.use_cuda = use_cuda;
    sensitivity_result *result = malloc(sizeof *result);
    if (!result) {
        fprintf(stderr, "thirst: out of memory\n");
        return THIRST_ERR_RUNTIME;
    }
    double start = now_seconds();
    status = sensitivity_run(s, &options, result, err, sizeof err);
    if (status == THIRST_ERR_RUNTIME && use_cuda && strcmp(a->backend, "auto") == 0) {
        fprintf(stderr, "thirst: CUDA run failed (%s); running on the CPU\n", err);
        options.use_cuda = 0;
        start = now_seconds();
        status = sensitivity_run(s, &options, result, err, sizeof err);
    }
    double wall = now_seconds() - start;
    if (!status && a->json_path)
        status = report_sensitivity_json(a->json_path, s, a->scenario_path, &options, result, wall,
                                         a->threads, err, sizeof err);
    if (!status) report_sensitivity_table(stdout, s, &options, result, wall);
    else fprintf(stderr, "thirst: %s\n", err);
    free(result);
    return status;
}

/* thirst devices: list CUDA devices. */
static int command_devices(void)
{
    cuda_device_info devices[64];
    int count = 0;
    char err[THIRST_ERR_LEN];
    if (backend_cuda_devices(devices, 64, &count, err, sizeof err)) {
        fprintf(stderr, "thirst: %s\n", err);
        return THIRST_ERR_RUNTIME;
    }
    printf("%-6s %-40s %10s %8s %6s\n", "device", "name", "memory", "compute", "SMs");
    for (int d = 0; d < count; d++)
        printf("%-6d %-40s %7.1f GiB %6d.%d %6d\n", devices[d].index, devices[d].name,
               (double)devices[d].memory_bytes / (1024.0 * 1024 * 1024), devices[d].major,
               devices[d].minor, devices[d].multiprocessors);
    return 0;
}

/* thirst draws: the first draws' words, inputs and outputs as CSV on stdout. */
static int command_draws(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN], device_name[256];
    int use_cuda = 0;
    int status = choose_backend(a, &use_cuda, device_name, sizeof device_name);
    if (status) return status;
    uint64_t seed = a->has_seed ? a->seed : s->seed;
    engine_plan plan;
    if ((status = engine_plan_make(s, a->count, seed, ENGINE_MANTISSA_BITS, &plan, err,
                                   sizeof err))) {
        fprintf(stderr, "thirst: %s\n", err);
        return status;
    }
    size_t n = (size_t)a->count;
    size_t word_columns = plan.word_count ? (size_t)plan.word_count : 1;
    uint32_t *words = calloc(n * word_columns, sizeof *words);
    float *inputs = calloc(n * MODEL_SLOT_COUNT, sizeof *inputs);
    float *outputs = calloc(n * (size_t)plan.output_count, sizeof *outputs);
    if (!words || !inputs || !outputs) {
        status = status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "out of memory");
    } else if (use_cuda) {
        status = backend_cuda_first_draws(&plan, a->device, a->first, (int)n, words, inputs,
                                          outputs, err, sizeof err);
    } else {
        for (size_t k = 0; k < n; k++) {
            uint32_t all_words[DRAW_MAX_WORDS];
            draw_words(seed, a->first + k, plan.word_count, all_words);
            for (int j = 0; j < plan.word_count; j++) words[k * word_columns + (size_t)j] = all_words[j];
            engine_eval_draw(&plan, a->first + k, inputs + k * MODEL_SLOT_COUNT,
                             outputs + k * (size_t)plan.output_count);
        }
    }
    if (!status) {
        printf("draw");
        for (int j = 0; j < plan.word_count; j++) printf(",word%d", j);
        for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++)
            if (scenario_slot_used(s, slot)) printf(",%s", units_param_of_slot(slot)->name);
        for (int o = 0; o < plan.output_count; o++)
            printf(",%s", scenario_output_name(s, plan.outputs[o]));
        printf("\n");
        for (size_t k = 0; k < n; k++) {
            printf("%llu", (unsigned long long)(a->first + k));
            for (int j = 0; j < plan.word_count; j++)
                printf(",%08x", words[k * word_columns + (size_t)j]);
            for (int slot = 0; slot < MODEL_SLOT_COUNT; slot++)
                if (scenario_slot_used(s, slot))
                    printf(",%.9g", (double)inputs[k * MODEL_SLOT_COUNT + (size_t)slot]);
            for (int o = 0; o < plan.output_count; o++)
                printf(",%.9g", (double)outputs[k * (size_t)plan.output_count + (size_t)o]);
            printf("\n");
        }
    } else {
        fprintf(stderr, "thirst: %s\n", err);
    }
    free(words);
    free(inputs);
    free(outputs);
    return status;
}

static pthread_t main_thread;   /* the thread that writes outputs (output_file.h) */

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files of outputs being written, say so, and
 * die of the same signal, so that the exit status (128 + signal in a shell) says the run was
 * interrupted. Only async-signal-safe calls. A signal delivered to an OpenMP worker is passed
 * to the main thread, so that the cleanup runs where files are created and no file can be
 * created between the cleanup and the end. */
static void on_interrupt(int signal_number)
{
    if (!pthread_equal(pthread_self(), main_thread)) {
        pthread_kill(main_thread, signal_number);
        return;
    }
    output_file_remove_temporaries();
    static const char message[] = "\nthirst: interrupted; unfinished output files removed\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

/* Handle the interrupting signals, except those the caller ignores (nohup ignores SIGHUP;
 * a shell starts background jobs with SIGINT ignored). */
static void install_interrupt_handlers(void)
{
    main_thread = pthread_self();
    const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    for (int k = 0; k < 3; k++) {
        struct sigaction current;
        if (sigaction(signals[k], NULL, &current) == 0 && current.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        sigaction(signals[k], &action, NULL);
    }
}

int main(int argc, char **argv)
{
    install_interrupt_handlers();
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        }
        if (strcmp(argv[k], "--version") == 0) {
            printf("thirst %s\n", THIRST_VERSION);
            return 0;
        }
    }
    cli_args args;
    int status = parse_args(argc, argv, &args);
    if (status) return status;
    if (strcmp(args.command, "devices") == 0) return command_devices();
    /* More threads than cores only adds merging work (results do not depend on it). */
    int cores = omp_get_num_procs();
    if (args.threads > cores) {
        if (!args.quiet)
            fprintf(stderr, "thirst: --threads %d: this machine has %d cores; using %d (results "
                    "do not depend on the thread count)\n", args.threads, cores, cores);
        args.threads = cores;
    }
    scenario s;
    char err[THIRST_ERR_LEN];
    status = scenario_load_overrides(args.scenario_path, args.overrides, args.override_count, &s,
                                     err, sizeof err);
    if (status) {
        fprintf(stderr, "thirst: %s\n", err);
        scenario_free(&s);
        return status;
    }
    for (int k = 0; k < s.warning_count; k++) fprintf(stderr, "thirst: warning: %s\n", s.warnings[k]);
    if (strcmp(args.command, "validate") == 0) status = command_validate(&args, &s);
    else if (strcmp(args.command, "point") == 0) status = command_point(&args, &s);
    else if (strcmp(args.command, "draws") == 0) status = command_draws(&args, &s);
    else if (strcmp(args.command, "sensitivity") == 0) status = command_sensitivity(&args, &s);
    else status = command_run(&args, &s);
    scenario_free(&s);
    return status;
}
