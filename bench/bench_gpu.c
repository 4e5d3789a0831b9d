/* bench_gpu.c: throughput of the CUDA backend's draw pass on one scenario, timed with CUDA
 * events around whole backend runs (upload, launches, merges), after a warm-up, median of
 * several runs; and of the CPU backend on all cores of the same machine (1e8 draws, median of
 * 3), for the ratio. Prints markdown table rows, one per size, labelled with the build variant.
 * usage: bench_gpu SCENARIO [--repeats N] [--sizes 1e8,1e9,1e10] [--block THREADS]
 *                  [--label TEXT] [--header]
 * --block sets the run kernel's threads per block (a multiple of 256; default 256); --header
 * prints the table's header first. bench/gpu_check.sh runs it for every build variant. */
#include <cuda_runtime_api.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "backend_cuda.h"
#include "engine.h"
#include "scenario.h"
#include "status.h"

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of n seconds. */
static double median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof *values, compare_doubles);
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

/* One run of s with draws on the GPU (use_gpu) or CPU; seconds in *seconds. */
static int timed_run(const scenario *s, uint64_t draws, int use_gpu, int block_threads,
                     double *seconds, char *err, size_t errlen)
{
    draw_plan plan;
    run_state totals;
    backend_options options = {.threads = omp_get_num_procs(), .block_threads = block_threads};
    const backend *chosen = use_gpu ? backend_cuda() : backend_cpu();
    backend_job job = {.plan = &plan, .data = s->prior_data, .options = &options};
    int status = engine_plan_make(s, draws, 1, chosen->mantissa_bits, &plan, err, errlen);
    if (!status) status = run_state_alloc(&totals, plan.output_count, plan.hist_total, err, errlen);
    if (status) return status;
    if (use_gpu) {
        cudaEvent_t start, stop;
        float milliseconds = 0;
        if (cudaEventCreate(&start) != cudaSuccess || cudaEventCreate(&stop) != cudaSuccess) {
            run_state_free(&totals);
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "cudaEventCreate failed");
        }
        cudaEventRecord(start, 0);
        status = chosen->run(&job, NULL, &totals, err, errlen);
        cudaEventRecord(stop, 0);
        cudaEventSynchronize(stop);
        cudaEventElapsedTime(&milliseconds, start, stop);
        cudaEventDestroy(start);
        cudaEventDestroy(stop);
        *seconds = milliseconds * 1e-3;
    } else {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        status = chosen->run(&job, NULL, &totals, err, errlen);
        clock_gettime(CLOCK_MONOTONIC, &b);
        *seconds = (double)(b.tv_sec - a.tv_sec) + 1e-9 * (double)(b.tv_nsec - a.tv_nsec);
    }
    run_state_free(&totals);
    return status;
}

/* The command line; 0, or 2 with a message on stderr. */
typedef struct {
    const char *scenario_path, *label;
    int repeats, block_threads, header, size_count;
    double sizes[8];
} bench_options;

