/* model_rules.h: how a scenario's parameters wire the built-in model (the rules next to
 * kernels/model_lists.h): which scenarios take which inputs, the energy chain and on-site water
 * mode, the documented defaults, which outputs are reported (the lists' predicates over a
 * model_presence), and the outputs' names and units per workload. */
#ifndef THIRST_MODEL_RULES_H
#define THIRST_MODEL_RULES_H

#include <stddef.h>

#include "scenario.h"

/* What a scenario gives the model, for the outputs' "reported when" predicates. */
typedef struct {
    int training;                 /* a training scenario (else inference) */
    int onsite;                   /* on-site water from wue_onsite or the cooling tower */
    int offsite;                  /* off-site water (ewif) */
    int cycles;                   /* cycles_of_concentration: withdrawal is reported */
    int has[MODEL_SLOT_COUNT];    /* input slots set by a parameter */
} model_presence;

/* Configure s->model, its defaults and its outputs from the slots its parameters set (has)
 * and whether a given energy is facility energy; THIRST_ERR_INPUT with a message naming file
 * and the JSON path when the parameters do not make a model. */
int model_rules_configure(const char *file, scenario *s, const int *has, int basis_facility,
                          char *err, size_t errlen);

/* Name and canonical unit of model output out for a workload (enum model_workload; the
 * benchmark models' one output is "y", unit "1"). */
const char *model_rules_output_name(int workload, int out);
const char *model_rules_output_unit(int workload, int out);

#endif
