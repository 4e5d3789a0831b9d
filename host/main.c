/* main.c: the thirst command line. The only file that prints to the user and exits: it parses
 * flags, calls the library (scenario, engine, stats, report) and maps its status codes to exit
 * codes: 0 ok, 1 runtime failure, 2 usage or scenario error. */
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "backend.h"
#include "backend_cuda.h"
#include "backend_devices.h"
#include "checkpoint.h"
#include "cli.h"
#include "correlation_achieved.h"
#include "dump.h"
#include "engine.h"
#include "interrupt.h"
#include "report_sensitivity.h"
#include "runner.h"
#include "sensitivity.h"
#include "../kernels/draw.h"
#include "number.h"
#include "output_file.h"
#include "ranks.h"
#include "replay.h"
#include "report.h"
#include "report_by.h"
#include "report_draws.h"
#include "scenario.h"
#include "scenario_correlations.h"
#include "scenario_formulas.h"
#include "stats.h"
#include "status.h"
#include "units.h"

/* Seconds on a monotonic clock. */
static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Progress state for long runs (stderr is a terminal). */
typedef struct { double start; } progress_state;

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
    scenario_describe(stdout, s, a->scenario_path);
    char err[THIRST_ERR_LEN];
    int status = correlation_report(stdout, s, err, sizeof err);
    if (status) fprintf(stderr, "thirst: %s\n", err);
    return status;
}

/* thirst point: evaluate at point values. */
static int command_point(const cli_args *a, const scenario *s)
{
    float inputs[DRAW_INPUT_SLOTS], outputs[DRAW_OUTPUTS];
    scenario_point_inputs(s, inputs);
    scenario_point_eval(s, inputs, outputs);
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

/* Resolve --backend and --device (backend_choose) for scenario s; says on stderr which backend
 * auto picked and why, unless --quiet. */
static int choose_backend(const cli_args *a, const scenario *s, const backend_options *options,
                          backend_choice *choice)
{
    char err[THIRST_ERR_LEN];
    backend_options settings = *options;
    if (s->output_count > MODEL_OUTPUT_COUNT)
        settings.cpu_only = "more reported outputs than the GPU kernels take";
    int status = backend_choose(a->backend, &settings, choice, err, sizeof err);
    status = ranks_agree(status, err, sizeof err);   /* MPI: a rank's failure is every rank's */
    if (!status && !ranks_same(choice->chosen->mantissa_bits))
        status = status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "--backend %s: the ranks chose "
                             "different backends (CUDA on some nodes, the CPU on others); give "
                             "--backend cpu or cuda", a->backend);
    if (status) fprintf(stderr, "thirst: %s\n", err);
    else if (choice->note[0] && !a->quiet) fprintf(stderr, "thirst: %s\n", choice->note);
    return status;
}

/* With --devices: *out is the chosen backend (CUDA) split across the listed devices (or all
 * the machine has), each checked; one device is set in engine instead. Every rank agrees;
 * prints why and returns the status when CUDA was not chosen or a device is missing. */
static int with_devices(const cli_args *a, const backend_choice *choice, backend_options *engine,
                        const backend **out)
{
    char err[THIRST_ERR_LEN] = "";
    int status = THIRST_OK, list[BACKEND_MAX_DEVICES], count = a->device_count;
    *out = choice->chosen;
    memcpy(list, a->devices, sizeof list);
    if ((a->device_count || a->devices_all) && choice->chosen != backend_cuda()) {
        const char *why = strstr(choice->note, ": ") ? strstr(choice->note, ": ") + 2 : choice->note;
        status = status_fail(err, sizeof err, THIRST_ERR_RUNTIME,
                             "--devices: no usable CUDA device (%s)", why);
    } else if (a->devices_all) {
        cuda_device_info found[BACKEND_MAX_DEVICES];
        status = backend_cuda_devices(found, BACKEND_MAX_DEVICES, &count, err, sizeof err);
        for (int k = 0; !status && k < count; k++) list[k] = found[k].index;
    }
    if (!status && count == 1) engine->device = list[0];
    if (!status && count > 1) {
        char name[256];
        *out = backend_devices(choice->chosen, list, count);
        status = (*out)->check(engine, name, sizeof name, err, sizeof err);
    }
    status = ranks_agree(status, err, sizeof err);
    if (status) fprintf(stderr, "thirst: %s\n", err);
    return status;
}

