/* sobol.h: one base draw of the streamed Sobol design, shared by the CPU and CUDA backends.
 * Row i of A is the run's draw i (stream (seed, i)); row i of B is stream (seed, 2^63 + i);
 * A_B^k is A with input k redrawn from B's uniform word for k. The draw's contributions to the
 * estimators go to terms[], per reported output o at o * SOBOL_STRIDE(k):
 *   [0] a = f(A) - shift, [1] b = f(B) - shift, [2] a^2, [3] b^2,
 *   [4 + k] b (f(A_B^k) - f(A)) scale      (Saltelli et al. 2010, first order),
 *   [4 + K + k] ((f(A) - f(A_B^k)) scale)^2  (Jansen 1999, total).
 * k + 2 model evaluations per base draw; nothing is stored. */
#ifndef THIRST_SOBOL_H
#define THIRST_SOBOL_H

#include "draw.h"
#include "model.h"

#define SOBOL_B_STREAM 0x8000000000000000ull
#define SOBOL_STRIDE(inputs) (4 + 2 * (inputs))
#define SOBOL_CHUNK 64   /* consecutive base draws summed together (in float on the GPU) */

/* The terms of base draw i (seed seed), from its A and B words. outputs[] are model outputs
 * (enum), shift[] their pilot means, scale[] their scale factors. */
static inline HD void sobol_draw(const prior_spec *priors, int prior_count, const float *data,
                                 const float *fixed_inputs, const model_config *model,
                                 const int32_t *outputs, int output_count, const float *shift,
                                 const float *scale, uint64_t seed, uint64_t i,
                                 const uint32_t *words_a, const uint32_t *words_b, float *terms)
{
    float in_a[MODEL_SLOT_COUNT], in_b[MODEL_SLOT_COUNT], in_ab[MODEL_SLOT_COUNT];
    float y_a[MODEL_OUTPUT_COUNT], y_b[MODEL_OUTPUT_COUNT], y_ab[MODEL_OUTPUT_COUNT];
    draw_inputs(priors, prior_count, data, fixed_inputs, seed, i, words_a, in_a);
    draw_inputs(priors, prior_count, data, fixed_inputs, seed, SOBOL_B_STREAM + i, words_b, in_b);
    model_eval(model, in_a, y_a);
    model_eval(model, in_b, y_b);
    const int stride = SOBOL_STRIDE(prior_count);
    for (int o = 0; o < output_count; o++) {
        float a = (y_a[outputs[o]] - shift[o]) * scale[o];
        float b = (y_b[outputs[o]] - shift[o]) * scale[o];
        float *t = terms + o * stride;
        t[0] = a;
        t[1] = b;
        t[2] = a * a;
        t[3] = b * b;
    }
    for (int k = 0; k < prior_count; k++) {
        for (int s = 0; s < MODEL_SLOT_COUNT; s++) in_ab[s] = in_a[s];
        prior_apply(&priors[k], data,
                    draw_uniform(&priors[k], seed, SOBOL_B_STREAM + i, words_b[priors[k].word]),
                    in_ab, 1);
        model_eval(model, in_ab, y_ab);
        for (int o = 0; o < output_count; o++) {
            float *t = terms + o * stride;
            float difference = (y_ab[outputs[o]] - y_a[outputs[o]]) * scale[o];
            t[4 + k] = t[1] * difference;
            t[4 + prior_count + k] = difference * difference;
        }
    }
}

#endif
