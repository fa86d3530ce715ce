/* linebreak.h — where a line may break: UAX #14 (libunibreak) corrected by the Japanese rules
 * of JLREQ / JIS X 4051 (kinsoku). Pure text in, break classes out; no fonts, no PDF. */
#ifndef NC_PDF_LINEBREAK_H
#define NC_PDF_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>

enum {
    NC_BRK_MUST = 0,   /* a break is required after this byte (a hard line break) */
    NC_BRK_ALLOW = 1,  /* a line may break after this byte */
    NC_BRK_NO = 2,     /* a line must not break after this byte */
    NC_BRK_INSIDE = 3  /* not the last byte of a character */
};

/* Fills brk[0..len-1] for UTF-8 text: brk[i] tells whether a line may break after byte i.
 * The last byte of the text gets NC_BRK_ALLOW (the caller knows what follows), or NC_BRK_MUST
 * if the text ends with a line break character (LF, CR, VT, FF, NEL, U+2028/9). lang is a
 * BCP 47 tag such as "ja" or "en" (may be NULL). On top of UAX #14: no line begins with a
 * character that JLREQ forbids at a line start (closing brackets, 、。，．・：；！？, small kana,
 * ー, 々, ゝゞヽヾ, …), none ends with an opening bracket, and inseparable characters (…‥——)
 * stay together; a long URL may break after '/'. Bytes that are not well-formed UTF-8 count
 * as one character each. Safe to call from several threads at once (libunibreak's one-time
 * init runs under pthread_once); allocates nothing. */
void nc_linebreaks(const char *text, size_t len, const char *lang, char *brk);

/* JLREQ classes the layout needs for spacing and justification. */
bool nc_jis_no_line_start(unsigned cp); /* e.g. 、。）」ー ぁ */
bool nc_jis_no_line_end(unsigned cp);   /* opening brackets 「（ */
bool nc_jis_is_cjk(unsigned cp);        /* ideographs, kana, fullwidth punctuation: the
                                           characters that justify by inter-character space */

#endif