/* After a failure with status: whether to run again on the CPU (backend_retry_on_cpu), saying
 * so on stderr. */
static int retry_on_cpu(backend_choice *choice, int status, const char *err)
{
    if (!backend_retry_on_cpu(choice, status, err)) return 0;
    fprintf(stderr, "thirst: %s\n", choice->note);
    return 1;
}

/* thirst run: run on the chosen backend (exact quantiles, adaptive rounds), report. */
/* thirst run --by NAME: the choice's options into by, checked before any work (a --set on the
 * same parameter is refused). */
static int by_options(const cli_args *a, const scenario *s, report_by_options *by)
{
    char err[THIRST_ERR_LEN];
    int status = report_by_options_of(s, a->by, by, err, sizeof err);
    for (int k = 0; !status && k < a->override_count; k++) {
        const size_t n = strlen(a->by);
        const int same = !strncmp(a->overrides[k], a->by, n) && strchr("=.", a->overrides[k][n]);
        if (same)
            status = status_fail(err, sizeof err, THIRST_ERR_INPUT, "--by %s: not with --set "
                                 "on %s ('%s')", a->by, a->by, a->overrides[k]);
    }
    if (status) fprintf(stderr, "thirst: %s\n", err);
    return status;
}

/* A command's checkpoint options (checkpoint.h): write to path (NULL: none) every `every`
 * seconds, resume from resume (NULL: none) the run expected describes, what it holds into
 * resumed (freed by the caller); under MPI rank 0 writes and every rank stops when one is
 * asked. Prints the error and returns its status when the checkpoint is refused. */
static int checkpoint_options_of(const char *path, const char *resume, double every,
                                 const checkpoint_header *expected, checkpoint_options *c,
                                 checkpoint_resumed *resumed)
{
    char err[THIRST_ERR_LEN];
    memset(resumed, 0, sizeof *resumed);
    *c = (checkpoint_options){.path = path, .every = every, .agree = ranks_agree,
                              .elsewhere = ranks_rank() != 0};
    if (path) c->stop = interrupt_stop_flag();   /* the pass stops, then dies */
    if (!resume) return THIRST_OK;
    int status = checkpoint_resume(resume, expected, resumed, &c->resume_at, err, sizeof err);
    status = ranks_agree(status, err, sizeof err);   /* every rank reads the same file: */
    if (!status && !ranks_same((int)(c->resume_at.checksum % 2147483647u)))
        status = status_fail(err, sizeof err, THIRST_ERR_INPUT, "--resume %s: the ranks read "
                             "different files (put it where every node reads the same)", resume);
    if (status) fprintf(stderr, "thirst: %s\n", err);
    c->resume = status ? NULL : &resumed->state;
    c->resume_path = resume;
    c->resume_refinement = status ? NULL : resumed->refinement;
    return status;
}

/* The checkpoint of a run of s with options (checkpoint_header_of), to match on --resume. */
static checkpoint_header run_expected(const cli_args *a, const scenario *s,
                                      const runner_options *options)
{
    checkpoint_header expected = checkpoint_header_of(
        s, options->seed, options->draws, a->sampler, a->replicates,
        checkpoint_rule(a->rel_error, a->abs_error, a->max_draws), 0);
    expected.command = CHECKPOINT_RUN;
    return expected;
}

/* The runner's options from the command line (draws, seed, sampler, errors, threads, device,
 * checkpoint), and with --resume what the checkpoint holds in resumed (freed by the caller);
 * prints the error and returns its status when the checkpoint is refused. */
