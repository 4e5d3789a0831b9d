/* utf8.c: the UTF-8 sequence check and the replacement of ill-formed bytes. */
#include "utf8.h"

#include <string.h>

int utf8_sequence(const unsigned char *s, size_t available)
{
    if (available == 0 || s[0] == 0) return 0;
    if (s[0] < 0x80) return 1;
    int n;
    unsigned lowest;
    if (s[0] >= 0xc2 && s[0] <= 0xdf) {
        n = 2;
        lowest = 0x80;
    } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
        n = 3;
        lowest = 0x800;
    } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        n = 4;
        lowest = 0x10000;
    } else {
        return 0;   /* a continuation byte, or the lead byte of an overlong or too large form */
    }
    if (available < (size_t)n) return 0;
    unsigned code = s[0] & (0x7fu >> n);
    for (int k = 1; k < n; k++) {
        if ((s[k] & 0xc0) != 0x80) return 0;   /* also stops at a NUL byte */
        code = (code << 6) | (s[k] & 0x3fu);
    }
    if (code < lowest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
    return n;
}

char *utf8_sanitize(const char *text, char *out, size_t size)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = 0;
    while (*s && n + 4 < size) {
        int length = utf8_sequence(s, 4);
        if (length) {
            memcpy(out + n, s, (size_t)length);
            n += (size_t)length;
            s += length;
        } else {
            memcpy(out + n, "\xef\xbf\xbd", 3);   /* U+FFFD */
            n += 3;
            s++;
        }
    }
    if (size) out[n < size ? n : size - 1] = '\0';
    return out;
}
