/* cli.h: the command line, its vocabularies written once: the commands (CLI_COMMANDS) and the
 * flags (CLI_FLAGS: name, value, the commands that take it, help line, and the function in
 * cli.c that reads its value). The parser, the "not a flag of" check, the did-you-mean lists
 * and --help are made from them. To add a flag: one line in CLI_FLAGS, its reader in cli.c and
 * its field in cli_args (docs/ARCHITECTURE.md). */
#ifndef THIRST_CLI_H
#define THIRST_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* X(ID, name, takes a scenario, help) */
#define CLI_COMMANDS(X)                                                                           \
    X(RUN, "run", 1, "sample the priors and print each output's mean, sd, quantiles and "        \
                     "central interval")                                                          \
    X(POINT, "point", 1, "evaluate the model once at each prior's \"point\" value (else its "     \
                         "median)")                                                               \
    X(VALIDATE, "validate", 1, "check a scenario file and say what it would compute")            \
    X(SENSITIVITY, "sensitivity", 1, "which inputs drive each output: Sobol first/total indices " \
                                     "with 95% intervals, tornado swings, standardised "          \
                                     "regression coefficients")                                  \
    X(DRAWS, "draws", 1, "print the first draws (uniform words, inputs, outputs) as CSV, from "   \
                         "either backend: the CPU-vs-GPU agreement check")                        \
    X(DEVICES, "devices", 0, "list CUDA devices with memory and compute capability")

enum cli_command {
#define CLI_COMMAND_ENUM(id, name, scenario, help) CLI_##id,
    CLI_COMMANDS(CLI_COMMAND_ENUM)
#undef CLI_COMMAND_ENUM
    CLI_COMMAND_COUNT
};

/* Bit sets of commands. */
#define CLI_ON(id) (1u << CLI_##id)
#define CLI_WITH_SCENARIO \
    (CLI_ON(RUN) | CLI_ON(POINT) | CLI_ON(VALIDATE) | CLI_ON(SENSITIVITY) | CLI_ON(DRAWS))

/* X(reader, name, value (NULL: none), commands, help) */
#define CLI_FLAGS(X)                                                                              \
    X(draws, "--draws", "N", CLI_ON(RUN),                                                         \
      "number of draws, e.g. 1000000 or 1e9 (default: the file's \"draws\")")                    \
    X(seed, "--seed", "S", CLI_ON(RUN) | CLI_ON(SENSITIVITY) | CLI_ON(DRAWS),                     \
      "64-bit seed, 0 <= S < 2^64 (default: the file's \"seed\")")                               \
    X(threads, "--threads", "T", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                              \
      "CPU threads, 1..1024 (default: all cores; more than the cores are capped to the cores, "   \
      "with a notice); results do not depend on it")                                             \
    X(json, "--json", "FILE", CLI_ON(RUN) | CLI_ON(POINT) | CLI_ON(SENSITIVITY),                  \
      "also write the result as JSON (docs/result-schema.md)")                                   \
    X(csv, "--csv", "FILE", CLI_ON(RUN), "also write one CSV row per output")                     \
    X(html, "--html", "FILE", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                                  \
      "also write a self-contained HTML report (run: table, histograms, inputs; sensitivity: "    \
      "Sobol and tornado charts, what if you measured it)")                                      \
    X(dump, "--dump", "FILE.npy", CLI_ON(RUN),                                                    \
      "also write every draw's parameters and outputs as a structured .npy array (at most 1 "    \
      "GiB: about 3e7 draws of a 7-input scenario); the run is then on the CPU")                 \
    X(rel_error, "--rel-error", "E", CLI_ON(RUN),                                                 \
      "adaptive: draw in growing rounds until the 95% confidence half-width of every mean and "   \
      "quantile is below E times the estimate and no mean is marked unreliable (a heavy tail "    \
      "stops the run, not converged, 3 rounds after the errors are met); refused for a mean of 0") \
    X(abs_error, "--abs-error", "A", CLI_ON(RUN),                                                 \
      "adaptive: ... below A (in each output's canonical unit)")                                 \
    X(max_draws, "--max-draws", "N", CLI_ON(RUN),                                                 \
      "adaptive: stop at N draws at the most (default 1e10)")                                    \
    X(sampler, "--sampler", "S", CLI_ON(RUN) | CLI_ON(SENSITIVITY) | CLI_ON(DRAWS),               \
      "mc (plain Monte Carlo, default) or rqmc (randomized quasi-Monte Carlo: Sobol' points, "    \
      "each replicate with its own random linear scramble and digital shift; the draws are "     \
      "replicates x 2^m, and every interval comes from the spread of the replicates; "           \
      "sensitivity: the Sobol design only, 64 replicates x 2^m >= 64 base draws)")              \
    X(replicates, "--replicates", "R", CLI_ON(RUN) | CLI_ON(DRAWS),                               \
      "rqmc: independently randomised replicates, 2..1024 (default 32); intervals are Student "   \
      "t with R - 1 degrees of freedom")                                                          \
    X(checkpoint, "--checkpoint", "FILE", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                     \
      "write the state of the run's pass over the draws (sensitivity: of the Sobol design) to "  \
      "FILE (atomically) every --checkpoint-every seconds, when interrupted (SIGINT, SIGTERM, "   \
      "SIGHUP) and when the pass ends (a fixed run: with its exact quantiles); --resume FILE "    \
      "continues it; with --by, option k's is FILE.k")                                            \
    X(checkpoint_every, "--checkpoint-every", "SECONDS", CLI_ON(RUN) | CLI_ON(SENSITIVITY),      \
      "with --checkpoint: seconds between checkpoints, 0 or more (default 60)")                 \
    X(resume, "--resume", "FILE", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                              \
      "continue the run a --checkpoint FILE saved (the same command, scenario, --set, seed, "    \
      "draws, sampler and version, else refused): the result equals an uninterrupted run's")    \
    X(by, "--by", "NAME", CLI_ON(RUN),                                                            \
      "one run per option of the choice NAME (e.g. --by site), the same draws otherwise: a "      \
      "table of each option's mean, median and interval, and with --json all their statistics")   \
    X(replay, "--replay", "RESULT.json", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                        \
      "run again the run that wrote RESULT.json (thirst run or sensitivity --json): its scenario " \
      "text, --set overrides, seed, draws or stopping rule (sensitivity: methods, base draws, "     \
      "tornado percentiles), sampler and backend, from the result, with no SCENARIO argument: "    \
      "every statistic comes out byte for byte; refused when this build's numbers differ from "    \
      "the ones that made it")                                                                     \
    X(quiet, "--quiet", NULL, CLI_ON(RUN) | CLI_ON(SENSITIVITY), "no progress on stderr")         \
    X(backend, "--backend", "B", CLI_ON(RUN) | CLI_ON(SENSITIVITY) | CLI_ON(DRAWS),               \
      "auto (CUDA when a usable device exists, else CPU; default), cpu or cuda; sensitivity "    \
      "runs Sobol on the GPU, tornado and regression on the CPU")                                \
    X(device, "--device", "N", CLI_ON(RUN) | CLI_ON(SENSITIVITY) | CLI_ON(DRAWS),                 \
      "CUDA device index (default 0; see thirst devices)")                                       \
    X(devices, "--devices", "LIST", CLI_ON(RUN) | CLI_ON(SENSITIVITY),                           \
      "CUDA devices to split a run across, e.g. 0,1 or all (at most 16): each takes a "         \
      "contiguous share of the work units, merged in unit order (the same result as one)")     \
    X(method, "--method", "M,...", CLI_ON(SENSITIVITY),                                           \
      "any of sobol, tornado, src, measured (what if you measured it: each output's interval "    \
      "with one input fixed at its median; default: all four)")                                         \
    X(base_draws, "--base-draws", "N", CLI_ON(SENSITIVITY),                                       \
      "Sobol base draws (k + 2 model runs each) and regression draws (default 1048576 = 2^20)")  \
    X(tornado_range, "--tornado-range", "L,H", CLI_ON(SENSITIVITY),                               \
      "tornado percentiles (default 5,95)")                                                      \
    X(count, "--count", "K", CLI_ON(DRAWS), "how many draws, 1..1000000 (default 10)")           \
    X(first, "--first", "I", CLI_ON(DRAWS), "first draw index (default 0)")                      \
    X(set, "--set", "NAME=VALUE", CLI_WITH_SCENARIO,                                              \
      "fix parameter NAME at VALUE, a bare number in the file's unit (no unit after it), or "     \
      "pick the option named VALUE of a choice over several parameters (--set site=Arizona); "   \
      "NAME.FIELD=VALUE changes one field of a prior (--set pue.high=1.4, --set hours.unit=d; " \
      "NAME.FIELD=null removes it); "                                                            \
      "repeatable")                                                                              \
    X(help, "--help", NULL, 0, "this text (also -h)")                                             \
    X(version, "--version", NULL, 0, "print the version")

