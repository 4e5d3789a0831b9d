/* bench_gpu.c: throughput of the CUDA backend on one scenario, timed with CUDA events around
 * whole runs (upload, kernels, merges), after a warm-up, median of several runs; and of the CPU
 * backend on all cores of the same machine, for the ratio. Prints a markdown table.
 * usage: bench_gpu SCENARIO [REPEATS]   (sizes 1e8, 1e9, 1e10; CPU at 1e8) */
#include <cuda_runtime_api.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
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
static int timed_run(const scenario *s, uint64_t draws, int use_gpu, double *seconds, char *err,
                     size_t errlen)
{
    draw_plan plan;
    run_state totals;
    backend_options options = {.threads = omp_get_num_procs()};
    const backend *chosen = use_gpu ? backend_cuda() : backend_cpu();
    backend_job job = {&plan, s->prior_data, &options};
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

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_gpu SCENARIO [REPEATS]\n");
        return 2;
    }
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    if (repeats < 1 || repeats > 50) repeats = 5;
    char err[THIRST_ERR_LEN];
    scenario s;
    if (scenario_load(argv[1], &s, err, sizeof err)) {
        fprintf(stderr, "bench_gpu: %s\n", err);
        return 2;
    }
    cuda_device_info devices[1];
    int count = 0;
    if (backend_cuda_devices(devices, 1, &count, err, sizeof err)) {
        fprintf(stderr, "bench_gpu: %s\n", err);
        return 1;
    }
    double seconds[50], warm;
    if (timed_run(&s, 10000000, 1, &warm, err, sizeof err)) {
        fprintf(stderr, "bench_gpu: warm-up: %s\n", err);
        return 1;
    }
    for (int r = 0; r < 3; r++)
        if (timed_run(&s, 100000000, 0, &seconds[r], err, sizeof err)) {
            fprintf(stderr, "bench_gpu: CPU: %s\n", err);
            return 1;
        }
    double cpu_rate = 1e8 / median(seconds, 3);
    printf("scenario %s on %s (%d SMs) vs CPU backend on %d threads; median of %d runs\n\n",
           s.id, devices[0].name, devices[0].multiprocessors, omp_get_num_procs(), repeats);
    printf("| backend | draws | median s | draws/s | ratio vs CPU |\n");
    printf("|---|---:|---:|---:|---:|\n");
    printf("| CPU, %d threads | 1e8 | %.3f | %.3g | 1.0 |\n", omp_get_num_procs(), 1e8 / cpu_rate,
           cpu_rate);
    const double sizes[3] = {1e8, 1e9, 1e10};
    for (int k = 0; k < 3; k++) {
        for (int r = 0; r < repeats; r++)
            if (timed_run(&s, (uint64_t)sizes[k], 1, &seconds[r], err, sizeof err)) {
                fprintf(stderr, "bench_gpu: %s\n", err);
                return 1;
            }
        double t = median(seconds, repeats);
        printf("| CUDA | %.0e | %.4f | %.3g | %.1f |\n", sizes[k], t, sizes[k] / t,
               sizes[k] / t / cpu_rate);
        fflush(stdout);
    }
    scenario_free(&s);
    return 0;
}
