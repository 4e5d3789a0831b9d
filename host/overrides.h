/* overrides.h: --set overrides applied to a scenario's JSON tree before it is validated. */
#ifndef THIRST_OVERRIDES_H
#define THIRST_OVERRIDES_H

#include "loader.h"

/* Apply one override text ("name=value" or "name.field=value") to root: a plain value fixes a
 * parameter at that number (in its file unit); a choice over several parameters takes an
 * option's name and keeps only that option; a field override replaces one field. */
int overrides_apply(parse_ctx *c, cJSON *root, const char *text);

#endif