#define CLI_MAX_OVERRIDES 32

/* Parsed command line. */
typedef struct {
    int command;                 /* enum cli_command */
    const char *command_name;
    int help, version;           /* --help / -h, --version anywhere on the line */
    const char *scenario_path;
    const char *json_path, *csv_path, *html_path, *dump_path;
    uint64_t draws;
    int has_draws;
    uint64_t seed;
    int has_seed;
    int threads;                 /* default: all cores */
    int quiet;
    const char *backend;         /* "auto", "cpu" or "cuda" */
    int has_backend;
    const char *replay_path;     /* run --replay RESULT.json (then no scenario_path) */
    const char *by;              /* run --by NAME: one run per option of that choice */
    int device;
    int has_device;
    int devices[16];             /* --devices LIST (device_count of them), or devices_all */
    int device_count, devices_all;
    uint64_t count;              /* draws: how many */
    uint64_t first;              /* draws: first draw index */
    double rel_error, abs_error;
    uint64_t max_draws;          /* default 1e10 */
    int has_max_draws;
    const char *checkpoint_path; /* run --checkpoint FILE */
    double checkpoint_every;     /* seconds (default 60) */
    int has_checkpoint_every;
    const char *resume_path;     /* run --resume FILE */
    int sampler;                 /* PLAN_SAMPLER_MC (default) or PLAN_SAMPLER_RQMC */
    int has_sampler;
    int replicates;              /* rqmc: default ENGINE_DEFAULT_REPLICATES */
    int has_replicates;
    int methods;                 /* sensitivity: bit set of enum sensitivity_method */
    int has_design;              /* sensitivity: --method, --base-draws or --tornado-range given */
    uint64_t base_draws;
    double tornado_low, tornado_high;   /* probabilities */
    const char *overrides[CLI_MAX_OVERRIDES];   /* --set, in order */
    int override_count;
} cli_args;

/* Parse argv into a (threads defaults to cores); THIRST_ERR_INPUT with one line in err naming
 * the flag, the command or the argument when the line is not a valid call. */
int cli_parse(int argc, char **argv, int cores, cli_args *a, char *err, size_t errlen);

/* Write the help text (made from the lists) to f. */
void cli_usage(FILE *f);

#endif
