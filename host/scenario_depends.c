/* scenario_depends.c: what each of a scenario's formulas depends on, through the other
 * formulas (its parameters and the model outputs it reads), and `thirst validate`'s summary of
 * a scenario. */
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

void scenario_describe(FILE *f, const scenario *s, const char *path)
{
    int sampled = 0;
    for (int k = 0; k < s->param_count; k++) sampled += s->params[k].sampled;
    fprintf(f, "%s: valid scenario '%s' (%s; %d parameters, %d uncertain; outputs: ", path, s->id,
            scenario_workload_name(s), s->param_count, sampled);
    for (int o = 0; o < s->output_count; o++)
        fprintf(f, "%s%s", o ? ", " : "", scenario_output_name(s, s->outputs[o]));
    fprintf(f, ")\n");
    for (int k = 0; k < s->formula_count; k++) {
        const scenario_formula *x = &s->formulas[k];
        char depends[1024];
        scenario_formula_depends(s, k, depends, sizeof depends);
        fprintf(f, "  %s %s = %s\n",
                x->output >= 0 ? "output" : x->fed_slot >= 0 ? "input" : "formula", x->name,
                x->text);
        fprintf(f, "    %s%s%s; depends on: %s\n",
                x->output >= 0 ? "reported" : x->fed_slot >= 0 ? "feeds the model" : "intermediate",
                x->unit[0] ? ", unit " : "", x->unit, depends[0] ? depends : "constants only");
    }
}
