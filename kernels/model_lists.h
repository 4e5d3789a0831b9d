/* model_lists.h: the footprint model's vocabularies, each written once (Lua's lopcodes.h is the
 * model): its inputs and its outputs. model.h makes the enums from these lists, host/units.c the
 * parameter table of scenario files, host/model_rules.c the output names and the rules of which
 * outputs a scenario reports, and the CUDA kernels their output switch; _Static_asserts check the
 * counts. To add an output: one line in MODEL_OUTPUTS and its formula in model.h; to add an
 * input: one line in MODEL_INPUTS and its use in model.h (docs/ARCHITECTURE.md). */
#ifndef THIRST_MODEL_LISTS_H
#define THIRST_MODEL_LISTS_H

/* Which scenarios take an input. */
#define MODEL_FOR_TRAINING 1
#define MODEL_FOR_INFERENCE 2
#define MODEL_FOR_FOOTPRINT 3   /* training and inference */
#define MODEL_FOR_BENCHMARK 4   /* the Ishigami and G-function benchmark models */

/* Inputs: X(ENUM, name under "params", canonical unit, unit family (host/units.c), smallest
 * value, largest value, 1 when the smallest is excluded, typical low and high (canonical unit:
 * a prior whose median falls outside gets a warning naming a likely unit slip, host/units.c),
 * scenarios that take it, meaning). Typical ranges: accelerators from one to a million; runs
 * from 6 minutes to 11 years; 0.05-15 kW per accelerator (an edge card to an 8-GPU node counted
 * as one, as priors/dgx-a100-fleet-month.json does: 6.5 kW); 0.01-100 Wh per query; PUE 1-3; WUE 0-10 and EWIF 0-30 L/kWh (Li et al. 2025's sites
 * 0.06-1.63 and 1.29-9.50 L/kWh, with room for hydro-heavy grids); 0-1.5 kg CO2e/kWh (above
 * lignite's 1.1); latent heat 2-3 MJ/kg; 0.005-2 USD/kWh. */