static int run_options(const cli_args *a, const scenario *s, runner_options *options,
                       checkpoint_resumed *resumed)
{
    memset(options, 0, sizeof *options);
    options->draws = a->has_draws ? a->draws : s->draws;
    options->sampler = (engine_sampler){.kind = a->sampler, .replicates = a->replicates};
    if (a->sampler == PLAN_SAMPLER_RQMC && !a->has_draws && !a->rel_error && !a->abs_error) {
        options->draws = engine_rqmc_draws_near(a->replicates, s->draws);
        if (options->draws != s->draws && !a->quiet)
            fprintf(stderr, "thirst: --sampler rqmc: %llu draws (%d replicates x 2^%d points), "
                    "the nearest fit to the scenario's %llu (give --draws to choose)\n",
                    (unsigned long long)options->draws, a->replicates,
                    ilogb((double)(options->draws / (uint64_t)a->replicates)),
                    (unsigned long long)s->draws);
    }
    options->seed = a->has_seed ? a->seed : s->seed;
    options->engine.threads = a->threads;
    options->engine.device = a->device;
    options->rel_error = a->rel_error;
    options->abs_error = a->abs_error;
    options->max_draws = a->max_draws;
    const checkpoint_header expected = run_expected(a, s, options);
    return a->by ? checkpoint_options_of(NULL, NULL, 0, &expected, &options->checkpointing,
                                         resumed)   /* --by: each option's, command_run_by */
                 : checkpoint_options_of(a->checkpoint_path, a->resume_path, a->checkpoint_every,
                                         &expected, &options->checkpointing, resumed);
}

#define BY_PATH 4096   /* FILE.k of a --by checkpoint */

/* With --checkpoint or --resume FILE, option k's (from 1) run of a --by: FILE.k (in path and
 * resume, which run's options point to: they must outlive the run); resumed when FILE.k
 * exists (FILE.1 must), else started. The same on every rank, or refused. */
static int by_checkpoint(const cli_args *a, const scenario *option, int k,
                         const runner_options *base, runner_options *run,
                         checkpoint_resumed *resumed, char path[BY_PATH], char resume[BY_PATH])
{
    path[0] = resume[0] = '\0';
    if (a->checkpoint_path) snprintf(path, BY_PATH, "%s.%d", a->checkpoint_path, k);
    if (a->resume_path) snprintf(resume, BY_PATH, "%s.%d", a->resume_path, k);
    const int found = a->resume_path && (k == 1 || access(resume, F_OK) == 0);
    *run = *base;
    const checkpoint_header expected = run_expected(a, option, base);
    if (!ranks_same(found)) {   /* a rank's file system differs: none may resume alone */
        memset(resumed, 0, sizeof *resumed);
        fprintf(stderr, "thirst: --resume %s: the ranks see different files\n", resume);
        return THIRST_ERR_INPUT;
    }
    return checkpoint_options_of(path[0] ? path : NULL, found ? resume : NULL,
                                 a->checkpoint_every, &expected, &run->checkpointing, resumed);
}

/* thirst run --by NAME: one run per option of the choice (by), with the same seed and draws. */
static int command_run_by(const cli_args *a, const scenario *s, const report_by_options *by,
                          const runner_options *options, const backend_choice *choice)
{
    char err[THIRST_ERR_LEN];
    int status = THIRST_OK;
    scenario *options_of = status ? NULL : calloc((size_t)by->count, sizeof *options_of);
    runner_result *results = status ? NULL : calloc((size_t)by->count, sizeof *results);
    report_run *runs = status ? NULL : calloc((size_t)by->count, sizeof *runs);
    if (!status && (!options_of || !results || !runs))
        status = status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "out of memory");
    int done = 0;
    for (; !status && done < by->count; done++) {
        const char *overrides[CLI_MAX_OVERRIDES + 1];
        memcpy(overrides, a->overrides, sizeof(char *) * (size_t)a->override_count);
        overrides[a->override_count] = by->override[done];
        status = scenario_load_overrides(a->scenario_path, overrides, a->override_count + 1,
                                         &options_of[done], err, sizeof err);
        double start = now_seconds();
        runner_options option_run;
        checkpoint_resumed resumed = {0};
        static char path[BY_PATH], resume[BY_PATH];
        if (!status &&   /* printed its error */
            (status = by_checkpoint(a, &options_of[done], done + 1, options, &option_run,
                                    &resumed, path, resume)))
            err[0] = '\0';
        if (!status) status = runner_run(&options_of[done], &option_run, &results[done], err,
                                         sizeof err);
        checkpoint_resumed_free(&resumed);
        const char *when = "in";   /* a signal after the option's run: "after" it */
        if (!status && ranks_agree(interrupt_received() ? THIRST_ERR_INTERRUPTED : THIRST_OK, err,
                                   sizeof err))
            status = THIRST_ERR_INTERRUPTED, when = "after";
        if (status == THIRST_ERR_INTERRUPTED)
            snprintf(err, sizeof err, "interrupted %s option %d of %d (%s); resume with --resume "
                     "%s", when, done + 1, by->count, by->label[done], a->checkpoint_path);
        report_run run = {&options_of[done], &results[done],
                          {a->scenario_path, choice->chosen->name,
                           choice->device_name[0] ? choice->device_name : NULL,
                           choice->chosen == backend_cpu() ? a->threads : 0,
                           now_seconds() - start, 0, 0, 0}};
        runs[done] = run;
    }
    if (!status && a->json_path)
        status = report_by_json(a->json_path, s, a->by, by, runs, err, sizeof err);
    if (!status) report_by_table(stdout, a->by, by, runs);
    else if (err[0]) fprintf(stderr, "thirst: %s\n", err);
    for (int k = 0; k < done; k++) {
        runner_free(&results[k]);
        scenario_free(&options_of[k]);
    }
    free(options_of);
    free(results);
    free(runs);
    if (status == THIRST_ERR_INTERRUPTED) interrupt_die();   /* the exit status says so */
    return status;
}

