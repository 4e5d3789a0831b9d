/* prior_choice.h: a choice prior. A scalar choice (options carry "value") sets the parameter it
 * is named after; a group choice (options carry "values": {param: number}) sets several
 * parameters and may have any name that is not a parameter's. */
#ifndef THIRST_PRIOR_CHOICE_H
#define THIRST_PRIOR_CHOICE_H

#include "loader.h"

/* Read the choice at params.<name> (object, path) into sp; slot_taken marks (and is checked
 * for) slots set elsewhere; option_names gets each option's name ("" when unnamed). */
int prior_choice_parse(parse_ctx *c, const cJSON *object, const char *path, const char *name,
                       scenario_param *sp, int *slot_taken, char (*option_names)[64]);

#endif
