/* hd.h: the one portability switch for math shared by the CPU and CUDA backends.
 * Every header under kernels/ includes this and marks its functions HD so that the same
 * source compiles as C11 (gcc) and as CUDA C (nvcc). Shared headers hold no globals, no
 * malloc, no printf and no variable-length arrays. */
#ifndef THIRST_HD_H
#define THIRST_HD_H

#include <stdint.h>
#include <math.h>

#ifdef __CUDACC__
#define HD __host__ __device__
#else
#define HD
#endif

#endif
