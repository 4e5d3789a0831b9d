/* units.c: the table of model inputs (made from kernels/model_lists.h: name, canonical unit,
 * domain) and of unit spellings with their factors to the canonical unit. Conversions are pure
 * scale factors (no offsets), so they apply to every location and scale parameter of a prior
 * alike; shape parameters (gsd, lambda, alpha, beta) and weights are never converted. */
#include "units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const units_param PARAMS[] = {
#define UNITS_PARAM(e, name, unit, family, low, high, low_open, typical_low, typical_high,   \
                    workloads, meaning)                                                   \
    {name, SLOT_##e, unit, family, low, high, low_open, typical_low, typical_high, workloads, \
     meaning},
    MODEL_INPUTS(UNITS_PARAM)
#undef UNITS_PARAM
};

#define PARAM_COUNT ((int)(sizeof PARAMS / sizeof PARAMS[0]))
_Static_assert(PARAM_COUNT == MODEL_SLOT_COUNT, "one parameter per model input");

/* A unit spelling and its factor to its family's canonical unit. */
typedef struct {
    const char *family;
    const char *spelling;
    double factor;
} unit_spelling;

static const unit_spelling SPELLINGS[] = {
    {"count", "count", 1},
    {"time", "h", 1}, {"time", "hours", 1}, {"time", "min", 1.0 / 60}, {"time", "d", 24},
    {"time", "days", 24},
    {"power", "W", 1e-3}, {"power", "kW", 1}, {"power", "MW", 1e3},
    {"energy_kwh", "Wh", 1e-3}, {"energy_kwh", "kWh", 1}, {"energy_kwh", "MWh", 1e3},
    {"energy_kwh", "GWh", 1e6}, {"energy_kwh", "TWh", 1e9},
    {"energy_wh", "mWh", 1e-3}, {"energy_wh", "Wh", 1}, {"energy_wh", "kWh", 1e3},
    {"ratio", "ratio", 1}, {"ratio", "fraction", 1}, {"ratio", "1", 1},
    {"water_per_energy", "L/kWh", 1}, {"water_per_energy", "mL/Wh", 1},
    {"water_per_energy", "L/MWh", 1e-3}, {"water_per_energy", "m3/MWh", 1},
    {"water_per_energy", "gal/kWh", 3.785411784}, {"water_per_energy", "gal/MWh", 3.785411784e-3},
    {"specific_energy", "MJ/kg", 1}, {"specific_energy", "kJ/kg", 1e-3},
    {"carbon_intensity", "kg/kWh", 1}, {"carbon_intensity", "kgCO2e/kWh", 1},
    {"carbon_intensity", "g/kWh", 1e-3}, {"carbon_intensity", "gCO2e/kWh", 1e-3},
    {"carbon_intensity", "t/MWh", 1}, {"carbon_intensity", "tCO2e/MWh", 1},
    {"carbon_intensity", "lb/MWh", 0.45359237e-3},
    {"price", "USD/kWh", 1}, {"price", "$/kWh", 1}, {"price", "USD/MWh", 1e-3},
    {"price", "$/MWh", 1e-3},
    {"volume_ml", "mL", 1}, {"volume_ml", "L", 1e3}, {"volume_ml", "m3", 1e6},
    {"volume_ml", "gal", 3785.411784},
    {"dimensionless", "1", 1},
};

#define SPELLING_COUNT ((int)(sizeof SPELLINGS / sizeof SPELLINGS[0]))

const units_param *units_param_find(const char *name)
{
    for (int k = 0; k < PARAM_COUNT; k++)
        if (strcmp(PARAMS[k].name, name) == 0) return &PARAMS[k];
    return NULL;
}

const units_param *units_param_of_slot(int slot)
{
    return slot >= 0 && slot < PARAM_COUNT ? &PARAMS[slot] : NULL;   /* the list's order */
}

int units_param_count(void) { return PARAM_COUNT; }

const units_param *units_param_at(int k) { return &PARAMS[k]; }

double units_factor(const units_param *param, const char *unit)
{
    for (int k = 0; k < SPELLING_COUNT; k++)
        if (strcmp(SPELLINGS[k].family, param->unit_family) == 0 &&
            strcmp(SPELLINGS[k].spelling, unit) == 0)
            return SPELLINGS[k].factor;
    return 0;
}

const char *units_accepted(const units_param *param)
{
    /* One buffer per family is enough: callers use the text at once. */
    static char text[256];
    text[0] = '\0';
    for (int k = 0; k < SPELLING_COUNT; k++) {
        if (strcmp(SPELLINGS[k].family, param->unit_family) != 0) continue;
        if (text[0]) strncat(text, ", ", sizeof text - strlen(text) - 1);
        strncat(text, SPELLINGS[k].spelling, sizeof text - strlen(text) - 1);
    }
    return text;
}

/* Edit distance between a and b counting insertions, deletions, substitutions and swaps of
 * adjacent characters as one edit each (optimal string alignment); both shorter than 64
 * characters, else large. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= 64 || lb >= 64) return 1000;
    int d[65][65];
    for (size_t i = 0; i <= la; i++) d[i][0] = (int)i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = (int)j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

int units_implausible(const units_param *param, double median, const char *written_unit,
                      char *out, size_t size)
{
    if (!(median < param->typical_low || median > param->typical_high)) return 0;
    const char *unit = written_unit && written_unit[0] ? written_unit : param->unit;
    double factor = units_factor(param, unit);
    double written = factor > 0 ? median / factor : median;
    const char *suggestion = NULL;
    for (int k = 0; k < SPELLING_COUNT && !suggestion; k++) {
        if (strcmp(SPELLINGS[k].family, param->unit_family) || SPELLINGS[k].factor == factor)
            continue;
        double as_that = written * SPELLINGS[k].factor;
        if (as_that >= param->typical_low && as_that <= param->typical_high)
            suggestion = SPELLINGS[k].spelling;
    }
    snprintf(out, size, "median %.4g %s; typical %g-%g %s%s%s%s", written, unit,
             param->typical_low, param->typical_high, param->unit,
             suggestion ? " (did you mean " : "", suggestion ? suggestion : "",
             suggestion ? "?)" : "");
    return 1;
}

const char *units_suggest(const char *word, const char *const *candidates, int count)
{
    const char *best = NULL;
    int best_distance = 4;
    for (int k = 0; k < count; k++) {
        int d = edit_distance(word, candidates[k]);
        if (d < best_distance) {
            best_distance = d;
            best = candidates[k];
        }
    }
    if (best && 2 * best_distance > (int)strlen(word)) return NULL;
    return best;
}
