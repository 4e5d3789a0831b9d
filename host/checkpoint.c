/* checkpoint.c: writing, reading and matching checkpoints, and the end of a checkpointed
 * pass's segment (checkpoint.h). The file: "THIRSTC3", then little-endian scenario hash, seed,
 * draws (uint64), sampler, replicates, numbers version (uint32), the version (32 bytes,
 * NUL-padded), the next unit, the rule (uint64), rounds, unreliable rounds, histogram bits and
 * the command (uint32), the byte counts of the refinement (0: not a complete run) and of the
 * state (uint64), the serialised state (state.h), the refinement (a complete run's exact
 * quantiles: put_refinement), and an FNV-1a checksum (uint64) of everything before it. */
#include "checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../kernels/plan.h"
#include "engine.h"
#include "provenance.h"
#include "status.h"

#define CHECKPOINT_MAGIC "THIRSTC3"
#define CHECKPOINT_FIXED (8 + 8 * 3 + 4 * 3 + 32 + 8 + 8 + 4 * 4 + 8 + 8)   /* before the state */
#define REFINEMENT_FIXED 16          /* replicate_intervals, passes, target count, outputs */
#define REFINEMENT_TARGET 16         /* output (uint32), rank (uint64), value (float bits) */
#define CHECKPOINT_MAX_STATE (1ull << 32)                    /* a state larger is not ours */

/* FNV-1a over bytes, continuing from hash. */
static uint64_t fnv1a(uint64_t hash, const void *bytes, size_t count)
{
    const unsigned char *p = bytes;
    for (size_t k = 0; k < count; k++) hash = (hash ^ p[k]) * 0x100000001b3ull;
    return hash;
}

#define FNV_OFFSET 0xcbf29ce484222325ull

uint64_t checkpoint_scenario_hash(const scenario *s)
{
    uint64_t hash = fnv1a(FNV_OFFSET, s->text ? s->text : "", s->text ? strlen(s->text) + 1 : 1);
    for (int k = 0; k < s->override_count; k++)
        hash = fnv1a(hash, s->overrides[k], strlen(s->overrides[k]) + 1);
    return hash;
}

static unsigned char *put(unsigned char *p, uint64_t v, int bytes)
{
    for (int k = 0; k < bytes; k++) *p++ = (unsigned char)(v >> (8 * k));
    return p;
}

static const unsigned char *get(const unsigned char *p, uint64_t *v, int bytes)
{
    *v = 0;
    for (int k = 0; k < bytes; k++) *v |= (uint64_t)*p++ << (8 * k);
    return p;
}

/* A little-endian int32 at p into *v; returns p after it. */
static const unsigned char *get_int32(const unsigned char *p, int32_t *v)
{
    uint64_t bits;
    p = get(p, &bits, 4);
    *v = (int32_t)(uint32_t)bits;
    return p;
}

/* Write count bytes to fd; 0, or -1 with errno set. */
static int write_all(int fd, const unsigned char *bytes, size_t count)
{
    while (count) {
        ssize_t done = write(fd, bytes, count);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) return -1;
        bytes += done;
        count -= (size_t)done;
    }
    return 0;
}