static int command_run(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN];
    backend_choice choice;
    runner_options options;
    checkpoint_resumed resumed;
    int status = run_options(a, s, &options, &resumed);
    if (status) return status;
    double start = now_seconds();
    progress_state progress = {start};
    if (!a->quiet && isatty(STDERR_FILENO)) {
        options.engine.progress = progress_print;
        options.engine.progress_context = &progress;
    }
    if (a->dump_path) {
        /* Refuse an oversized dump before any work is done. */
        draw_plan probe;
        status = engine_plan_make(s, 1, options.seed, ENGINE_MANTISSA_BITS, &probe, err, sizeof err);
        if (!status && dump_bytes(s, &probe, options.draws) > DUMP_MAX_BYTES)
            status = dump_write_npy(a->dump_path, s, &probe, options.draws, err, sizeof err);
        if (status) {
            fprintf(stderr, "thirst: %s\n", err);
            return status;
        }
    }
    /* rqmc's sizes, before a backend is chosen (its choice prints a line) */
    if ((status = engine_sampler_check_run(&options.sampler, options.draws,
                                           a->replay_path ? "the replayed result's draws"
                                                          : "--draws",
                                           a->rel_error > 0 || a->abs_error > 0, a->max_draws,
                                           err, sizeof err))) {
        fprintf(stderr, "thirst: %s\n", err);
        return status;
    }
    /* A dumping run runs on the CPU (cli.c refuses --dump with --backend cuda). */
    cli_args pinned = *a;
    if (a->dump_path) pinned.backend = "cpu";
    static report_by_options by;
    if (a->by && (status = by_options(a, s, &by))) return status;
    const backend *split;
    if ((status = choose_backend(&pinned, s, &options.engine, &choice)) ||
        (status = with_devices(a, &choice, &options.engine, &split)))
        return status;
    options.backend = ranks_backend(split);
    if (a->by) return command_run_by(a, s, &by, &options, &choice);
    runner_result result;
    status = runner_run(s, &options, &result, err, sizeof err);
    if (retry_on_cpu(&choice, status, err)) {
        runner_free(&result);
        options.backend = ranks_backend(choice.chosen);
        start = now_seconds();
        progress.start = start;
        status = runner_run(s, &options, &result, err, sizeof err);
    }
    if (!status && ranks_agree(interrupt_received() ? THIRST_ERR_INTERRUPTED : THIRST_OK, err,
                               sizeof err))   /* a signal after the pass: no result */
        status = status_fail(err, sizeof err, THIRST_ERR_INTERRUPTED, "interrupted after the "
                             "pass over the draws; resume with --resume %s", a->checkpoint_path);
    double wall = now_seconds() - start;
    report_run run = {s, &result,
                      {a->scenario_path, choice.chosen->name,
                       choice.device_name[0] ? choice.device_name : NULL,
                       choice.chosen == backend_cpu() ? a->threads : 0, wall, a->rel_error, a->abs_error,
                       a->max_draws}};
    if (!status && a->dump_path)
        status = dump_write_npy(a->dump_path, s, &result.plan, result.plan.draws, err, sizeof err);
    if (!status && a->json_path) status = report_write_json(a->json_path, &run, err, sizeof err);
    if (!status && a->csv_path) status = report_write_csv(a->csv_path, &run, err, sizeof err);
    if (!status && a->html_path) status = report_write_html(a->html_path, &run, err, sizeof err);
    if (!status) report_table(stdout, &run);
    else fprintf(stderr, "thirst: %s\n", err);
    runner_free(&result);
    checkpoint_resumed_free(&resumed);
    if (status == THIRST_ERR_INTERRUPTED) interrupt_die();   /* the exit status says so */
    return status;
}

