/* units.h: the model's input parameters as a scenario names them: canonical unit, physical
 * domain, the unit spellings accepted with their conversion factors, and the closest-name
 * suggestion used in error messages. */
#ifndef THIRST_UNITS_H
#define THIRST_UNITS_H

#include "../kernels/model.h"

/* One model input as the scenario file sees it. */
typedef struct {
    const char *name;          /* key under "params" */
    int slot;                  /* enum model_slot */
    const char *unit;          /* canonical unit */
    const char *unit_family;   /* which conversion table applies */
    double domain_low;         /* smallest allowed value (canonical unit) */
    double domain_high;        /* largest allowed value */
    int low_open;              /* 1 when domain_low itself is not allowed */
    double typical_low;        /* typical values (canonical unit): a median outside them */
    double typical_high;       /* gets a warning (units_implausible) */
    int workloads;             /* MODEL_FOR_* bits: which scenarios take it */
    const char *meaning;       /* one line for --help and errors */
} units_param;

/* The parameter named name, or NULL. */
const units_param *units_param_find(const char *name);

/* The parameter of model slot slot (never NULL for a valid slot). */
const units_param *units_param_of_slot(int slot);

/* Number of known parameters, and the k-th (0 <= k < count). */
int units_param_count(void);
const units_param *units_param_at(int k);

/* Factor that converts a value written in unit to the parameter's canonical unit; returns 0
 * when unit is not a spelling of the parameter's unit family. */
double units_factor(const units_param *param, const char *unit);

/* Comma-separated accepted spellings for the parameter's unit family (for error messages). */
const char *units_accepted(const units_param *param);

/* When median (canonical unit) lies outside param's typical range: 1, with a message into out
 * ("median 330 kW; typical 0.05-2 kW (did you mean W?)", the median in the file's unit
 * written_unit, "" for canonical, and a spelling of the unit family under which the number as
 * written would be typical); else 0. */
int units_implausible(const units_param *param, double median, const char *written_unit,
                      char *out, size_t size);

/* The candidate closest to word by edit distance when it is a plausible typo (distance <= 3
 * and less than half the word), else NULL. */
const char *units_suggest(const char *word, const char *const *candidates, int count);

#endif