/* fsync the directory that holds path (so that a rename into it survives a crash). */
static void sync_directory(const char *path)
{
    char directory[4096];
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(directory, sizeof directory, ".");
    else snprintf(directory, sizeof directory, "%.*s", (int)(slash - path) + (slash == path), path);
    int fd = open(directory, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    fsync(fd);
    close(fd);
}

/* Bytes of the serialisation of q's exact quantiles for outputs outputs. */
static size_t refinement_bytes(const quantile_refinement *q, int outputs)
{
    return REFINEMENT_FIXED + (size_t)outputs * QUANTILE_MAX_PROBABILITIES * 8 +
           (size_t)q->target_count * REFINEMENT_TARGET;
}

/* q's exact quantiles, what the statistics read: every target's output, rank and value, and
 * (rqmc) the intervals of each quantile as half-widths in probability. */
static unsigned char *put_refinement(unsigned char *p, const quantile_refinement *q, int outputs)
{
    p = put(p, (uint32_t)q->replicate_intervals, 4);
    p = put(p, (uint32_t)q->passes, 4);
    p = put(p, (uint32_t)q->target_count, 4);
    p = put(p, (uint32_t)outputs, 4);
    for (int o = 0; o < outputs; o++)
        for (int k = 0; k < QUANTILE_MAX_PROBABILITIES; k++) {
            uint64_t bits;
            memcpy(&bits, &q->interval_half[o][k], 8);
            p = put(p, bits, 8);
        }
    for (int t = 0; t < q->target_count; t++) {
        uint32_t bits;
        memcpy(&bits, &q->targets[t].value, 4);
        p = put(p, (uint32_t)q->targets[t].output, 4);
        p = put(p, q->targets[t].rank, 8);
        p = put(p, bits, 4);
    }
    return p;
}

/* Read size bytes of put_refinement into q (zeroed first) for a state of outputs outputs;
 * 1 when they are not a whole refinement of such a state. */
static int get_refinement(const unsigned char *p, size_t size, int outputs, quantile_refinement *q)
{
    memset(q, 0, sizeof *q);
    uint64_t v[4] = {0};
    if (size < REFINEMENT_FIXED) return 1;
    for (int k = 0; k < 4; k++) p = get(p, &v[k], 4);
    if (v[2] > QUANTILE_MAX_TARGETS || (int)v[3] != outputs ||
        size != REFINEMENT_FIXED + (size_t)outputs * QUANTILE_MAX_PROBABILITIES * 8 +
                    v[2] * REFINEMENT_TARGET)
        return 1;
    q->replicate_intervals = (int)v[0];
    q->passes = (int)v[1];
    q->target_count = (int)v[2];
    for (int o = 0; o < outputs; o++)
        for (int k = 0; k < QUANTILE_MAX_PROBABILITIES; k++) {
            uint64_t bits;
            p = get(p, &bits, 8);
            memcpy(&q->interval_half[o][k], &bits, 8);
        }
    for (int t = 0; t < q->target_count; t++) {
        uint64_t output, bits;
        p = get(p, &output, 4);
        p = get(p, &q->targets[t].rank, 8);
        p = get(p, &bits, 4);
        if (output >= (uint64_t)outputs) return 1;
        uint32_t value = (uint32_t)bits;
        q->targets[t].output = (int)output;
        memcpy(&q->targets[t].value, &value, 4);
        q->targets[t].resolved = 1;
    }
    return 0;
}

int checkpoint_write(const char *path, const checkpoint_header *header, const run_state *state,
                     const quantile_refinement *refinement, char *err, size_t errlen)
{
    const size_t state_bytes = run_state_bytes(state);
    const size_t refined = refinement ? refinement_bytes(refinement, state->output_count) : 0;
    const size_t total = CHECKPOINT_FIXED + state_bytes + refined + 8;
    unsigned char *buffer = malloc(total);
    if (!buffer) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    unsigned char *p = buffer;
    memcpy(p, CHECKPOINT_MAGIC, 8);
    p += 8;
    p = put(p, header->scenario_hash, 8);
    p = put(p, header->seed, 8);
    p = put(p, header->draws, 8);
    p = put(p, (uint32_t)header->sampler, 4);
    p = put(p, (uint32_t)header->replicates, 4);
    p = put(p, (uint32_t)header->numbers_version, 4);
    memset(p, 0, 32);
    memcpy(p, header->version, strnlen(header->version, 31));
    p += 32;
    p = put(p, header->next_unit, 8);
    p = put(p, header->rule, 8);
    p = put(p, (uint32_t)header->rounds, 4);
    p = put(p, (uint32_t)header->unreliable_rounds, 4);
    p = put(p, (uint32_t)header->histogram_bits, 4);
    p = put(p, (uint32_t)header->command, 4);
    p = put(p, refined, 8);
    p = put(p, state_bytes, 8);
    p += run_state_serialize(state, p, state_bytes);
    if (refinement) p = put_refinement(p, refinement, state->output_count);
    p = put(p, fnv1a(FNV_OFFSET, buffer, (size_t)(p - buffer)), 8);
    char temporary[4200];   /* one name per checkpoint: a crash's leftover is overwritten */
    snprintf(temporary, sizeof temporary, "%s.partial", path);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int failed = fd < 0 || write_all(fd, buffer, total);
    while (!failed && fsync(fd)) {
        if (errno != EINTR) failed = 1;
    }
    int error = errno;
    if (fd >= 0 && close(fd) && !failed) {
        failed = 1;
        error = errno;
    }
    if (!failed && rename(temporary, path)) {
        failed = 1;
        error = errno;
    }
    free(buffer);
    if (failed) {
        unlink(temporary);
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "--checkpoint %s: cannot write it: %s",
                           path, strerror(error));
    }
    sync_directory(path);
    return THIRST_OK;
}

