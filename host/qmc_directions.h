/* qmc_directions.h: the direction numbers of the Sobol' sequence for QMC_MAX_DIMS dimensions
 * (Joe and Kuo 2008), 32 per dimension, which kernels/qmc.h turns into points. */
#ifndef THIRST_QMC_DIRECTIONS_H
#define THIRST_QMC_DIRECTIONS_H

#include <stdint.h>

#include "../kernels/qmc.h"

/* Dimensions with direction numbers: a scenario's 32 priors at most (PLAN_MAX_PRIORS), twice
 * for the Sobol design's rows A and B taken from one sequence. */
#define QMC_MAX_DIMS 64

/* The QMC_BITS direction numbers of dimension dim (0-based, < QMC_MAX_DIMS) into v, as 32-bit
 * binary fractions (v[i] = m_(i+1) 2^(31 - i)); 0, or -1 when dim is out of range. */
int qmc_directions(int dim, uint32_t v[QMC_BITS]);

#endif
