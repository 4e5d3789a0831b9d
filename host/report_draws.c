/* report_draws.c: `thirst draws` as CSV (report_draws.h). */
#include "report_draws.h"

#include <math.h>

#include "../kernels/draw.h"

/* ",value" with 9 significant digits, or ",nan". */
static void print_value(FILE *f, float x)
{
    if (isnan(x)) fprintf(f, ",nan");
    else fprintf(f, ",%.9g", (double)x);
}

void report_draws_csv(FILE *f, const scenario *s, const draw_plan *plan, uint64_t first,
                      size_t count, const uint32_t *words, const float *inputs,
                      const float *outputs)
{
    const size_t word_columns = plan->word_count ? (size_t)plan->word_count : 1;
    fprintf(f, "draw");
    for (int j = 0; j < plan->word_count; j++) fprintf(f, ",word%d", j);
    for (int slot = 0; slot < scenario_input_slots(s); slot++)
        if (scenario_slot_used(s, slot)) fprintf(f, ",%s", scenario_input_name(s, slot));
    for (int o = 0; o < plan->output_count; o++)
        fprintf(f, ",%s", scenario_output_name(s, plan->outputs[o]));
    fprintf(f, "\n");
    for (size_t k = 0; k < count; k++) {
        fprintf(f, "%llu", (unsigned long long)(first + k));
        for (int j = 0; j < plan->word_count; j++)
            fprintf(f, ",%08x", words[k * word_columns + (size_t)j]);
        for (int slot = 0; slot < scenario_input_slots(s); slot++)
            if (scenario_slot_used(s, slot))
                print_value(f, inputs[k * DRAW_INPUT_SLOTS + (size_t)slot]);
        for (int o = 0; o < plan->output_count; o++)
            print_value(f, outputs[k * (size_t)plan->output_count + (size_t)o]);
        fprintf(f, "\n");
    }
}
