/* sensitivity.h: which inputs drive each output's uncertainty.
 * - Sobol indices, streamed: row i of matrix A is the run's draw i (stream (seed, i)), row i of
 *   B is stream (seed, 2^63 + i), and A_B^k (A with input k from B) is built per draw; k + 2
 *   model evaluations per base draw, nothing stored. First order by Saltelli et al. (2010),
 *   mean f(B) [f(A_B^k) - f(A)] / V; total by Jansen (1999), mean [f(A) - f(A_B^k)]^2 / (2 V);
 *   V the variance of f over A and B together (as SALib). Outputs are shifted by the pilot mean
 *   before accumulating. Confidence intervals by batch means: the base draws fall into
 *   SENSITIVITY_BATCHES consecutive batches, each gives its own estimate, and the spread of
 *   those gives a standard error (Student t interval).
 * - Tornado: each uncertain input at two percentiles (default 5 and 95) with the others at
 *   their point values; swings sorted by size.
 * - Standardised regression coefficients of log(output) on log(inputs) in one pass of draws;
 *   an input whose prior can reach 0 or below enters as the normal score of its uniform (its
 *   exact rank transform), an output that can be <= 0 enters unlogged.
 * - What if you measured it: each output's central interval with one input fixed at its median
 *   (the same draws otherwise), beside the interval with every input uncertain; the input's
 *   first-order Sobol index is the expected share of the variance that measuring it removes.
 * Inputs with a fixed value are not sampled and get index 0.
 * Correlated inputs (DESIGN.md section 10): Sobol indices assume independent inputs, so each
 * correlated block is one factor (its members redrawn together) and its members get no index of
 * their own; tornado moves an input's correlated partners to their conditional medians
 * (Phi(r z) for the input at normal score z, r their Gaussian correlation); the regression
 * coefficients are computed as without correlations but are not additive (their squares do not
 * sum to R^2). */
#ifndef THIRST_SENSITIVITY_H
#define THIRST_SENSITIVITY_H

#include "backend.h"
#include "checkpoint.h"
#include "engine.h"

#define SENSITIVITY_BATCHES 64
#define SENSITIVITY_CHECKPOINT_BATCHES 8   /* Sobol batches per checkpointed segment (at least) */
#define SENSITIVITY_MAX_INPUTS SCENARIO_MAX_PARAMS

enum sensitivity_method {
    SENSITIVITY_SOBOL = 1,
    SENSITIVITY_TORNADO = 2,
    SENSITIVITY_SRC = 4,
    SENSITIVITY_MEASURED = 8   /* "what if you measured it": intervals with one input fixed */
};

/* The methods by name, written once: X(name, bit), in the order results list them. */
#define SENSITIVITY_METHODS(X)                                                                 \
    X("sobol", SENSITIVITY_SOBOL) X("tornado", SENSITIVITY_TORNADO) X("src", SENSITIVITY_SRC) \
    X("measured", SENSITIVITY_MEASURED)

/* The bit of the method named by the length characters at name (cli.c --method, replay.c
 * settings.methods), or 0. */
int sensitivity_method_bit(const char *name, size_t length);

/* What to compute. */
typedef struct {
    int methods;                 /* bit set of enum sensitivity_method */
    uint64_t base_draws;         /* Sobol base draws N (and SRC draws) */
    uint64_t seed;
    double tornado_low, tornado_high;   /* percentiles as probabilities, e.g. 0.05, 0.95 */
    const backend *backend;      /* runs the Sobol design (tornado and SRC stay on the CPU);
                                    NULL: the CPU */
    backend_options engine;      /* threads; CUDA device */
    int sampler;                 /* the Sobol design's: PLAN_SAMPLER_MC, or PLAN_SAMPLER_RQMC (A
                                    and B from one 2d-dimensional scrambled Sobol' point per
                                    base draw, each batch one replicate; base_draws then
                                    SENSITIVITY_BATCHES x 2^m, 2^m >= SOBOL_CHUNK); tornado,
                                    regression and "measured" draw Monte Carlo either way */
    checkpoint_options checkpointing;   /* the Sobol design's checkpoints (its batches' sums,
                                    checkpoint.h), stops and resumed state: the design then runs
                                    in segments of segment_batches batches, and a stop is also
                                    honoured between the later methods' passes */
    int segment_batches;         /* batches per segment (0: SENSITIVITY_CHECKPOINT_BATCHES; MPI:
                                    the ranks' count when larger, so that every rank has work) */
} sensitivity_options;

