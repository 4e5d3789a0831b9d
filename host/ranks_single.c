/* ranks_single.c: ranks.h without MPI: one process, rank 0 of 1. */
#include "ranks.h"

int ranks_init(int *argc, char ***argv, char *err, size_t errlen)
{
    (void)argc;
    (void)argv;
    (void)err;
    (void)errlen;
    return THIRST_OK;
}

void ranks_finalize(void) {}

int ranks_rank(void) { return 0; }

int ranks_count(void) { return 1; }

int ranks_agree(int status, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    return status;
}

int ranks_same(int value)
{
    (void)value;
    return 1;
}

const backend *ranks_backend(const backend *inner) { return inner; }