/* Read up to count bytes from fd into bytes (retrying after signals); returns how many. */
static size_t read_all(int fd, unsigned char *bytes, size_t count)
{
    size_t got = 0;
    while (got < count) {
        ssize_t n = read(fd, bytes + got, count - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    return got;
}

/* The checkpoint file at path into *bytes (caller frees) and *size, when it is a regular file
 * whose header says the size it has: its first CHECKPOINT_FIXED bytes are read and checked
 * before the rest is allocated (a hostile or foreign file costs no more than that). */
static int read_file(const char *path, unsigned char **bytes, size_t *size, char *err,
                     size_t errlen)
{
    int fd = open(path, O_RDONLY);
    struct stat about;
    if (fd < 0 || fstat(fd, &about) || !S_ISREG(about.st_mode)) {
        int error = errno;
        if (fd >= 0) close(fd);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: cannot read it%s%s",
                           path, fd < 0 ? ": " : " (not a regular file)",
                           fd < 0 ? strerror(error) : "");
    }
    unsigned char header[CHECKPOINT_FIXED];
    size_t got = read_all(fd, header, sizeof header);
    uint64_t state_bytes = 0, refined = 0;
    if (got == sizeof header) {
        get(header + CHECKPOINT_FIXED - 16, &refined, 8);
        get(header + CHECKPOINT_FIXED - 8, &state_bytes, 8);
    }
    if (got < sizeof header || memcmp(header, CHECKPOINT_MAGIC, 8) != 0 ||
        state_bytes > CHECKPOINT_MAX_STATE || refined > CHECKPOINT_MAX_STATE ||
        (uint64_t)about.st_size != CHECKPOINT_FIXED + state_bytes + refined + 8) {
        close(fd);
        if (got == sizeof header && memcmp(header, CHECKPOINT_MAGIC, 8) == 0)
            return status_fail(err, errlen, THIRST_ERR_INPUT,
                               "--resume %s: truncated or damaged (%lld bytes, its header says "
                               "%llu)", path, (long long)about.st_size,
                               (unsigned long long)(CHECKPOINT_FIXED + state_bytes + refined + 8));
        if (got >= 8 && memcmp(header, CHECKPOINT_MAGIC, 8) == 0)
            return status_fail(err, errlen, THIRST_ERR_INPUT,
                               "--resume %s: truncated or damaged (%lld bytes, shorter than its "
                               "header)", path, (long long)about.st_size);
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--resume %s: not a thirst checkpoint of this version (%lld bytes, no "
                           "%s header)", path, (long long)about.st_size, CHECKPOINT_MAGIC);
    }
    *size = (size_t)about.st_size;
    *bytes = malloc(*size);
    if (*bytes) {
        memcpy(*bytes, header, sizeof header);
        got += read_all(fd, *bytes + got, *size - got);
    }
    close(fd);
    if (!*bytes || got != *size) {
        free(*bytes);
        *bytes = NULL;
        return status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: cannot read it", path);
    }
    return THIRST_OK;
}

int checkpoint_read(const char *path, checkpoint_header *header, run_state *state,
                    quantile_refinement **refinement, char *err, size_t errlen)
{
    memset(state, 0, sizeof *state);
    *refinement = NULL;
    unsigned char *bytes = NULL;
    size_t size = 0;
    int status = read_file(path, &bytes, &size, err, errlen);
    if (status) return status;
    uint64_t state_bytes = 0, refined = 0, checksum = 0;   /* read_file checked the sizes */
    const unsigned char *p = bytes + 8;
    p = get(p, &header->scenario_hash, 8);
    p = get(p, &header->seed, 8);
    p = get(p, &header->draws, 8);
    p = get_int32(p, &header->sampler);
    p = get_int32(p, &header->replicates);
    p = get_int32(p, &header->numbers_version);
    memcpy(header->version, p, 32);
    header->version[31] = '\0';
    p += 32;
    p = get(p, &header->next_unit, 8);
    p = get(p, &header->rule, 8);
    p = get_int32(p, &header->rounds);
    p = get_int32(p, &header->unreliable_rounds);
    p = get_int32(p, &header->histogram_bits);
    p = get_int32(p, &header->command);
    p = get(p, &refined, 8);
    header->complete = refined > 0;
    p = get(p, &state_bytes, 8);
    get(bytes + size - 8, &checksum, 8);
    header->checksum = checksum;
    if (checksum != fnv1a(FNV_OFFSET, bytes, size - 8)) {
        free(bytes);
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--resume %s: damaged (its checksum does not match its bytes)", path);
    }
    char why[THIRST_ERR_LEN];
    status = run_state_deserialize(state, p, (size_t)state_bytes, why, sizeof why);
    if (status) {
        free(bytes);
        return status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: damaged state: %s", path,
                           why);
    }
    if (refined && (!(*refinement = malloc(sizeof **refinement)) ||
                    get_refinement(p + state_bytes, (size_t)refined, state->output_count,
                                   *refinement))) {
        status = status_fail(err, errlen, *refinement ? THIRST_ERR_INPUT : THIRST_ERR_RUNTIME,
                             *refinement ? "--resume %s: damaged (its exact quantiles)"
                                         : "--resume %s: out of memory", path);
        free(*refinement);
        *refinement = NULL;
        run_state_free(state);
    }
    free(bytes);
    return status;
}

