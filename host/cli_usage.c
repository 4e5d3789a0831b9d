/* cli_usage.c: `thirst --help`, made from the lists of cli.h (host/cli.h: CLI_COMMANDS,
 * CLI_FLAGS): each command and flag with its help text wrapped to 96 columns, each flag with the
 * commands that take it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The lists as tables (the parser's, in cli.c, also hold each flag's reader). */
static const struct {
    const char *name;
    int scenario;
    const char *help;
} COMMANDS[] = {
#define CLI_USAGE_COMMAND(id, name, scenario, help) {name, scenario, help},
    CLI_COMMANDS(CLI_USAGE_COMMAND)
#undef CLI_USAGE_COMMAND
};

static const struct {
    const char *name, *value;
    unsigned commands;
    const char *help;
} FLAGS[] = {
#define CLI_USAGE_FLAG(reader, name, value, commands, help) {name, value, commands, help},
    CLI_FLAGS(CLI_USAGE_FLAG)
#undef CLI_USAGE_FLAG
};

#define FLAG_COUNT ((int)(sizeof FLAGS / sizeof FLAGS[0]))

/* Write text to f wrapped at width columns, each line after the first indented by indent. */
static void wrap(FILE *f, const char *text, int column, int indent, int width)
{
    while (*text) {
        int room = width - column;
        int length = (int)strlen(text);
        int cut = length;
        if (length > room) {
            cut = room;
            while (cut > 0 && text[cut] != ' ') cut--;
            if (cut == 0) cut = (int)strcspn(text, " ");
        }
        fprintf(f, "%.*s\n", cut, text);
        text += cut;
        while (*text == ' ') text++;
        if (*text) fprintf(f, "%*s", indent, "");
        column = indent;
    }
}

void cli_usage(FILE *f)
{
    enum { NAME_WIDTH = 24, WIDTH = 96 };
    fprintf(f, "usage: thirst COMMAND SCENARIO [flags]\n\n"
               "Monte Carlo uncertainty of the energy, water and carbon footprint of AI models.\n"
               "\ncommands:\n");
    for (int k = 0; k < CLI_COMMAND_COUNT; k++) {
        char head[64];
        snprintf(head, sizeof head, "  %s%s", COMMANDS[k].name, COMMANDS[k].scenario ? " SCENARIO" : "");
        fprintf(f, "%-*s", NAME_WIDTH, head);
        if ((int)strlen(head) >= NAME_WIDTH) fprintf(f, "\n%*s", NAME_WIDTH, "");
        wrap(f, COMMANDS[k].help, NAME_WIDTH, NAME_WIDTH, WIDTH);
    }
    fprintf(f, "\nflags, with the commands that take them:\n");
    for (int k = 0; k < FLAG_COUNT; k++) {
        char head[64], text[640], takers[128] = "";
        snprintf(head, sizeof head, "  %s%s%s", FLAGS[k].name, FLAGS[k].value ? " " : "",
                 FLAGS[k].value ? FLAGS[k].value : "");
        for (int c = 0; c < CLI_COMMAND_COUNT; c++)
            if (FLAGS[k].commands & (1u << c)) {
                if (takers[0]) strncat(takers, ", ", sizeof takers - strlen(takers) - 1);
                strncat(takers, COMMANDS[c].name, sizeof takers - strlen(takers) - 1);
            }
        snprintf(text, sizeof text, "%s%s%s%s", FLAGS[k].help, takers[0] ? " [" : "", takers,
                 takers[0] ? "]" : "");
        fprintf(f, "%-*s", NAME_WIDTH, head);
        if ((int)strlen(head) >= NAME_WIDTH) fprintf(f, "\n%*s", NAME_WIDTH, "");
        wrap(f, text, NAME_WIDTH, NAME_WIDTH, WIDTH);
    }
    fprintf(f, "\nExit codes: 0 success, 1 runtime failure, 2 bad flag or scenario, 128 + N when\n"
               "signal N (SIGINT, SIGTERM, SIGHUP) ends the run; unfinished output files are\n"
               "removed. Scenario format: priors/README.md.\n");
}
