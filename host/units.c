/* units.c: the table of model inputs (name, canonical unit, domain) and of unit spellings with
 * their factors to the canonical unit. Conversions are pure scale factors (no offsets), so they
 * apply to every location and scale parameter of a prior alike; shape parameters (gsd, lambda,
 * alpha, beta) and weights are never converted. */
#include "units.h"

#include <math.h>
#include <string.h>

static const units_param PARAMS[] = {
    {"accelerators", SLOT_ACCELERATORS, "count", "count", 0, INFINITY, 1,
     "number of accelerators (GPUs, TPUs) in the run"},
    {"hours", SLOT_HOURS, "h", "time", 0, INFINITY, 1, "wall-clock training time"},
    {"accelerator_hours", SLOT_ACCELERATOR_HOURS, "h", "time", 0, INFINITY, 1,
     "accelerators x hours"},
    {"accelerator_kw", SLOT_ACCELERATOR_KW, "kW", "power", 0, INFINITY, 1,
     "average draw per accelerator incl. its share of host, network, storage"},
    {"energy", SLOT_ENERGY, "kWh", "energy_kwh", 0, INFINITY, 1,
     "energy of the training run; \"basis\" says it (server) or facility (incl. PUE)"},
    {"wh_per_query", SLOT_WH_PER_QUERY, "Wh", "energy_wh", 0, INFINITY, 1,
     "energy per query; \"basis\" says it (server) or facility (incl. PUE)"},
    {"pue", SLOT_PUE, "ratio", "ratio", 1, INFINITY, 0, "power usage effectiveness, >= 1"},
    {"wue_onsite", SLOT_WUE_ONSITE, "L/kWh", "water_per_energy", 0, INFINITY, 0,
     "on-site (scope 1) water consumed per kWh of server energy"},
    {"evaporation_fraction", SLOT_EVAPORATION_FRACTION, "ratio", "ratio", 0, 1, 0,
     "share of the heat rejected by evaporation"},
    {"cycles_of_concentration", SLOT_CYCLES_OF_CONCENTRATION, "ratio", "ratio", 1, INFINITY, 1,
     "cooling-tower cycles of concentration, > 1"},
    {"latent_heat", SLOT_LATENT_HEAT, "MJ/kg", "specific_energy", 0, INFINITY, 1,
     "latent heat of vaporisation of water (2.45 MJ/kg at 20-25 C)"},
    {"ewif", SLOT_EWIF, "L/kWh", "water_per_energy", 0, INFINITY, 0,
     "water consumed per kWh of electricity generated (scope 2)"},
    {"carbon_intensity", SLOT_CARBON_INTENSITY, "kg/kWh", "carbon_intensity", 0, INFINITY, 0,
     "kg CO2e per kWh of electricity"},
    {"price", SLOT_PRICE, "USD/kWh", "price", 0, INFINITY, 0, "electricity price"},
    {"queries", SLOT_QUERIES, "count", "count", 0, INFINITY, 0, "number of queries (inference)"},
    {"bottle_ml", SLOT_BOTTLE_ML, "mL", "volume_ml", 0, INFINITY, 1,
     "bottle size for queries per bottle (inference)"},
    {"resident_kwh", SLOT_RESIDENT_KWH, "kWh", "energy_kwh", 0, INFINITY, 1,
     "electricity one resident uses over the run's period (adds residents-equivalent)"},
    {"x1", SLOT_X1, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 1"},
    {"x2", SLOT_X2, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 2"},
    {"x3", SLOT_X3, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 3"},
    {"x4", SLOT_X4, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 4"},
    {"x5", SLOT_X5, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 5"},
    {"x6", SLOT_X6, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 6"},
    {"x7", SLOT_X7, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 7"},
    {"x8", SLOT_X8, "1", "dimensionless", -INFINITY, INFINITY, 0, "benchmark model input 8"},
};

#define PARAM_COUNT ((int)(sizeof PARAMS / sizeof PARAMS[0]))

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
    for (int k = 0; k < PARAM_COUNT; k++)
        if (PARAMS[k].slot == slot) return &PARAMS[k];
    return NULL;
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