static int parse(int argc, char **argv, bench_options *o)
{
    *o = (bench_options){.label = "default", .repeats = 5, .size_count = 3,
                         .sizes = {1e8, 1e9, 1e10}};
    for (int k = 1; k < argc; k++) {
        const char *value = k + 1 < argc ? argv[k + 1] : NULL;
        if (!strcmp(argv[k], "--header")) {
            o->header = 1;
        } else if (!strcmp(argv[k], "--repeats") && value) {
            o->repeats = atoi(value);
            k++;
        } else if (!strcmp(argv[k], "--block") && value) {
            char *end;
            long threads = strtol(value, &end, 10);
            if (*end || threads < 256 || threads > 1024 || threads % 256) {
                fprintf(stderr, "bench_gpu: --block: expected 256, 512, 768 or 1024, not %s\n",
                        value);
                return 2;
            }
            o->block_threads = (int)threads;
            k++;
        } else if (!strcmp(argv[k], "--label") && value) {
            o->label = value;
            k++;
        } else if (!strcmp(argv[k], "--sizes") && value) {
            char *rest = (char *)value, *end;
            for (o->size_count = 0; *rest; rest = *end ? end + 1 : end) {
                if (o->size_count == 8) {
                    fprintf(stderr, "bench_gpu: --sizes: at most 8 sizes\n");
                    return 2;
                }
                o->sizes[o->size_count++] = strtod(rest, &end);
                if (end == rest || (*end && *end != ',')) {
                    fprintf(stderr, "bench_gpu: --sizes: expected numbers like 1e8,1e9\n");
                    return 2;
                }
            }
            k++;
        } else if (argv[k][0] != '-' && !o->scenario_path) {
            o->scenario_path = argv[k];
        } else {
            fprintf(stderr, "bench_gpu: unknown or incomplete argument %s\n", argv[k]);
            return 2;
        }
    }
    if (!o->scenario_path || o->repeats < 1 || o->repeats > 50 || o->size_count < 1) {
        fprintf(stderr, "usage: bench_gpu SCENARIO [--repeats 1..50] [--sizes 1e8,1e9,1e10] "
                        "[--block THREADS] [--label TEXT] [--header]\n");
        return 2;
    }
    for (int k = 0; k < o->size_count; k++)
        if (!(o->sizes[k] >= 1 && o->sizes[k] <= 1e13)) {
            fprintf(stderr, "bench_gpu: --sizes: %g is not a draw count in [1, 1e13]\n",
                    o->sizes[k]);
            return 2;
        }
    return 0;
}

int main(int argc, char **argv)
{
    bench_options o;
    if (parse(argc, argv, &o)) return 2;
    char err[THIRST_ERR_LEN];
    scenario s;
    if (scenario_load(o.scenario_path, &s, err, sizeof err)) {
        fprintf(stderr, "bench_gpu: %s\n", err);
        return 2;
    }
    cuda_device_info devices[1];
    int count = 0;
    if (backend_cuda_devices(devices, 1, &count, err, sizeof err) || count < 1) {
        fprintf(stderr, "bench_gpu: %s\n", count < 1 ? "no CUDA device" : err);
        return 1;
    }
    double seconds[50], warm;
    if (timed_run(&s, 10000000, 1, o.block_threads, &warm, err, sizeof err)) {
        fprintf(stderr, "bench_gpu: warm-up: %s\n", err);
        return 1;
    }
    for (int r = 0; r < 3; r++)
        if (timed_run(&s, 100000000, 0, 0, &seconds[r], err, sizeof err)) {
            fprintf(stderr, "bench_gpu: CPU: %s\n", err);
            return 1;
        }
    double cpu_rate = 1e8 / median(seconds, 3);
    if (o.header) {
        printf("scenario %s on %s (%d SMs) vs the CPU backend on %d threads of the same machine "
               "(1e8 draws, median of 3); CUDA: median of %d runs of the draw pass, each with "
               "its own setup (device query, allocations, upload)\n\n",
               s.id, devices[0].name, devices[0].multiprocessors, omp_get_num_procs(),
               o.repeats);
        printf("| variant | block | draws | CUDA median s | CUDA draws/s | CPU draws/s | ratio |\n");
        printf("|---|---:|---:|---:|---:|---:|---:|\n");
    }
    for (int k = 0; k < o.size_count; k++) {
        for (int r = 0; r < o.repeats; r++)
            if (timed_run(&s, (uint64_t)o.sizes[k], 1, o.block_threads, &seconds[r], err,
                          sizeof err)) {
                fprintf(stderr, "bench_gpu: %s\n", err);
                return 1;
            }
        double t = median(seconds, o.repeats);
        printf("| %s | %d | %.0e | %.4f | %.3g | %.3g | %.1f |\n", o.label,
               o.block_threads ? o.block_threads : 256, o.sizes[k], t, o.sizes[k] / t, cpu_rate,
               o.sizes[k] / t / cpu_rate);
        fflush(stdout);
    }
    scenario_free(&s);
    return 0;
}