#define MODEL_INPUTS(X)                                                                            \
    X(ACCELERATORS, "accelerators", "count", "count", 0, INFINITY, 1, 1, 1e6,                      \
      MODEL_FOR_TRAINING, "number of accelerators (GPUs, TPUs) in the run")                        \
    X(HOURS, "hours", "h", "time", 0, INFINITY, 1, 0.1, 1e5,                                       \
      MODEL_FOR_TRAINING, "wall-clock training time")                                              \
    X(ACCELERATOR_HOURS, "accelerator_hours", "h", "time", 0, INFINITY, 1, 1, 1e9,                 \
      MODEL_FOR_TRAINING, "accelerators x hours")                                                  \
    X(ACCELERATOR_KW, "accelerator_kw", "kW", "power", 0, INFINITY, 1, 0.05, 15,                   \
      MODEL_FOR_TRAINING, "average draw per accelerator incl. its share of host, network, storage")\
    X(ENERGY, "energy", "kWh", "energy_kwh", 0, INFINITY, 1, 1, 1e10,                              \
      MODEL_FOR_TRAINING,                                                                          \
        "energy of the training run; \"basis\" says it (server) or facility (incl. PUE)")          \
    X(WH_PER_QUERY, "wh_per_query", "Wh", "energy_wh", 0, INFINITY, 1, 0.01, 100,                  \
      MODEL_FOR_INFERENCE, "energy per query; \"basis\" says it (server) or facility (incl. PUE)") \
    X(PUE, "pue", "ratio", "ratio", 1, INFINITY, 0, 1, 3,                                          \
      MODEL_FOR_FOOTPRINT, "power usage effectiveness, >= 1")                                      \
    X(WUE_ONSITE, "wue_onsite", "L/kWh", "water_per_energy", 0, INFINITY, 0, 0, 10,                \
      MODEL_FOR_FOOTPRINT, "on-site (scope 1) water consumed per kWh of server energy")            \
    X(EVAPORATION_FRACTION, "evaporation_fraction", "ratio", "ratio", 0, 1, 0, 0, 1,               \
      MODEL_FOR_FOOTPRINT, "share of the heat rejected by evaporation")                            \
    X(CYCLES_OF_CONCENTRATION, "cycles_of_concentration", "ratio", "ratio", 1, INFINITY, 1, 1, 30, \
      MODEL_FOR_FOOTPRINT, "cooling-tower cycles of concentration, > 1")                           \
    X(LATENT_HEAT, "latent_heat", "MJ/kg", "specific_energy", 0, INFINITY, 1, 2, 3,                \
      MODEL_FOR_FOOTPRINT, "latent heat of vaporisation of water (2.45 MJ/kg at 20-25 C)")         \
    X(EWIF, "ewif", "L/kWh", "water_per_energy", 0, INFINITY, 0, 0, 30,                            \
      MODEL_FOR_FOOTPRINT, "water consumed per kWh of electricity generated (scope 2)")            \
    X(CARBON_INTENSITY, "carbon_intensity", "kg/kWh", "carbon_intensity", 0, INFINITY, 0, 0, 1.5, \
      MODEL_FOR_FOOTPRINT, "kg CO2e per kWh of electricity")                                       \
    X(PRICE, "price", "USD/kWh", "price", 0, INFINITY, 0, 0.005, 2,                                \
      MODEL_FOR_FOOTPRINT, "electricity price")                                                    \
    X(QUERIES, "queries", "count", "count", 0, INFINITY, 0, 1, 1e16,                               \
      MODEL_FOR_INFERENCE, "number of queries (inference)")                                        \
    X(BOTTLE_ML, "bottle_ml", "mL", "volume_ml", 0, INFINITY, 1, 10, 5000,                         \
      MODEL_FOR_INFERENCE, "bottle size for queries per bottle (inference)")                       \
    X(RESIDENT_KWH, "resident_kwh", "kWh", "energy_kwh", 0, INFINITY, 1, 1, 1e7,                   \
      MODEL_FOR_TRAINING,                                                                          \
        "electricity one resident uses over the run's period (adds residents-equivalent)")         \
    X(X1, "x1", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 1")                                              \
    X(X2, "x2", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 2")                                              \
    X(X3, "x3", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 3")                                              \
    X(X4, "x4", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 4")                                              \
    X(X5, "x5", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 5")                                              \
    X(X6, "x6", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 6")                                              \
    X(X7, "x7", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 7")                                              \
    X(X8, "x8", "1", "dimensionless", -INFINITY, INFINITY, 0, -INFINITY, INFINITY,                 \
      MODEL_FOR_BENCHMARK, "benchmark model input 8")

/* Outputs, in report order: X(ENUM, name and canonical unit for training, name and unit per
 * query for inference ("" where the workload has none), when a scenario reports it: an
 * expression over p, the scenario's model_presence (host/model_rules.h)). */
#define MODEL_OUTPUTS(X)                                                                          \
    X(IT_ENERGY, "it_energy_kwh", "kWh", "it_energy_wh", "Wh", 1)                                 \
    X(FACILITY_ENERGY, "facility_energy_kwh", "kWh", "facility_energy_wh", "Wh", 1)               \
    X(WATER_ONSITE, "water_onsite_l", "L", "water_onsite_ml", "mL", p.onsite)                     \
    X(WATER_OFFSITE, "water_offsite_l", "L", "water_offsite_ml", "mL", p.offsite)                 \
    X(WATER_TOTAL, "water_total_l", "L", "water_total_ml", "mL", p.onsite && p.offsite)           \
    X(WATER_WITHDRAWAL_ONSITE, "water_withdrawal_onsite_l", "L", "water_withdrawal_onsite_ml",    \
      "mL", p.cycles)                                                                             \
    X(CARBON, "carbon_kg", "kg CO2e", "carbon_g", "g CO2e", p.has[SLOT_CARBON_INTENSITY])         \
    X(COST, "cost_usd", "USD", "cost_usd", "USD", p.has[SLOT_PRICE])                              \
    X(RESIDENTS, "residents", "residents", "", "", p.has[SLOT_RESIDENT_KWH])                      \
    X(QUERIES_PER_BOTTLE, "", "", "queries_per_bottle", "queries",                                \
      !p.training && p.onsite && p.offsite)                                                       \
    X(TOTAL_FACILITY_ENERGY, "", "", "total_facility_energy_kwh", "kWh",                          \
      !p.training && p.has[SLOT_QUERIES])                                                         \
    X(TOTAL_WATER, "", "", "total_water_l", "L",                                                  \
      !p.training && p.has[SLOT_QUERIES] && p.onsite && p.offsite)                                \
    X(TOTAL_CARBON, "", "", "total_carbon_kg", "kg CO2e",                                         \
      !p.training && p.has[SLOT_QUERIES] && p.has[SLOT_CARBON_INTENSITY])

#endif
