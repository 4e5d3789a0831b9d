/* ranks.h: the processes of one run (DESIGN.md section 12, issue 19). Without MPI (ranks_single.c)
 * there is one, rank 0; built with MPI (CMake THIRST_MPI, ranks_mpi.c and backend_mpi.c) every
 * rank of `mpirun -np N thirst ...` runs the same command, the backend splits each job's work
 * units among the ranks and gives every rank the merged result, so every rank takes the same
 * decisions; rank 0 alone prints and writes files (host/main.c). */
#ifndef THIRST_RANKS_H
#define THIRST_RANKS_H

#include <stddef.h>

#include "backend.h"

/* Start the ranks (MPI_Init_thread; MPI calls come from the main thread alone). THIRST_OK, or
 * THIRST_ERR_RUNTIME with err. */
int ranks_init(int *argc, char ***argv, char *err, size_t errlen);

/* End the ranks (MPI_Finalize). */
void ranks_finalize(void);

/* This process's rank, and how many there are. */
int ranks_rank(void);
int ranks_count(void);

/* The status of all ranks together: the first failing rank's (lowest rank), with its message
 * in err prefixed by its rank when there are several; THIRST_OK when every rank's is. A
 * collective call: every rank calls it at the same point. */
int ranks_agree(int status, char *err, size_t errlen);

/* 1 when value is the same on every rank (a collective call). */
int ranks_same(int value);

/* The backend that runs jobs across the ranks on inner (each rank runs its share of the work
 * units on inner, the results merged in unit order on every rank); inner itself with one rank. */
const backend *ranks_backend(const backend *inner);

#endif