/* thirst sensitivity: Sobol, tornado and regression on the CPU. */
static int command_sensitivity(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN];
    backend_choice choice;
    sensitivity_options options;
    memset(&options, 0, sizeof options);
    options.methods = a->methods;
    options.base_draws = a->base_draws;
    options.seed = a->has_seed ? a->seed : s->seed;
    options.tornado_low = a->tornado_low;
    options.tornado_high = a->tornado_high;
    options.engine.threads = a->threads;
    options.engine.device = a->device;
    options.sampler = a->sampler;
    options.segment_batches = ranks_count() > SENSITIVITY_CHECKPOINT_BATCHES ? ranks_count() : 0;
    int status = sensitivity_check(&options, err, sizeof err);
    if (status) {
        fprintf(stderr, "thirst: %s\n", err);
        return status;
    }
    checkpoint_resumed resumed;
    checkpoint_header expected = checkpoint_header_of(s, options.seed, options.base_draws,
                                                      options.sampler, SENSITIVITY_BATCHES, 0, 0);
    expected.command = CHECKPOINT_SENSITIVITY;
    if ((status = checkpoint_options_of(a->checkpoint_path, a->resume_path, a->checkpoint_every,
                                        &expected, &options.checkpointing, &resumed)))
        return status;
    const backend *split;
    sensitivity_result *result = NULL;
    if (!(status = choose_backend(a, s, &options.engine, &choice)) &&
        !(status = with_devices(a, &choice, &options.engine, &split))) {
        result = malloc(sizeof *result);   /* MPI: a rank out of memory stops them all */
        status = ranks_agree(result ? THIRST_OK : status_fail(err, sizeof err, THIRST_ERR_RUNTIME,
                                                               "out of memory"), err, sizeof err);
        if (status) fprintf(stderr, "thirst: %s\n", err);
    }
    if (status) {
        free(result);
        checkpoint_resumed_free(&resumed);
        return status;
    }
    options.backend = ranks_backend(split);
    double start = now_seconds();
    status = sensitivity_run(s, &options, result, err, sizeof err);
    if (retry_on_cpu(&choice, status, err)) {
        options.backend = ranks_backend(choice.chosen);
        start = now_seconds();
        status = sensitivity_run(s, &options, result, err, sizeof err);
    }
    if (!status && ranks_agree(interrupt_received() ? THIRST_ERR_INTERRUPTED : THIRST_OK, err,
                               sizeof err))   /* a signal after the last check: no result */
        status = status_fail(err, sizeof err, THIRST_ERR_INTERRUPTED, "interrupted after the "
                             "Sobol design; resume with --resume %s", a->checkpoint_path);
    double wall = now_seconds() - start;
    if (!status && a->json_path)
        status = report_sensitivity_json(a->json_path, s, a->scenario_path, &options, result, wall,
                                         a->threads, err, sizeof err);
    if (!status && a->html_path)
        status = report_sensitivity_html(a->html_path, s, a->scenario_path, &options, result, err,
                                         sizeof err);
    if (!status) report_sensitivity_table(stdout, s, &options, result, wall);
    else fprintf(stderr, "thirst: %s\n", err);
    free(result);
    checkpoint_resumed_free(&resumed);
    if (status == THIRST_ERR_INTERRUPTED) interrupt_die();   /* the exit status says so */
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

/* ",x" for one value of `thirst draws`: 9 significant digits; any NaN as "nan" (x86 and CUDA give
 * NaN different sign bits, which must not make the two backends' CSVs differ). */
