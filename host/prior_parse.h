/* prior_parse.h: one single-valued prior read from its JSON object (every distribution but
 * choice, prior_choice.h), and the checks every prior shares: the parameter's unit and its
 * physical domain. */
#ifndef THIRST_PRIOR_PARSE_H
#define THIRST_PRIOR_PARSE_H

#include "loader.h"
#include "units.h"

/* The canonical prior of distribution dist read from object at path (values in the file's
 * unit, factor converts to canonical); *support_low/high get its support (canonical). */
int prior_parse_single(parse_ctx *c, const cJSON *object, const char *path, const char *dist,
                       double factor, prior_spec *p, double *support_low, double *support_high);

/* Check that [support_low, support_high] lies in parameter u's domain. */
int prior_parse_domain(parse_ctx *c, const char *path, const units_param *u, const char *dist,
                       double support_low, double support_high);

/* The factor of member "unit" of object for parameter u (1 when absent; unit gets the text). */
int prior_parse_unit(parse_ctx *c, const cJSON *object, const char *path, const units_param *u,
                     char *unit, size_t size, double *factor);

#endif
