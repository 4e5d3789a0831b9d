/* dump.c: the .npy writer behind --dump. */
#include "dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../kernels/draw.h"
#include "output_file.h"
#include "status.h"
#include "units.h"

/* Fields of a record: used input slots (float32), choice-group indices (int32), outputs. */
static int record_bytes(const scenario *s, const draw_plan *plan)
{
    int bytes = 0;
    for (int slot = 0; slot < scenario_input_slots(s); slot++) bytes += scenario_slot_used(s, slot) ? 4 : 0;
    for (int k = 0; k < s->param_count; k++) bytes += s->params[k].is_group ? 4 : 0;
    return bytes + 4 * plan->output_count;
}

uint64_t dump_bytes(const scenario *s, const draw_plan *plan, uint64_t draws)
{
    return draws * (uint64_t)record_bytes(s, plan);
}

/* The .npy header (magic, version 1.0, length, dict padded to a multiple of 64). */
static int npy_header(const scenario *s, const draw_plan *plan, uint64_t draws, char *out,
                      size_t size)
{
    char descr[8192];
    size_t n = (size_t)snprintf(descr, sizeof descr, "[");
    for (int slot = 0; slot < scenario_input_slots(s); slot++)
        if (scenario_slot_used(s, slot))
            n += (size_t)snprintf(descr + n, sizeof descr - n, "('%s', '<f4'), ",
                                  scenario_input_name(s, slot));
    for (int k = 0; k < s->param_count; k++)
        if (s->params[k].is_group)
            n += (size_t)snprintf(descr + n, sizeof descr - n, "('%s', '<i4'), ", s->params[k].name);
    for (int o = 0; o < plan->output_count; o++)
        n += (size_t)snprintf(descr + n, sizeof descr - n, "('%s', '<f4'), ",
                              scenario_output_name(s, plan->outputs[o]));
    if (n >= sizeof descr - 2) return -1;
    descr[n - 2] = ']';
    descr[n - 1] = '\0';
    char dict[9000];
    int length = snprintf(dict, sizeof dict,
                          "{'descr': %s, 'fortran_order': False, 'shape': (%llu,), }", descr,
                          (unsigned long long)draws);
    if (length < 0 || (size_t)length >= sizeof dict) return -1;
    size_t total = 10 + (size_t)length + 1;
    size_t padded = (total + 63) / 64 * 64;
    size_t header_length = padded - 10;
    if (padded > size || header_length > 65535) return -1;
    memcpy(out, "\x93NUMPY\x01\x00", 8);
    out[8] = (char)(header_length & 0xff);
    out[9] = (char)(header_length >> 8);
    memcpy(out + 10, dict, (size_t)length);
    memset(out + 10 + length, ' ', padded - 10 - (size_t)length - 1);
    out[padded - 1] = '\n';
    return (int)padded;
}

int dump_write_npy(const char *path, const scenario *s, const draw_plan *plan, uint64_t draws,
                   char *err, size_t errlen)
{
    uint64_t bytes = dump_bytes(s, plan, draws);
    if (bytes > DUMP_MAX_BYTES)
        return status_fail(err, errlen, THIRST_ERR_INPUT,
                           "--dump: %llu draws would take %.1f GiB, above the %.0f GiB limit; "
                           "dump fewer draws (--draws)", (unsigned long long)draws,
                           (double)bytes / (1024.0 * 1024 * 1024),
                           (double)DUMP_MAX_BYTES / (1024.0 * 1024 * 1024));
    char header[16384];
    int header_bytes = npy_header(s, plan, draws, header, sizeof header);
    if (header_bytes < 0)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "--dump: header too long");
    int record = record_bytes(s, plan);
    unsigned char *row = malloc((size_t)record);
    if (!row) return status_fail(err, errlen, THIRST_ERR_RUNTIME, "out of memory");
    output_file out;
    int status = output_file_open(&out, path, err, errlen);
    if (status) {
        free(row);
        return status;
    }
    FILE *f = out.stream;
    int failed = fwrite(header, 1, (size_t)header_bytes, f) != (size_t)header_bytes;
    for (uint64_t i = 0; i < draws && !failed; i++) {
        float inputs[DRAW_INPUT_SLOTS], outputs[PLAN_MAX_OUTPUTS];
        uint32_t words[DRAW_MAX_WORDS];
        engine_eval_draw(plan, s->prior_data, i, words, inputs, outputs);
        size_t at = 0;
        for (int slot = 0; slot < scenario_input_slots(s); slot++)
            if (scenario_slot_used(s, slot)) {
                memcpy(row + at, &inputs[slot], 4);
                at += 4;
            }
        for (int k = 0; k < s->param_count; k++) {
            if (!s->params[k].is_group) continue;
            const prior_spec *p = &s->params[k].prior;
            int32_t option = prior_choice_index(s->prior_data + p->data_offset, p->data_count,
                                                philox_uniform(words[p->word]));
            memcpy(row + at, &option, 4);
            at += 4;
        }
        for (int o = 0; o < plan->output_count; o++) {
            memcpy(row + at, &outputs[o], 4);
            at += 4;
        }
        failed |= fwrite(row, 1, (size_t)record, f) != (size_t)record;
    }
    if (failed) {
        status = status_fail(err, errlen, THIRST_ERR_RUNTIME, "%s: cannot write: %s", path,
                             strerror(errno));
        output_file_abort(&out);
    } else {
        status = output_file_commit(&out, err, errlen);
    }
    free(row);
    return status;
}
