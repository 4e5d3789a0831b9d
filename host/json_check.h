/* json_check.h: what cJSON accepts but a scenario must not contain, checked against the source
 * text of a parsed tree, each problem named by its JSON path:
 * - every number is read by number_parse (JSON's syntax, which cJSON does not enforce: "01",
 *   "1.", "-.5"; finite; no underflow to 0);
 * - every string, keys included, is valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
 *   nothing above U+10FFFF) and holds neither \u0000 (cJSON would cut the string there) nor a
 *   raw control character (JSON requires them escaped).
 * It also keeps the source text of the numbers that are members of the top-level object, so
 * that whole numbers (draws, seeds) are read exactly and not through cJSON's double (only
 * those: --set overrides, applied after the check, replace items deeper down, whose addresses
 * a table would keep). The walk is linear in the size of the text. */
#ifndef THIRST_JSON_CHECK_H
#define THIRST_JSON_CHECK_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* A number item and its source text. */
typedef struct {
    const cJSON *item;
    const char *text;        /* inside the checked text, not NUL-terminated */
    int length;
} json_check_number;

/* Source text of the top-level number items of a tree, sorted by item address. */
typedef struct {
    json_check_number *entries;
    int count;
} json_check_numbers;

/* Check the tree root that cJSON parsed from text (file names the file in messages); fills
 * numbers (free with json_check_free, also after a failure). THIRST_ERR_INPUT with one line
 * naming the JSON path on a problem. */
int json_check_tree(const char *file, const char *text, const cJSON *root,
                    json_check_numbers *numbers, char *err, size_t errlen);

/* The source text of a top-level number item of the checked tree (length in *length), or NULL
 * for any other item. */
const char *json_check_number_text(const json_check_numbers *numbers, const cJSON *item,
                                   int *length);

void json_check_free(json_check_numbers *numbers);

#endif
