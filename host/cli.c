/* cli.c: the command-line parser, made from the lists of cli.h, and one reader per flag value
 * (every number through number.c); the help text is cli_usage.c's. */
#include "cli.h"

#include <math.h>
#include <string.h>

#include "engine.h"
#include "number.h"
#include "output_file.h"
#include "scenario.h"
#include "sensitivity.h"
#include "status.h"
#include "units.h"

#define USAGE_FAIL(...) status_fail(err, errlen, THIRST_ERR_INPUT, __VA_ARGS__)

/* A flag's reader stores value (NULL for a flag without one) into a. */
typedef int (*flag_reader)(cli_args *a, const char *flag, const char *value, char *err,
                           size_t errlen);

/* A draw count: a whole number written as digits or as 1e9, 2.5e6; 1 <= N <= 1e15. */
static int read_count(const char *text, uint64_t *out)
{
    return number_read_whole(text, 1, SCENARIO_MAX_DRAWS, out);
}

static int flag_draws(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    if (read_count(value, &a->draws))
        return USAGE_FAIL("--draws: expected a whole number from 1 to 1e15 (e.g. 1000000 or 1e9), "
                          "got '%s'", value);
    a->has_draws = 1;
    return THIRST_OK;
}

static int flag_seed(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    if (number_read_whole(value, 0, UINT64_MAX, &a->seed))
        return USAGE_FAIL("--seed: expected a whole number from 0 to 2^64 - 1, got '%s'", value);
    a->has_seed = 1;
    return THIRST_OK;
}

static int flag_threads(cli_args *a, const char *flag, const char *value, char *err,
                        size_t errlen)
{
    (void)flag;
    uint64_t v;
    if (number_read_whole(value, 1, 1024, &v))
        return USAGE_FAIL("--threads: expected a whole number from 1 to 1024, got '%s'", value);
    a->threads = (int)v;
    return THIRST_OK;
}

/* --json, --csv, --html, --dump: a file name. */
static int read_path(const char *flag, const char *value, const char **path, char *err,
                     size_t errlen)
{
    if (!*value) return USAGE_FAIL("%s: expected a file name", flag);
    *path = value;
    return THIRST_OK;
}

static int flag_json(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    return read_path(flag, value, &a->json_path, err, errlen);
}

static int flag_by(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    if (!*value) return USAGE_FAIL("%s: expected the name of a choice parameter", flag);
    a->by = value;
    return THIRST_OK;
}

static int flag_replay(cli_args *a, const char *flag, const char *value, char *err,
                       size_t errlen)
{
    return read_path(flag, value, &a->replay_path, err, errlen);
}

static int flag_csv(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    return read_path(flag, value, &a->csv_path, err, errlen);
}

static int flag_html(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    return read_path(flag, value, &a->html_path, err, errlen);
}

static int flag_dump(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    return read_path(flag, value, &a->dump_path, err, errlen);
}

static int flag_rel_error(cli_args *a, const char *flag, const char *value, char *err,
                          size_t errlen)
{
    double v = 0;
    if (number_read(value, &v) || !(v > 0) || v >= 1)
        return USAGE_FAIL("%s: expected a number in (0, 1), e.g. 1e-3, got '%s'", flag, value);
    a->rel_error = v;
    return THIRST_OK;
}

static int flag_abs_error(cli_args *a, const char *flag, const char *value, char *err,
                          size_t errlen)
{
    double v = 0;
    if (number_read(value, &v) || !(v > 0))
        return USAGE_FAIL("%s: expected a positive number, got '%s'", flag, value);
    a->abs_error = v;
    return THIRST_OK;
}

static int flag_max_draws(cli_args *a, const char *flag, const char *value, char *err,
                          size_t errlen)
{
    (void)flag;
    if (read_count(value, &a->max_draws))
        return USAGE_FAIL("--max-draws: expected a whole number from 1 to 1e15, got '%s'", value);
    a->has_max_draws = 1;
    return THIRST_OK;
}

static int flag_sampler(cli_args *a, const char *flag, const char *value, char *err,
                        size_t errlen)
{
    static const char *const names[] = {"mc", "rqmc"};
    static const int kinds[] = {PLAN_SAMPLER_MC, PLAN_SAMPLER_RQMC};
    for (int k = 0; k < 2; k++)
        if (strcmp(value, names[k]) == 0) {
            a->sampler = kinds[k];
            a->has_sampler = 1;
            return THIRST_OK;
        }
    return USAGE_FAIL("%s: expected mc or rqmc, got '%s'", flag, value);
}