/* thirst draws: the first draws' words, inputs and outputs as CSV on stdout. */
static int command_draws(const cli_args *a, const scenario *s)
{
    char err[THIRST_ERR_LEN];
    backend_choice choice;
    backend_options options = {.threads = a->threads, .device = a->device};
    int status = choose_backend(a, s, &options, &choice);
    if (status) return status;
    uint64_t seed = a->has_seed ? a->seed : s->seed;
    draw_plan plan;
    engine_sampler sampler = {.kind = a->sampler, .replicates = a->replicates};
    if ((status = engine_plan_make_sampled(s, a->count, seed, ENGINE_MANTISSA_BITS, &sampler,
                                           &plan, err, sizeof err))) {
        fprintf(stderr, "thirst: %s\n", err);
        return status;
    }
    size_t n = (size_t)a->count;
    size_t word_columns = plan.word_count ? (size_t)plan.word_count : 1;
    uint32_t *words = calloc(n * word_columns, sizeof *words);
    float *inputs = calloc(n * DRAW_INPUT_SLOTS, sizeof *inputs);
    float *outputs = calloc(n * (size_t)plan.output_count, sizeof *outputs);
    if (!words || !inputs || !outputs) {
        status = status_fail(err, sizeof err, THIRST_ERR_RUNTIME, "out of memory");
    } else {
        backend_job job = {.plan = &plan, .data = s->prior_data, .options = &options};
        status = choice.chosen->first_draws(&job, a->first, (int)n, words, inputs, outputs, err,
                                            sizeof err);
    }
    if (!status) report_draws_csv(stdout, s, &plan, a->first, n, words, inputs, outputs);
    else fprintf(stderr, "thirst: %s\n", err);
    free(words);
    free(inputs);
    free(outputs);
    engine_plan_release(&plan);
    return status;
}

/* The command line of argv, on one rank (every rank parses and loads the same). */
static int run_command(int argc, char **argv)
{
    interrupt_install();
    cli_args args;
    char err[THIRST_ERR_LEN];
    int status = cli_parse(argc, argv, omp_get_num_procs(), &args, err, sizeof err);
    if (status) {
        fprintf(stderr, "thirst: %s (see thirst --help)\n", err);
        return status;
    }
    if (ranks_rank() != 0) {   /* rank 0 alone writes: the others' outputs go nowhere */
        const char **outputs[] = {&args.json_path, &args.csv_path, &args.html_path, &args.dump_path};
        for (int k = 0; k < 4; k++)
            if (*outputs[k]) *outputs[k] = "/dev/null";
        args.quiet = 1;
    }
    if (args.help) {
        cli_usage(stdout);
        return 0;
    }
    if (args.version) {
        printf("thirst %s\n", THIRST_VERSION);
        return 0;
    }
    if (args.command == CLI_DEVICES) return command_devices();   /* 0 or THIRST_ERR_RUNTIME */
    /* More threads than cores only adds merging work (results do not depend on it). */
    int cores = omp_get_num_procs();
    if (args.threads > cores) {
        if (!args.quiet)
            fprintf(stderr, "thirst: --threads %d: this machine has %d cores; using %d (results "
                    "do not depend on the thread count)\n", args.threads, cores, cores);
        args.threads = cores;
    }
    scenario s;
    if (args.replay_path)
        status = replay_apply(&args, &s, err, sizeof err);
    else
        status = scenario_load_overrides(args.scenario_path, args.overrides, args.override_count,
                                         &s, err, sizeof err);
    status = ranks_agree(status, err, sizeof err);   /* e.g. a file one node lacks */
    if (status) {
        fprintf(stderr, "thirst: %s\n", err);
        scenario_free(&s);
        return status;
    }
    for (int k = 0; k < s.warning_count; k++) fprintf(stderr, "thirst: warning: %s\n", s.warnings[k]);
    switch (args.command) {
    case CLI_VALIDATE: status = command_validate(&args, &s); break;
    case CLI_POINT: status = command_point(&args, &s); break;
    case CLI_DRAWS: status = command_draws(&args, &s); break;
    case CLI_SENSITIVITY: status = command_sensitivity(&args, &s); break;
    default: status = command_run(&args, &s); break;
    }
    scenario_free(&s);
    return status == THIRST_ERR_DEVICE ? THIRST_ERR_RUNTIME : status;   /* exit 1 */
}

int main(int argc, char **argv)
{
    char err[THIRST_ERR_LEN];
    if (ranks_init(&argc, &argv, err, sizeof err)) {
        fprintf(stderr, "thirst: %s\n", err);
        return THIRST_ERR_RUNTIME;
    }
    if (ranks_rank() != 0 &&   /* rank 0 alone speaks (ranks_agree relays the others' errors) */
        (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)))
        return THIRST_ERR_RUNTIME;
    int status = run_command(argc, argv);
    ranks_finalize();
    return status;
}