int checkpoint_match(const char *path, const checkpoint_header *expected,
                     const checkpoint_header *found, char *err, size_t errlen)
{
    char differences[THIRST_ERR_LEN] = "";
    size_t used = 0;
    int count = 0;
#define CHECKPOINT_DIFFERENCE(...)                                                         \
    (count++, used += (size_t)snprintf(differences + used, used < sizeof differences       \
                                                               ? sizeof differences - used \
                                                               : 0,                        \
                                       __VA_ARGS__))
    static const char *const commands[] = {"thirst run", "thirst sensitivity"};
    if (found->command != expected->command)
        CHECKPOINT_DIFFERENCE("the command (%s, here %s)",
                              commands[found->command == CHECKPOINT_SENSITIVITY],
                              commands[expected->command == CHECKPOINT_SENSITIVITY]);
    if (found->scenario_hash != expected->scenario_hash)
        CHECKPOINT_DIFFERENCE("%sthe scenario (its text or --set overrides)", used ? ", " : "");
    if (found->seed != expected->seed)
        CHECKPOINT_DIFFERENCE("%sthe seed (%llu, here %llu)", used ? ", " : "",
                              (unsigned long long)found->seed,
                              (unsigned long long)expected->seed);
    if (found->rule != expected->rule)   /* sensitivity: 0 */
        CHECKPOINT_DIFFERENCE("%sthe stopping rule (--draws, or --rel-error, --abs-error and "
                              "--max-draws)", used ? ", " : "");
    else if (!expected->rule && found->draws != expected->draws)
        CHECKPOINT_DIFFERENCE("%sthe draws (%llu, here %llu)", used ? ", " : "",
                              (unsigned long long)found->draws,
                              (unsigned long long)expected->draws);
    if (found->sampler != expected->sampler || found->replicates != expected->replicates)
        CHECKPOINT_DIFFERENCE("%sthe sampler", used ? ", " : "");
    if (found->numbers_version != expected->numbers_version ||
        strcmp(found->version, expected->version) != 0)
        CHECKPOINT_DIFFERENCE("%sthe version (thirst %s, numbers version %d; here %s, %d)",
                              used ? ", " : "", found->version, found->numbers_version,
                              expected->version, expected->numbers_version);
#undef CHECKPOINT_DIFFERENCE
    if (!used) return THIRST_OK;
    return status_fail(err, errlen, THIRST_ERR_INPUT,
                       "--resume %s: made by another run: %s differ%s", path, differences,
                       count > 1 ? "" : "s");
}

