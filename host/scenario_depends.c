/* scenario_depends.c: what each of a scenario's formulas depends on, through the other
 * formulas (its parameters and the model outputs it reads), for `thirst validate`'s listing. */
#include <stdio.h>
#include <string.h>

#include "scenario_formulas.h"

/* Append name to the ", "-separated list out (size bytes) unless it is there. */
static void list_add(char *out, size_t size, const char *name)
{
    size_t n = strlen(name), length = strlen(out);
    for (const char *p = out; *p;) {
        size_t item = strcspn(p, ",");
        if (item == n && !strncmp(p, name, n)) return;
        p += item;
        while (*p == ',' || *p == ' ') p++;
    }
    if (length + n + 3 < size)
        snprintf(out + length, size - length, "%s%s", length ? ", " : "", name);
}

/* Add to out what formula f depends on: the parameters and model outputs it uses, directly or
 * through other formulas (visited marks the formulas already walked). */
static void depends(const scenario *s, int f, char *out, size_t size, unsigned char *visited)
{
    if (visited[f]) return;
    visited[f] = 1;
    const char *p = s->formulas[f].uses;
    while (*p) {
        char name[64];
        size_t item = strcspn(p, ",");
        snprintf(name, sizeof name, "%.*s", (int)(item < sizeof name ? item : sizeof name - 1), p);
        p += item;
        while (*p == ',' || *p == ' ') p++;
        int formula = -1;
        for (int k = 0; k < s->formula_count; k++)
            if (!strcmp(s->formulas[k].name, name)) formula = k;
        if (formula >= 0)
            depends(s, formula, out, size, visited);
        else
            list_add(out, size, name);
    }
}

void scenario_formula_depends(const scenario *s, int f, char *out, size_t size)
{
    unsigned char visited[SCENARIO_MAX_FORMULAS] = {0};
    out[0] = '\0';
    depends(s, f, out, size, visited);
}
