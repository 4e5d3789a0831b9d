/* json_check.c: a scanner over the source text that yields its strings and numbers in document
 * order, walked in step with cJSON's tree (which keeps members and elements in that order). */
#include "json_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"
#include "status.h"
#include "utf8.h"

#define PATH_LENGTH 256

/* Position in the text; tokens are the strings and numbers (cJSON's view of the syntax). */
typedef struct {
    const char *file;
    const char *text;
    size_t at;
    json_check_numbers *numbers;
    int capacity;
    char *err;
    size_t errlen;
} scanner;

/* Line and column (1-based) of offset at in text. */
static void line_column(const char *text, size_t at, int *line, int *column)
{
    *line = 1;
    *column = 1;
    for (size_t k = 0; k < at && text[k]; k++) {
        if (text[k] == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
}

/* Fail with "file: path: what (line L, column C)" for the byte at offset at. */
static int fail_at(scanner *s, const char *path, size_t at, const char *what)
{
    int line, column;
    line_column(s->text, at, &line, &column);
    return status_fail(s->err, s->errlen, THIRST_ERR_INPUT, "%s: %s: %s (line %d, column %d)",
                       s->file, *path ? path : "(top level)", what, line, column);
}

/* Skip to the next string or number, past whitespace (bytes <= 32, as cJSON), structure and
 * the literals true, false and null. */
static void skip_to_token(scanner *s)
{
    for (;;) {
        unsigned char c = (unsigned char)s->text[s->at];
        if (c == '\0' || c == '"' || c == '-' || (c >= '0' && c <= '9')) return;
        s->at++;   /* no letter of true, false or null starts a token */
    }
}

/* Check the string token at s->at (a key when is_key) and move past it. */
static int check_string(scanner *s, const char *path, int is_key)
{
    skip_to_token(s);
    if (s->text[s->at] != '"')
        return status_fail(s->err, s->errlen, THIRST_ERR_RUNTIME,
                           "%s: %s: JSON check out of step with the parser (internal error)",
                           s->file, path);
    const unsigned char *t = (const unsigned char *)s->text;
    size_t k = s->at + 1;
    const char *where = is_key ? "a key" : "a string";
    char what[96];
    while (t[k] != '"' && t[k] != '\0') {
        if (t[k] == '\\') {
            if (t[k + 1] == 'u' && strncmp((const char *)t + k + 2, "0000", 4) == 0) {
                snprintf(what, sizeof what, "%s holds \\u0000 (NUL), which is not allowed", where);
                return fail_at(s, path, k, what);
            }
            k += t[k + 1] ? 2 : 1;
            continue;
        }
        if (t[k] < 0x20) {
            snprintf(what, sizeof what, "%s holds a raw control character (byte 0x%02x); "
                     "write it escaped", where, t[k]);
            return fail_at(s, path, k, what);
        }
        /* A NUL byte ends the text and is no continuation byte, so 4 is a safe bound. */
        int n = utf8_sequence(t + k, 4);
        if (n == 0) {
            snprintf(what, sizeof what, "%s holds invalid UTF-8 (byte 0x%02x)", where, t[k]);
            return fail_at(s, path, k, what);
        }
        k += (size_t)n;
    }
    s->at = t[k] ? k + 1 : k;
    return THIRST_OK;
}

/* Check the number token at s->at for item, and record its text when record is set. */
static int check_number(scanner *s, const cJSON *item, const char *path, int record)
{
    skip_to_token(s);
    size_t start = s->at;
    while (strchr("0123456789+-eE.", s->text[s->at]) && s->text[s->at]) s->at++;
    size_t length = s->at - start;
    double value;
    int problem = number_parse(s->text + start, length, &value);
    if (problem) {
        char what[160];
        snprintf(what, sizeof what, "expected a number, got '%.*s': %s", (int)(length < 40 ? length : 40),
                 s->text + start, number_problem(problem));
        return fail_at(s, path, start, what);
    }
    if (!record) return THIRST_OK;
    json_check_numbers *n = s->numbers;
    if (n->count == s->capacity) {
        int capacity = s->capacity ? 2 * s->capacity : 64;
        json_check_number *grown = realloc(n->entries, (size_t)capacity * sizeof *grown);
        if (!grown) return status_fail(s->err, s->errlen, THIRST_ERR_RUNTIME, "out of memory");
        n->entries = grown;
        s->capacity = capacity;
    }
    n->entries[n->count].item = item;
    n->entries[n->count].text = s->text + start;
    n->entries[n->count].length = (int)length;
    n->count++;
    return THIRST_OK;
}

/* Walk item (whose path is path, at depth 0 for the root) and its children in document order;
 * the numbers that are members of the root object are recorded. */
static int walk(scanner *s, const cJSON *item, const char *path, int depth)
{
    if (cJSON_IsString(item)) return check_string(s, path, 0);
    if (cJSON_IsNumber(item)) return check_number(s, item, path, depth == 1);
    if (!cJSON_IsObject(item) && !cJSON_IsArray(item)) return THIRST_OK;   /* a literal */
    int index = 0;
    for (const cJSON *child = item->child; child; child = child->next, index++) {
        char child_path[PATH_LENGTH];
        int status, length;
        if (cJSON_IsObject(item)) {
            if ((status = check_string(s, path, 1))) return status;
            length = snprintf(child_path, sizeof child_path, "%s%s%s", path, *path ? "." : "",
                              child->string);
        } else {
            length = snprintf(child_path, sizeof child_path, "%s[%d]", path, index);
        }
        if (length >= (int)sizeof child_path)   /* a deep path is shown cut, marked */
            memcpy(child_path + sizeof child_path - 4, "...", 4);
        if ((status = walk(s, child, child_path, depth + 1))) return status;
    }
    return THIRST_OK;
}

/* Order number entries by item address. */
static int compare_entries(const void *a, const void *b)
{
    const cJSON *x = ((const json_check_number *)a)->item, *y = ((const json_check_number *)b)->item;
    return (x > y) - (x < y);
}

int json_check_tree(const char *file, const char *text, const cJSON *root,
                    json_check_numbers *numbers, char *err, size_t errlen)
{
    memset(numbers, 0, sizeof *numbers);
    scanner s = {file, text, 0, numbers, 0, err, errlen};
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0) s.at = 3;   /* cJSON skips a UTF-8 BOM */
    int status = walk(&s, root, "", 0);
    if (!status && numbers->count > 1)
        qsort(numbers->entries, (size_t)numbers->count, sizeof *numbers->entries,
              compare_entries);
    return status;
}

const char *json_check_number_text(const json_check_numbers *numbers, const cJSON *item,
                                   int *length)
{
    json_check_number key = {item, NULL, 0};
    const json_check_number *found =
        numbers->count ? bsearch(&key, numbers->entries, (size_t)numbers->count,
                                 sizeof key, compare_entries)
                       : NULL;
    if (!found) return NULL;
    *length = found->length;
    return found->text;
}

void json_check_free(json_check_numbers *numbers)
{
    free(numbers->entries);
    numbers->entries = NULL;
    numbers->count = 0;
}