static int flag_replicates(cli_args *a, const char *flag, const char *value, char *err,
                           size_t errlen)
{
    uint64_t v = 0;
    if (number_read_whole(value, ENGINE_MIN_REPLICATES, ENGINE_MAX_REPLICATES, &v))
        return USAGE_FAIL("%s: expected a whole number from %d to %d, got '%s'", flag,
                          ENGINE_MIN_REPLICATES, ENGINE_MAX_REPLICATES, value);
    a->replicates = (int)v;
    a->has_replicates = 1;
    return THIRST_OK;
}

static int flag_checkpoint(cli_args *a, const char *flag, const char *value, char *err,
                           size_t errlen)
{
    (void)flag;
    (void)err;
    (void)errlen;
    a->checkpoint_path = value;
    return THIRST_OK;
}

static int flag_checkpoint_every(cli_args *a, const char *flag, const char *value, char *err,
                                 size_t errlen)
{
    double v = 0;
    if (number_read(value, &v) || !(v >= 0) || !isfinite(v))
        return USAGE_FAIL("%s: expected a number of seconds, 0 or more, got '%s'", flag, value);
    a->checkpoint_every = v;
    a->has_checkpoint_every = 1;
    return THIRST_OK;
}

static int flag_resume(cli_args *a, const char *flag, const char *value, char *err,
                       size_t errlen)
{
    (void)flag;
    (void)err;
    (void)errlen;
    a->resume_path = value;
    return THIRST_OK;
}

static int flag_quiet(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    (void)value;
    (void)err;
    (void)errlen;
    a->quiet = 1;
    return THIRST_OK;
}

static int flag_backend(cli_args *a, const char *flag, const char *value, char *err,
                        size_t errlen)
{
    (void)flag;
    if (strcmp(value, "auto") != 0 && strcmp(value, "cpu") != 0 && strcmp(value, "cuda") != 0)
        return USAGE_FAIL("--backend: expected auto, cpu or cuda, got '%s'", value);
    a->backend = value;
    a->has_backend = 1;
    return THIRST_OK;
}

static int flag_device(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    uint64_t v;
    if (number_read_whole(value, 0, 1023, &v))
        return USAGE_FAIL("--device: expected a device index from 0 to 1023, got '%s'", value);
    a->device = (int)v;
    a->has_device = 1;
    return THIRST_OK;
}

static int flag_devices(cli_args *a, const char *flag, const char *value, char *err,
                        size_t errlen)
{
    if (strcmp(value, "all") == 0) {
        a->devices_all = 1;
        return THIRST_OK;
    }
    const int capacity = (int)(sizeof a->devices / sizeof a->devices[0]);
    char item[32];
    for (const char *p = value;;) {
        size_t length = strcspn(p, ",");
        uint64_t v;
        snprintf(item, sizeof item, "%.*s", (int)(length < 31 ? length : 31), p);
        if (length == 0 || length > 31 || number_read_whole(item, 0, 1023, &v))
            return USAGE_FAIL("%s: expected device indices from 0 to 1023 separated by commas, "
                              "or all, got '%s'", flag, value);
        for (int k = 0; k < a->device_count; k++)
            if (a->devices[k] == (int)v)
                return USAGE_FAIL("%s: device %d twice in '%s'", flag, (int)v, value);
        if (a->device_count == capacity)
            return USAGE_FAIL("%s: at most %d devices, got '%s'", flag, capacity, value);
        a->devices[a->device_count++] = (int)v;
        if (!p[length]) break;
        p += length + 1;
    }
    return THIRST_OK;
}

static int flag_method(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    a->methods = 0;
    const char *item = value;
    while (*item) {
        size_t length = strcspn(item, ",");
        const int bit = sensitivity_method_bit(item, length);
        a->methods |= bit;
        if (!bit && length)
            return USAGE_FAIL("--method: expected sobol, tornado, src or measured (comma-separated), got "
                              "'%.*s'", (int)length, item);
        item += length;
        if (*item == ',') item++;
    }
    if (!a->methods)
        return USAGE_FAIL("--method: expected sobol, tornado, src or measured, got '%s'", value);
    a->has_design = 1;
    return THIRST_OK;
}