/* Indices of one output with respect to one input. */
typedef struct {
    double first, first_se;      /* Sobol first order and its standard error */
    double total, total_se;      /* Sobol total and its standard error */
    double tornado_low_output;   /* output with the input at tornado_low (others at points) */
    double tornado_high_output;
    double src;                  /* standardised regression coefficient */
    double measured_low;         /* the output's central interval with the input fixed at its */
    double measured_high;        /* median (a choice over several parameters: its median
                                    option; a correlated input: its partners conditional on it) */
} sensitivity_index;

/* Whether options can run: under rqmc the Sobol design's base draws must be
 * SENSITIVITY_BATCHES x 2^m with 2^m >= SOBOL_CHUNK (THIRST_ERR_INPUT naming --base-draws and
 * the nearest fit); a checkpoint needs the Sobol method (THIRST_ERR_INPUT). */
int sensitivity_check(const sensitivity_options *options, char *err, size_t errlen);

/* THIRST_ERR_INTERRUPTED (saying where a resumed run starts) when a stop was asked of any
 * process (a collective call when options->checkpointing.stop is set); else THIRST_OK. */
int sensitivity_stopped(const sensitivity_options *options, char *err, size_t errlen);

/* Results for every output and uncertain input. */
typedef struct {
    int input_count;
    int input_param[SENSITIVITY_MAX_INPUTS];   /* index into scenario params */
    double input_low[SENSITIVITY_MAX_INPUTS];  /* tornado input values (NaN for a group) */
    double input_high[SENSITIVITY_MAX_INPUTS];
    int input_logged[SENSITIVITY_MAX_INPUTS];  /* SRC: log(x) (1) or normal score (0) */
    int output_count;
    int outputs[PLAN_MAX_OUTPUTS];
    sensitivity_index index[PLAN_MAX_OUTPUTS][SENSITIVITY_MAX_INPUTS];   /* a correlated input
                                                      has no Sobol index of its own (NaN) */
    int group_count;                           /* correlated blocks: one Sobol factor each */
    int input_group[SENSITIVITY_MAX_INPUTS];   /* 1 + the block input k is in, or 0 */
    sensitivity_index group[PLAN_MAX_OUTPUTS][COPULA_MAX_BLOCKS];   /* a block's Sobol indices
                                                      (first, total and their errors) */
    double variance[PLAN_MAX_OUTPUTS];       /* Sobol V */
    double point_output[PLAN_MAX_OUTPUTS];   /* all inputs at their points */
    double r_squared[PLAN_MAX_OUTPUTS];      /* SRC fit */
    double interval_low[PLAN_MAX_OUTPUTS];   /* measured: the central interval with every */
    double interval_high[PLAN_MAX_OUTPUTS];  /* input uncertain (the same draws) */
    double interval_probability;             /* the scenario's central interval, e.g. 0.95 */
    int output_logged[PLAN_MAX_OUTPUTS];     /* SRC: log(y) (1) or y (0) */
    double t_quantile;                         /* Student t(0.975, batches - 1) for 95 % CIs */
    uint64_t base_draws;
    uint64_t model_evaluations;
    int resumed_batches;                       /* Sobol batches taken from a checkpoint */
    int batches;
} sensitivity_result;

/* "What if you measured it" (host/sensitivity_measured.c): r's intervals with every input
 * uncertain and with each input fixed at its median; r's inputs and outputs set. */
int sensitivity_measured(const scenario *s, const sensitivity_options *options,
                         sensitivity_result *r, char *err, size_t errlen);

/* Compute the requested methods for s (CPU backend). */
int sensitivity_run(const scenario *s, const sensitivity_options *options,
                    sensitivity_result *result, char *err, size_t errlen);

#endif
