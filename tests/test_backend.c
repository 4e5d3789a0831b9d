/* test_backend.c: choosing a backend and the one CUDA -> CPU fallback (host/backend.c).
 * - backend_retry_on_cpu retries only a device failure (THIRST_ERR_DEVICE) of a CUDA backend
 *   that --backend auto chose: never a model or statistics failure (THIRST_ERR_RUNTIME), a bad
 *   input, a success, an explicit --backend cuda, or a job already on the CPU; after a retry the
 *   choice is the CPU and its note says why.
 * - backend_choose: cpu is the CPU; on a machine without a usable CUDA device (this test skips
 *   those checks where one is present) auto chooses the CPU and says why, and cuda fails with a
 *   message naming --backend cuda. */
#include <string.h>

#include "backend.h"
#include "check.h"
#include "status.h"

/* A choice as backend_choose makes it: automatic or not, on the CPU or the CUDA backend. */
static backend_choice choice_of(int automatic, const backend *chosen)
{
    backend_choice c;
    memset(&c, 0, sizeof c);
    c.automatic = automatic;
    c.chosen = chosen;
    return c;
}

static void test_retry(void)
{
    const int statuses[] = {THIRST_OK, THIRST_ERR_RUNTIME, THIRST_ERR_INPUT, THIRST_ERR_DEVICE};
    for (int s = 0; s < 4; s++)
        for (int automatic = 0; automatic < 2; automatic++)
            for (int on_cuda = 0; on_cuda < 2; on_cuda++) {
                backend_choice c = choice_of(automatic, on_cuda ? backend_cuda() : backend_cpu());
                int retried = backend_retry_on_cpu(&c, statuses[s], "kernel launch failed");
                int expected = statuses[s] == THIRST_ERR_DEVICE && automatic && on_cuda;
                CHECK(retried == expected, "status %d, automatic %d, on CUDA %d: retried %d",
                      statuses[s], automatic, on_cuda, retried);
                if (retried)
                    CHECK(c.chosen == backend_cpu() && strstr(c.note, "kernel launch failed") &&
                              strstr(c.note, "CPU") && c.device_name[0] == '\0',
                          "after a retry: '%s'", c.note);
                else
                    CHECK(c.chosen == (on_cuda ? backend_cuda() : backend_cpu()),
                          "a choice that is not retried must not change");
            }
}

static void test_choose(void)
{
    char err[THIRST_ERR_LEN] = "";
    backend_options options = {.threads = 1, .device = 0};
    backend_choice c;
    CHECK(backend_choose("cpu", &options, &c, err, sizeof err) == THIRST_OK &&
              c.chosen == backend_cpu() && !c.automatic && c.note[0] == '\0',
          "--backend cpu: %s", err);
    /* A job only the CPU can run (more than 13 outputs): auto takes the CPU whatever the machine has;
     * --backend cuda is refused as bad input, naming the reason. */
    backend_options cpu_only = options;
    cpu_only.cpu_only = "more reported outputs than the GPU kernels take";
    CHECK(backend_choose("auto", &cpu_only, &c, err, sizeof err) == THIRST_OK &&
              c.chosen == backend_cpu() && c.automatic,
          "--backend auto, CPU-only job: %s", err);
    CHECK(backend_choose("cuda", &cpu_only, &c, err, sizeof err) == THIRST_ERR_INPUT &&
              strstr(err, "--backend cuda: more reported outputs than the GPU kernels take"),
          "--backend cuda, CPU-only job: '%s'", err);
    char name[256], reason[THIRST_ERR_LEN];
    if (backend_cuda()->check(&options, name, sizeof name, reason, sizeof reason) == THIRST_OK) {
        printf("a CUDA device is present (%s): the no-device checks are skipped\n", name);
        return;
    }
    CHECK(backend_choose("auto", &options, &c, err, sizeof err) == THIRST_OK &&
              c.chosen == backend_cpu() && c.automatic && strstr(c.note, "running on the CPU"),
          "--backend auto without a device: %s / %s", err, c.note);
    int status = backend_choose("cuda", &options, &c, err, sizeof err);
    CHECK(status != THIRST_OK && status != THIRST_ERR_INPUT && strstr(err, "--backend cuda"),
          "--backend cuda without a device: status %d, '%s'", status, err);
}

int main(void)
{
    test_retry();
    test_choose();
    return check_done("test_backend");
}