uint64_t checkpoint_rule(double rel_error, double abs_error, uint64_t max_draws)
{
    if (!(rel_error > 0) && !(abs_error > 0)) return 0;
    uint64_t hash = fnv1a(FNV_OFFSET, &rel_error, sizeof rel_error);
    hash = fnv1a(hash, &abs_error, sizeof abs_error);
    hash = fnv1a(hash, &max_draws, sizeof max_draws);
    return hash ? hash : 1;
}

checkpoint_header checkpoint_header_of(const scenario *s, uint64_t seed, uint64_t draws,
                                       int sampler, int replicates, uint64_t rule,
                                       uint64_t next_unit)
{
    checkpoint_header header;
    memset(&header, 0, sizeof header);
    header.scenario_hash = checkpoint_scenario_hash(s);
    header.seed = seed;
    header.draws = draws;
    header.sampler = sampler;
    header.replicates = sampler == PLAN_SAMPLER_RQMC ? replicates : 0;
    header.numbers_version = THIRST_NUMBERS_VERSION;
    snprintf(header.version, sizeof header.version, "%s", THIRST_VERSION);
    header.next_unit = next_unit;
    header.rule = rule;
    return header;
}

void checkpoint_resumed_free(checkpoint_resumed *resumed)
{
    run_state_free(&resumed->state);
    free(resumed->refinement);
    resumed->refinement = NULL;
}

