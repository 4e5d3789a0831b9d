/* ranks_mpi.c: ranks.h with MPI (CMake THIRST_MPI): the processes of MPI_COMM_WORLD. MPI is
 * called from the main thread alone (MPI_THREAD_FUNNELED), between OpenMP regions. */
#include "ranks.h"

#include <limits.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include "status.h"

static int world_rank, world_count = 1;

int ranks_init(int *argc, char ***argv, char *err, size_t errlen)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME, "MPI_Init_thread failed");
    if (provided < MPI_THREAD_FUNNELED)
        return status_fail(err, errlen, THIRST_ERR_RUNTIME,
                           "this MPI does not support MPI_THREAD_FUNNELED (OpenMP threads beside "
                           "MPI calls from the main thread)");
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_count);
    return THIRST_OK;
}

void ranks_finalize(void)
{
    MPI_Finalize();
}

int ranks_rank(void) { return world_rank; }

int ranks_count(void) { return world_count; }

int ranks_same(int value)
{
    int low = value, high = value;
    MPI_Allreduce(&value, &low, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    MPI_Allreduce(&value, &high, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return low == high;
}

int ranks_agree(int status, char *err, size_t errlen)
{
    int failed = status ? world_rank : INT_MAX, first = INT_MAX;
    MPI_Allreduce(&failed, &first, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (first == INT_MAX) return THIRST_OK;
    int code = status;
    char message[THIRST_ERR_LEN];
    snprintf(message, sizeof message, "%s", world_rank == first ? err : "");
    MPI_Bcast(&code, 1, MPI_INT, first, MPI_COMM_WORLD);
    MPI_Bcast(message, (int)sizeof message, MPI_CHAR, first, MPI_COMM_WORLD);
    if (world_count > 1)
        snprintf(err, errlen, "rank %d of %d: %.*s", first, world_count, THIRST_ERR_LEN - 32,
                 message);
    else
        snprintf(err, errlen, "%s", message);
    return code;
}