static int flag_base_draws(cli_args *a, const char *flag, const char *value, char *err,
                           size_t errlen)
{
    (void)flag;
    if (read_count(value, &a->base_draws) || a->base_draws < 2)
        return USAGE_FAIL("--base-draws: expected a whole number from 2 to 1e15, got '%s'", value);
    a->has_design = 1;
    return THIRST_OK;
}

static int flag_tornado_range(cli_args *a, const char *flag, const char *value, char *err,
                              size_t errlen)
{
    (void)flag;
    const char *comma = strchr(value, ',');
    double low = NAN, high = NAN;
    if (comma && (number_parse(value, (size_t)(comma - value), &low) ||
                  number_read(comma + 1, &high)))
        low = high = NAN;
    if (!(low > 0 && low < high && high < 100))
        return USAGE_FAIL("--tornado-range: expected two percentiles LOW,HIGH with 0 < LOW < "
                          "HIGH < 100, got '%s'", value);
    a->tornado_low = low / 100;
    a->tornado_high = high / 100;
    a->has_design = 1;
    return THIRST_OK;
}

static int flag_count(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    if (read_count(value, &a->count) || a->count > 1000000)
        return USAGE_FAIL("--count: expected a whole number from 1 to 1000000, got '%s'", value);
    return THIRST_OK;
}

static int flag_first(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    if (number_read_whole(value, 0, UINT64_MAX, &a->first))
        return USAGE_FAIL("--first: expected a draw index from 0 to 2^64 - 1, got '%s'", value);
    return THIRST_OK;
}

static int flag_set(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    if (a->override_count == CLI_MAX_OVERRIDES)
        return USAGE_FAIL("--set: at most %d overrides", CLI_MAX_OVERRIDES);
    a->overrides[a->override_count++] = value;
    return THIRST_OK;
}

/* --help and --version are found before parsing (anywhere on the line). */
static int flag_help(cli_args *a, const char *flag, const char *value, char *err, size_t errlen)
{
    (void)flag;
    (void)value;
    (void)err;
    (void)errlen;
    a->help = 1;
    return THIRST_OK;
}

static int flag_version(cli_args *a, const char *flag, const char *value, char *err,
                        size_t errlen)
{
    (void)flag;
    (void)value;
    (void)err;
    (void)errlen;
    a->version = 1;
    return THIRST_OK;
}

/* The tables made from the lists. */
static const struct {
    const char *name;
    int scenario;
    const char *help;
} COMMANDS[] = {
#define CLI_COMMAND_ROW(id, name, scenario, help) {name, scenario, help},
    CLI_COMMANDS(CLI_COMMAND_ROW)
#undef CLI_COMMAND_ROW
};