int checkpoint_resume(const char *path, const checkpoint_header *expected,
                      checkpoint_resumed *resumed, checkpoint_header *found_out, char *err,
                      size_t errlen)
{
    run_state *state = &resumed->state;
    quantile_refinement **refinement = &resumed->refinement;
    checkpoint_header found;
    const int command = expected->command;
    const uint64_t rule = expected->rule;
    uint64_t draws = expected->draws;
    int status = checkpoint_read(path, &found, state, refinement, err, errlen);
    if (!status) status = checkpoint_match(path, expected, &found, err, errlen);
    /* only a whole fixed run's pass is complete */
    if (!status && found.complete &&
        (command != CHECKPOINT_RUN || rule || found.next_unit * ENGINE_UNIT_DRAWS < draws))
        status = status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: damaged (exact "
                             "quantiles with a pass that is not whole)", path);
    if (status) {
        free(*refinement);
        *refinement = NULL;
    }
    if (!status && command == CHECKPOINT_SENSITIVITY) {
        /* the state must hold exactly the Sobol design's batches [0, next_unit) */
        if (state->sobol_batches == 0 || found.next_unit > (uint64_t)state->sobol_batches ||
            (uint64_t)(state->sobol_end - state->sobol_first) != found.next_unit ||
            (found.next_unit && state->sobol_first != 0))
            status = status_fail(err, errlen, THIRST_ERR_INPUT, "--resume %s: damaged (its "
                                 "state holds Sobol batches [%d, %d), its header says [0, %llu))",
                                 path, state->sobol_first, state->sobol_end,
                                 (unsigned long long)found.next_unit);
        if (status) run_state_free(state);
        else *found_out = found;
        return status;
    }
    if (!status && rule) draws = found.draws;   /* adaptive: the round's */
    /* the state must hold exactly the draws of the units its header says it holds */
    uint64_t held = found.next_unit > draws / ENGINE_UNIT_DRAWS + 1
                        ? draws
                        : found.next_unit * ENGINE_UNIT_DRAWS;
    if (held > draws) held = draws;
    for (int o = 0; !status && o < state->output_count; o++)
        if (state->moments[o].n + state->moments[o].nonfinite != held)
            status = status_fail(err, errlen, THIRST_ERR_INPUT,
                                 "--resume %s: damaged (its state holds %llu draws of output %d, "
                                 "its header says %llu)", path,
                                 (unsigned long long)(state->moments[o].n +
                                                      state->moments[o].nonfinite),
                                 o, (unsigned long long)held);
    if (status) {
        run_state_free(state);
        free(*refinement);
        *refinement = NULL;
        return status;
    }
    *found_out = found;
    return THIRST_OK;
}

int checkpoint_fits(const checkpoint_header *found, int mantissa_bits, uint64_t units, char *err,
                    size_t errlen)
{
    if (found->histogram_bits != mantissa_bits)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--resume: the checkpoint was written by the %s backend (%d histogram "
                           "bits), this run is on the %s backend (%d): resume it with --backend %s",
                           found->histogram_bits == ENGINE_MANTISSA_BITS ? "cpu" : "cuda",
                           found->histogram_bits,
                           mantissa_bits == ENGINE_MANTISSA_BITS ? "cpu" : "cuda", mantissa_bits,
                           found->histogram_bits == ENGINE_MANTISSA_BITS ? "cpu" : "cuda");
    if (found->next_unit > units)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--resume: the checkpoint holds %llu work units, this run has %llu",
                           (unsigned long long)found->next_unit, (unsigned long long)units);
    return THIRST_OK;
}

int checkpoint_stop_asked(const checkpoint_options *c)
{
    if (!c->stop) return 0;
    int stopping = *c->stop != 0;
    char ignored[THIRST_ERR_LEN] = "";
    if (c->agree)
        stopping = c->agree(stopping ? THIRST_ERR_INTERRUPTED : THIRST_OK, ignored,
                            sizeof ignored) != THIRST_OK;
    return stopping;
}

int checkpoint_segment_end(const checkpoint_options *c, int last, struct timespec *clock,
                           const checkpoint_header *header, const run_state *state,
                           int *stopping, char *err, size_t errlen)
{
    *stopping = checkpoint_stop_asked(c);
    if (!c->path) return THIRST_OK;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    const double since = (double)(now.tv_sec - clock->tv_sec) +
                         1e-9 * (double)(now.tv_nsec - clock->tv_nsec);
    /* the writer's clock decides; the others learn whether its write failed */
    const int due = *stopping || last || since >= c->every;
    int status = due && !c->elsewhere
                     ? checkpoint_write(c->path, header, state, NULL, err, errlen)
                     : THIRST_OK;
    if (c->agree) status = c->agree(status, err, errlen);
    if (due) *clock = now;
    return status;
}

int checkpoint_complete(const checkpoint_options *c, const checkpoint_header *header,
                        const run_state *state, const quantile_refinement *refinement,
                        char *err, size_t errlen)
{
    int status = c->elsewhere ? THIRST_OK
                              : checkpoint_write(c->path, header, state, refinement, err, errlen);
    return c->agree ? c->agree(status, err, errlen) : status;
}
