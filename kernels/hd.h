/* hd.h: the one portability switch for math shared by the CPU and CUDA backends.
 * Every header under kernels/ includes this and marks its functions HD so that the same
 * source compiles as C11 (gcc) and as CUDA C (nvcc). Shared headers hold no globals, no
 * malloc, no printf and no variable-length arrays. */
#ifndef THIRST_HD_H
#define THIRST_HD_H

#include <stdint.h>
#include <math.h>

/* HD_STATIC_ALWAYS_INLINE, and HD_STATIC_OUTLINED_ON_HOST (one out-of-line copy per file on the
 * CPU): for the few per-draw functions whose inlining gcc would otherwise decide differently from
 * one caller to the next (measured in bench/README.md, issue 12). HD_UNROLL: unroll the next
 * loop of a constant trip count fully (so that an array indexed by its counter stays in
 * registers on the device); HD_NO_UNROLL: keep the next loop rolled on the device (a rare path
 * whose unrolled copies would only cost registers: copula.h). */
#ifdef __CUDACC__
#define HD __host__ __device__
#define HD_STATIC_ALWAYS_INLINE static __forceinline__ __host__ __device__
#define HD_STATIC_OUTLINED_ON_HOST static inline __host__ __device__
#ifdef __CUDA_ARCH__
#define HD_UNROLL _Pragma("unroll")
#define HD_NO_UNROLL _Pragma("unroll 1")
#else   /* nvcc's host pass: the .cu files' host code never runs these loops */
#define HD_UNROLL
#define HD_NO_UNROLL
#endif
#else
#define HD
#define HD_STATIC_ALWAYS_INLINE static inline __attribute__((always_inline))
#define HD_STATIC_OUTLINED_ON_HOST static __attribute__((noinline, unused))
#define HD_UNROLL _Pragma("GCC unroll 16")
#define HD_NO_UNROLL
#endif

#endif