static const struct {
    const char *name;
    const char *value;
    unsigned commands;
    const char *help;
    flag_reader read;
} FLAGS[] = {
#define CLI_FLAG_ROW(reader, name, value, commands, help) \
    {name, value, commands, help, flag_##reader},
    CLI_FLAGS(CLI_FLAG_ROW)
#undef CLI_FLAG_ROW
};

#define FLAG_COUNT ((int)(sizeof FLAGS / sizeof FLAGS[0]))
_Static_assert(sizeof COMMANDS / sizeof COMMANDS[0] == CLI_COMMAND_COUNT, "one row per command");

/* The command named name, or -1 (with err filled). */
static int find_command(const char *name, char *err, size_t errlen)
{
    const char *names[CLI_COMMAND_COUNT];
    char list[160] = "";
    for (int k = 0; k < CLI_COMMAND_COUNT; k++) {
        if (strcmp(name, COMMANDS[k].name) == 0) return k;
        names[k] = COMMANDS[k].name;
        if (k) strncat(list, k == CLI_COMMAND_COUNT - 1 ? " or " : ", ", sizeof list - strlen(list) - 1);
        strncat(list, COMMANDS[k].name, sizeof list - strlen(list) - 1);
    }
    const char *suggestion = units_suggest(name, names, CLI_COMMAND_COUNT);
    if (suggestion) USAGE_FAIL("unknown command '%s'; did you mean '%s'?", name, suggestion);
    else USAGE_FAIL("unknown command '%s' (expected %s)", name, list);
    return -1;
}

/* The flag written as arg ("--name" or "--name=value"): its index, or -1 (err filled). */
static int find_flag(const char *flag, char *err, size_t errlen)
{
    const char *names[FLAG_COUNT];
    for (int k = 0; k < FLAG_COUNT; k++) {
        if (strcmp(flag, FLAGS[k].name) == 0) return k;
        names[k] = FLAGS[k].name;
    }
    const char *suggestion = units_suggest(flag, names, FLAG_COUNT);
    if (suggestion) USAGE_FAIL("unknown flag '%s'; did you mean '%s'?", flag, suggestion);
    else USAGE_FAIL("unknown flag '%s'", flag);
    return -1;
}

/* Checks across flags, once all are read. */
static int check_combinations(cli_args *a, char *err, size_t errlen)
{
    /* Two outputs into one file, or an output over the scenario, would lose one of them
     * (compared as files, so out.json and ./out.json or a link to it are the same). */
    const char *output_flags[] = {"--json", "--csv", "--html", "--dump", "--checkpoint"};
    const char *output_paths[] = {a->json_path, a->csv_path, a->html_path, a->dump_path,
                                  a->checkpoint_path};
    for (int k = 0; k < 5; k++) {
        if (!output_paths[k]) continue;
        if (a->replay_path && output_file_same(output_paths[k], a->replay_path))
            return USAGE_FAIL("%s: '%s' is the result being replayed; give another file name",
                              output_flags[k], output_paths[k]);
        if (a->scenario_path && output_file_same(output_paths[k], a->scenario_path))
            return USAGE_FAIL("%s: '%s' is the scenario file; give another file name",
                              output_flags[k], output_paths[k]);
        for (int j = 0; j < k; j++)
            if (output_paths[j] && output_file_same(output_paths[j], output_paths[k]))
                return USAGE_FAIL("%s: same file as %s ('%s')", output_flags[k], output_flags[j],
                                  output_paths[k]);
    }
    if (a->command == CLI_DRAWS && a->count - 1 > UINT64_MAX - a->first)
        return USAGE_FAIL("--first: draws %llu to %llu would pass the last draw index 2^64 - 1",
                          (unsigned long long)a->first,
                          (unsigned long long)a->first + (unsigned long long)(a->count - 1));
    int adaptive = a->rel_error > 0 || a->abs_error > 0;
    if (adaptive && a->has_draws)
        return USAGE_FAIL("--draws: not with --rel-error/--abs-error (use --max-draws)");
    if (a->has_max_draws && !adaptive)
        return USAGE_FAIL("--max-draws: only with --rel-error or --abs-error");
    if (a->has_replicates && a->sampler != PLAN_SAMPLER_RQMC)
        return USAGE_FAIL("--replicates: only with --sampler rqmc");
    const int devices = a->device_count || a->devices_all;
    if (devices && (a->has_device || a->dump_path || a->by || strcmp(a->backend, "cpu") == 0))
        return USAGE_FAIL("--devices: not with --device, --dump, --by or --backend cpu (it "
                          "splits a run across CUDA devices)");
    if (a->has_checkpoint_every && !a->checkpoint_path)
        return USAGE_FAIL("--checkpoint-every: only with --checkpoint");
    if ((a->checkpoint_path || a->resume_path) && a->dump_path)
        return USAGE_FAIL("%s: not with --dump (the dump is not checkpointed)",
                          a->checkpoint_path ? "--checkpoint" : "--resume");
    if ((a->checkpoint_path || a->resume_path) && a->command == CLI_SENSITIVITY &&
        !(a->methods & SENSITIVITY_SOBOL))
        return USAGE_FAIL("%s: sensitivity checkpoints its Sobol design; --method has no sobol",
                          a->checkpoint_path ? "--checkpoint" : "--resume");
    if (adaptive && a->dump_path)
        return USAGE_FAIL("--dump: not with an adaptive run (give --draws)");
    /* The dump holds the CPU reference's draws; the statistics reported next to it must be of
     * that sample, computed the same way: a dumping run runs on the CPU. */
    if (a->dump_path && strcmp(a->backend, "cuda") == 0)
        return USAGE_FAIL("--dump: not with --backend cuda (a dumping run runs on the CPU, whose "
                          "draws the dump holds; use --backend cpu or auto)");
    return THIRST_OK;
}

/* Defaults of every flag. */
static void defaults(cli_args *a, int cores)
{
    memset(a, 0, sizeof *a);
    a->threads = cores;
    a->backend = "auto";
    a->count = 10;
    a->methods = SENSITIVITY_SOBOL | SENSITIVITY_TORNADO | SENSITIVITY_SRC | SENSITIVITY_MEASURED;
    a->base_draws = 1048576;
    a->tornado_low = 0.05;
    a->tornado_high = 0.95;
    a->max_draws = 10000000000ull;
    a->sampler = PLAN_SAMPLER_MC;
    a->replicates = ENGINE_DEFAULT_REPLICATES;
    a->checkpoint_every = 60;
}

int cli_parse(int argc, char **argv, int cores, cli_args *a, char *err, size_t errlen)
{
    defaults(a, cores);
    for (int k = 1; k < argc; k++) {
        a->help |= strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0;
        a->version |= strcmp(argv[k], "--version") == 0;
    }
    if (a->help || a->version) return THIRST_OK;
    if (argc < 2) return USAGE_FAIL("missing command");
    a->command_name = argv[1];
    if ((a->command = find_command(argv[1], err, errlen)) < 0) return THIRST_ERR_INPUT;
    for (int k = 2; k < argc; k++) {
        const char *arg = argv[k];
        if (strncmp(arg, "--", 2) != 0 || strcmp(arg, "--") == 0) {
            if (a->scenario_path)
                return USAGE_FAIL("unexpected argument '%s' (one scenario per call, already have "
                                  "'%s')", arg, a->scenario_path);
            a->scenario_path = arg;
            continue;
        }
        char flag[32];
        const char *equals = strchr(arg, '=');
        size_t length = equals ? (size_t)(equals - arg) : strlen(arg);
        if (length >= sizeof flag) length = sizeof flag - 1;
        memcpy(flag, arg, length);
        flag[length] = '\0';
        const char *value = equals ? equals + 1 : NULL;
        int f = find_flag(flag, err, errlen);
        if (f < 0) return THIRST_ERR_INPUT;
        if (FLAGS[f].value && !value) {
            if (k + 1 >= argc) return USAGE_FAIL("%s: expected a value", flag);
            value = argv[++k];
        }
        if (!FLAGS[f].value && value) return USAGE_FAIL("%s: takes no value, got '%s'", flag, value);
        if (!(FLAGS[f].commands & (1u << a->command)))
            return USAGE_FAIL("%s: not a flag of '%s'", flag, a->command_name);
        int status = FLAGS[f].read(a, flag, value, err, errlen);
        if (status) return status;
    }
    if (!COMMANDS[a->command].scenario) {
        if (a->scenario_path)
            return USAGE_FAIL("%s: takes no scenario, got '%s'", a->command_name, a->scenario_path);
        return THIRST_OK;
    }
    if (a->by && (a->replay_path || a->rel_error > 0 || a->abs_error > 0 || a->dump_path ||
                  a->csv_path || a->html_path))
        return USAGE_FAIL("--by: not with --replay, --rel-error, --abs-error, --dump, --csv or "
                          "--html (it writes its table and, with --json, one JSON file)");
    if (a->replay_path) {
        /* The scenario and the settings that change numbers come from the result. */
        if (a->scenario_path)
            return USAGE_FAIL("--replay: takes no SCENARIO (the scenario comes from '%s'), got "
                              "'%s'", a->replay_path, a->scenario_path);
        if (a->has_draws || a->has_seed || a->override_count || a->rel_error > 0 ||
            a->abs_error > 0 || a->has_max_draws || a->dump_path || a->has_sampler ||
            a->has_replicates || a->checkpoint_path || a->resume_path || a->has_design)
            return USAGE_FAIL("--replay: not with --draws, --seed, --set, --rel-error, "
                              "--abs-error, --max-draws, --dump, --sampler, --replicates, "
                              "--checkpoint, --resume, --method, --base-draws or "
                              "--tornado-range (the run's settings come from '%s')",
                              a->replay_path);
        return check_combinations(a, err, errlen);
    }
    if (!a->scenario_path) return USAGE_FAIL("%s: missing SCENARIO file", a->command_name);
    return check_combinations(a, err, errlen);
}
