/* backend.c: choosing a backend from --backend and --device, and the one CUDA -> CPU fallback
 * (backend.h). */
#include "backend.h"

#include <stdio.h>
#include <string.h>

#include "../kernels/launch.h"
#include "engine.h"

draw_plan backend_plan_share(const draw_plan *plan, uint64_t k, uint64_t count)
{
    const uint64_t units = launch_unit_count(plan->draws, ENGINE_UNIT_DRAWS);
    uint64_t from = units * k / count * ENGINE_UNIT_DRAWS;
    uint64_t to = units * (k + 1) / count * ENGINE_UNIT_DRAWS;
    if (to > plan->draws) to = plan->draws;
    if (from > to) from = to;
    draw_plan part = *plan;
    part.first_draw = plan->first_draw + from;
    part.draws = to - from;
    return part;
}

int backend_choose(const char *name, const backend_options *options, backend_choice *choice,
                   char *err, size_t errlen)
{
    memset(choice, 0, sizeof *choice);
    choice->chosen = backend_cpu();
    choice->automatic = strcmp(name, "auto") == 0;
    if (strcmp(name, "cpu") == 0) return THIRST_OK;
    if (options->cpu_only && !choice->automatic)
        return status_fail(err, errlen, THIRST_ERR_INPUT, "--backend cuda: %s (use --backend cpu)",
                           options->cpu_only);
    if (options->cpu_only) return THIRST_OK;   /* auto: the CPU, as the run's header says */
    char reason[THIRST_ERR_LEN - 64];   /* room for the prefixes below */
    int status = backend_cuda()->check(options, choice->device_name, sizeof choice->device_name,
                                       reason, sizeof reason);
    if (status == THIRST_ERR_INPUT && (!choice->automatic || options->device != 0))
        return status_fail(err, errlen, THIRST_ERR_INPUT, "%s", reason);
    if (status) {
        if (!choice->automatic)
            return status_fail(err, errlen, THIRST_ERR_RUNTIME, "--backend cuda: %s", reason);
        snprintf(choice->note, sizeof choice->note, "running on the CPU: %s", reason);
        choice->device_name[0] = '\0';
        return THIRST_OK;
    }
    choice->chosen = backend_cuda();
    if (choice->automatic)
        snprintf(choice->note, sizeof choice->note, "running on CUDA device %d (%s)",
                 options->device, choice->device_name);
    return THIRST_OK;
}

int backend_retry_on_cpu(backend_choice *choice, int status, const char *failure)
{
    if (status != THIRST_ERR_DEVICE || !choice->automatic || choice->chosen == backend_cpu())
        return 0;
    snprintf(choice->note, sizeof choice->note, "CUDA run failed (%s); running on the CPU",
             failure);
    choice->chosen = backend_cpu();
    choice->device_name[0] = '\0';
    return 1;
}
