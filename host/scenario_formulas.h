/* scenario_formulas.h: the loader's part for a scenario's own model (DESIGN.md section 9):
 * "formulas", "outputs", the user's own parameters and "model": "formula", checked and compiled
 * into the scenario's formula_plan (host/scenario_formulas.c). */
#ifndef THIRST_SCENARIO_FORMULAS_H
#define THIRST_SCENARIO_FORMULAS_H

#include <stdio.h>

#include "loader.h"

/* 1 when the file has formulas, outputs or "model": "formula" (then parameters that are not
 * model inputs are the user's own). */
int scenario_formulas_present(const cJSON *root);

/* A name for a parameter of the user's own at path: a word formulas can use, not a function, a
 * constant or a model output. */
int scenario_formulas_check_user_name(parse_ctx *c, const char *path, const char *name);

/* Read "formulas" and "outputs" (names, texts, units; formulas named after a model input feed
 * it, marked in slot_taken; one feeding energy or wh_per_query gives its "basis" as parameters
 * do, into *basis_facility), before the model's rules are applied. */
int scenario_formulas_read(parse_ctx *c, const cJSON *root, scenario *s, int *slot_taken,
                           int *basis_facility);

/* After the model's rules: resolve every name, order the formulas, compile them into
 * s->formula_plan and append the scenario's own outputs to s->outputs. */
int scenario_formulas_build(parse_ctx *c, scenario *s);

/* What formula f of s depends on, through other formulas: its parameters and the model's
 * outputs it uses, ", "-separated into out (size bytes). */
void scenario_formula_depends(const scenario *s, int f, char *out, size_t size);

/* thirst validate's summary of s (read from path) to f: its parameters and outputs, and each
 * formula with what it depends on. */
void scenario_describe(FILE *f, const scenario *s, const char *path);

#endif
