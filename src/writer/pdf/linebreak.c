/* linebreak.c — line-break opportunities: libunibreak's UAX #14 corrected by JLREQ kinsoku and
 * a URL rule. Pure text in, break classes out: no fonts, no PDF, no globals but the once-flag
 * of libunibreak's init, no allocation but a copy for the characters libunibreak cannot take. */
#include "linebreak.h" /* ours: a quoted include looks in this folder first */

#include <linebreak.h> /* libunibreak's */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "noteconv/noteconv.h"
#include "writer/pdf/libs.h" /* last: it redirects the libraries' names */

#ifndef LINEBREAK_VERSION
#error "<linebreak.h> must be libunibreak's: keep src/writer/pdf off the include path"
#endif

_Static_assert(NC_BRK_MUST == LINEBREAK_MUSTBREAK && NC_BRK_ALLOW == LINEBREAK_ALLOWBREAK &&
                   NC_BRK_NO == LINEBREAK_NOBREAK && NC_BRK_INSIDE == LINEBREAK_INSIDEACHAR,
               "our break classes are libunibreak's, so its output is used as is");

/* libunibreak 1.1 builds a lookup index in a global on init_linebreak(); without it lookups are
 * slow, and two threads doing the first call at once would race. pthread_once makes the one
 * write happen-before every later read, so nc_linebreaks is safe to call from any thread. */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* A byte that does not start a well-formed UTF-8 sequence: one character of its own. Outside
 * Unicode, so no predicate matches it. */
#define BAD 0x110000u

struct range {
    unsigned lo, hi;
};

/* JLREQ classes that must not begin a line (non-ASCII; ASCII is in a_no_start()). */
static const struct range no_start_tab[] = {
    {0x00A2, 0x00A2}, /* ¢  cl-20 postfixed abbreviation */
    {0x00B0, 0x00B0}, /* °  cl-20 */
    {0x00BB, 0x00BB}, /* »  cl-02 closing bracket */
    {0x2010, 0x2010}, /* ‐  cl-03 hyphen */
    {0x2013, 0x2013}, /* –  cl-03 */
    {0x2019, 0x2019}, /* ’  cl-02 */
    {0x201D, 0x201D}, /* ”  cl-02 */
    {0x2030, 0x2030}, /* ‰  cl-20 */
    {0x2032, 0x2033}, /* ′″ cl-20 */
    {0x203C, 0x203C}, /* ‼  cl-04 dividing punctuation */
    {0x2047, 0x2049}, /* ⁇⁈⁉ cl-04 */
    {0x2103, 0x2103}, /* ℃  cl-20 */
    {0x2109, 0x2109}, /* ℉  cl-20 */
    {0x3001, 0x3002}, /* 、。 cl-07 comma, cl-06 full stop */
    {0x3005, 0x3005}, /* 々  cl-09 iteration mark */
    {0x3009, 0x3009}, /* 〉  cl-02 */
    {0x300B, 0x300B}, /* 》 */
    {0x300D, 0x300D}, /* 」 */
    {0x300F, 0x300F}, /* 』 */
    {0x3011, 0x3011}, /* 】 */
    {0x3015, 0x3015}, /* 〕 */
    {0x3017, 0x3017}, /* 〗 */
    {0x3019, 0x3019}, /* 〙 */
    {0x301B, 0x301C}, /* 〛 cl-02, 〜 cl-03 */
    {0x301E, 0x301F}, /* 〞〟 cl-02 */
    {0x303B, 0x303B}, /* 〻  cl-09 */
    {0x3041, 0x3041}, /* ぁ  cl-11 small kana */
    {0x3043, 0x3043}, /* ぃ */
    {0x3045, 0x3045}, /* ぅ */
    {0x3047, 0x3047}, /* ぇ */
    {0x3049, 0x3049}, /* ぉ */
    {0x3063, 0x3063}, /* っ */
    {0x3083, 0x3083}, /* ゃ */
    {0x3085, 0x3085}, /* ゅ */
    {0x3087, 0x3087}, /* ょ */
    {0x308E, 0x308E}, /* ゎ */
    {0x3095, 0x3096}, /* ゕゖ */
    {0x309D, 0x309E}, /* ゝゞ cl-09 */
    {0x30A0, 0x30A1}, /* ゠ cl-03, ァ cl-11 */
    {0x30A3, 0x30A3}, /* ィ */
    {0x30A5, 0x30A5}, /* ゥ */
    {0x30A7, 0x30A7}, /* ェ */
    {0x30A9, 0x30A9}, /* ォ */
    {0x30C3, 0x30C3}, /* ッ */
    {0x30E3, 0x30E3}, /* ャ */
    {0x30E5, 0x30E5}, /* ュ */
    {0x30E7, 0x30E7}, /* ョ */
    {0x30EE, 0x30EE}, /* ヮ */
    {0x30F5, 0x30F6}, /* ヵヶ */
    {0x30FB, 0x30FE}, /* ・ cl-05, ー cl-10, ヽヾ cl-09 */
    {0x31F0, 0x31FF}, /* ㇰ-ㇿ cl-11 (Ainu small katakana) */
    {0xFF01, 0xFF01}, /* ！ cl-04 */
    {0xFF05, 0xFF05}, /* ％ cl-20 */
    {0xFF09, 0xFF09}, /* ） cl-02 */
    {0xFF0C, 0xFF0C}, /* ， cl-07 */
    {0xFF0E, 0xFF0E}, /* ． cl-06 */
    {0xFF1A, 0xFF1B}, /* ：； cl-05 */
    {0xFF1F, 0xFF1F}, /* ？ cl-04 */
    {0xFF3D, 0xFF3D}, /* ］ cl-02 */
    {0xFF5D, 0xFF5E}, /* ｝ cl-02, ～ (used for 〜 by Windows input methods) */
    {0xFF60, 0xFF61}, /* ｠ cl-02, ｡ halfwidth cl-06 */
    {0xFF63, 0xFF65}, /* ｣､･ halfwidth cl-02, cl-07, cl-05 */
    {0xFF67, 0xFF70}, /* ｧ-ｯ halfwidth cl-11, ｰ halfwidth cl-10 */
    {0xFFE0, 0xFFE0}, /* ￠ cl-20 */
    {0x1B132, 0x1B132}, /* small kana extension: cl-11 */
    {0x1B150, 0x1B152},
    {0x1B155, 0x1B155},
    {0x1B164, 0x1B167},
};

/* JLREQ cl-01 opening brackets (non-ASCII; ASCII is in a_no_end()): no line ends with one. */
static const struct range no_end_tab[] = {
    {0x00AB, 0x00AB}, /* « */
    {0x2018, 0x2018}, /* ‘ */
    {0x201C, 0x201C}, /* “ */
    {0x3008, 0x3008}, /* 〈 */
    {0x300A, 0x300A}, /* 《 */
    {0x300C, 0x300C}, /* 「 */
    {0x300E, 0x300E}, /* 『 */
    {0x3010, 0x3010}, /* 【 */
    {0x3014, 0x3014}, /* 〔 */
    {0x3016, 0x3016}, /* 〖 */
    {0x3018, 0x3018}, /* 〘 */
    {0x301A, 0x301A}, /* 〚 */
    {0x301D, 0x301D}, /* 〝 */
    {0xFF08, 0xFF08}, /* （ */
    {0xFF3B, 0xFF3B}, /* ［ */
    {0xFF5B, 0xFF5B}, /* ｛ */
    {0xFF5F, 0xFF5F}, /* ｟ */
    {0xFF62, 0xFF62}, /* ｢ */
};

/* Characters set solid with inter-character space in justification. Hangul is left out:
 * Korean justifies at its word spaces like Latin. */
static const struct range cjk_tab[] = {
    {0x2E80, 0x2FFF},   /* CJK and Kangxi radicals, ideographic description */
    {0x3000, 0x303F},   /* CJK symbols and punctuation */
    {0x3040, 0x30FF},   /* hiragana, katakana */
    {0x3100, 0x312F},   /* bopomofo */
    {0x3190, 0x31FF},   /* kanbun, bopomofo extended, strokes, katakana extension */
    {0x3200, 0x33FF},   /* enclosed CJK letters, CJK compatibility (㈱ ㌔) */
    {0x3400, 0x4DBF},   /* Han extension A */
    {0x4E00, 0x9FFF},   /* Han */
    {0xF900, 0xFAFF},   /* Han compatibility */
    {0xFE30, 0xFE4F},   /* CJK compatibility forms */
    {0xFF01, 0xFF60},   /* fullwidth forms */
    {0xFF61, 0xFF9F},   /* halfwidth katakana and punctuation */
    {0xFFE0, 0xFFE6},   /* fullwidth signs ￠￡￥ */
    {0x1B000, 0x1B16F}, /* kana supplement and extensions */
    {0x20000, 0x2FA1F}, /* Han extensions B-F, compatibility supplement */
    {0x30000, 0x323AF}, /* Han extensions G, H */
};

static bool inset(const struct range *t, size_t n, unsigned cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ASCII: by plain comparisons, inlined, so ASCII text makes no calls per character. */
static inline bool a_alnum(unsigned c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* ASCII closers and punctuation. UAX #14 (LB13) already keeps them off a line start even next
 * to CJK; listing them makes the predicate tell the layout the same. */
static inline bool a_no_start(unsigned c)
{
    switch (c) {
    case ')': case ']': case '}': case ',': case '.': case ':': case ';': case '!': case '?':
    case '%':
        return true;
    default:
        return false;
    }
}

static inline bool a_no_end(unsigned c)
{
    return c == '(' || c == '[' || c == '{';
}

/* Part of a Latin word or number. '$' '+' '\' '%' are UAX #14 PR/PO, which libunibreak 1.1
 * (Unicode 6.2) still lets break from a letter, splitting "C++"; later UAX #14 (LB24) joins
 * them, and so do we. */
static inline bool a_word(unsigned c)
{
    return c < 0x80 && (a_alnum(c) || c == '$' || c == '+' || c == '\\' || c == '%');
}

/* May appear inside a URL: RFC 3986 characters plus '%'. */
static inline bool a_url(unsigned c)
{
    if (c <= 0x20 || c >= 0x7F)
        return false;
    switch (c) {
    case '"': case '<': case '>': case '\\': case '^': case '`': case '{': case '|': case '}':
        return false;
    default:
        return true;
    }
}

/* The gates skip the tables for ideographs, by far the most common non-ASCII characters. */
static inline bool no_start(unsigned cp)
{
    if (cp < 0x80)
        return a_no_start(cp);
    if (cp < 0xA2 || (cp > 0x31FF && cp < 0xFF01) || (cp > 0xFFE0 && cp < 0x1B132) || cp > 0x1B167)
        return false;
    return inset(no_start_tab, COUNT(no_start_tab), cp);
}

static inline bool no_end(unsigned cp)
{
    if (cp < 0x80)
        return a_no_end(cp);
    if (cp < 0xAB || (cp > 0x301D && cp < 0xFF08) || cp > 0xFF62)
        return false;
    return inset(no_end_tab, COUNT(no_end_tab), cp);
}

/* JLREQ cl-08 inseparable characters (plus ―, which Japanese text uses for the em dash):
 * ——, ……, ‥‥ and 〳〵 must not be split across lines. */
static inline bool inseparable(unsigned cp)
{
    return cp == 0x2014 || cp == 0x2015 || cp == 0x2025 || cp == 0x2026 ||
           (cp >= 0x3033 && cp <= 0x3035);
}

/* Combining marks and variation selectors (kanji IVS are common in Japanese names) belong to
 * the character before them, so kinsoku looks through them to their base. */
static inline bool combining(unsigned cp)
{
    return cp >= 0x300 &&
           ((cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
            cp == 0x200C || cp == 0x200D || (cp >= 0x20D0 && cp <= 0x20FF) || cp == 0x3099 ||
            cp == 0x309A || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFE20 && cp <= 0xFE2F) ||
            (cp >= 0xE0100 && cp <= 0xE01EF));
}

/* UAX #14 BK, CR, LF, NL: a text ending in one of these ends with a required break. */
static inline bool hard(unsigned cp)
{
    return (cp >= 0x0A && cp <= 0x0D) || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

static inline bool cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* Decodes the character at *i and moves past it. Only well-formed UTF-8 (no overlongs,
 * surrogates or values past U+10FFFF) decodes; anything else is one BAD byte. Never reads
 * past len. */
static inline unsigned decode(const unsigned char *s, size_t len, size_t *i)
{
    size_t p = *i;
    unsigned c = s[p], v;
    size_t left = len - p;

    if (c < 0x80) {
        *i = p + 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (left >= 2 && cont(s[p + 1])) {
            *i = p + 2;
            return (c & 0x1Fu) << 6 | (s[p + 1] & 0x3Fu);
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (left >= 3 && cont(s[p + 1]) && cont(s[p + 2])) {
            v = (c & 0x0Fu) << 12 | (s[p + 1] & 0x3Fu) << 6 | (s[p + 2] & 0x3Fu);
            if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                *i = p + 3;
                return v;
            }
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (left >= 4 && cont(s[p + 1]) && cont(s[p + 2]) && cont(s[p + 3])) {
            v = (c & 0x07u) << 18 | (s[p + 1] & 0x3Fu) << 12 | (s[p + 2] & 0x3Fu) << 6 |
                (s[p + 3] & 0x3Fu);
            if (v >= 0x10000 && v <= 0x10FFFF) {
                *i = p + 4;
                return v;
            }
        }
    }
    *i = p + 1;
    return BAD;
}

/* Index of the first byte at or after p that is not well-formed UTF-8, or len. */
static size_t valid_end(const unsigned char *s, size_t len, size_t p)
{
    while (p < len) {
        if (s[p] < 0x80) {
            p++;
            continue;
        }
        size_t q = p;
        if (decode(s, len, &q) == BAD)
            return p;
        p = q;
    }
    return len;
}

/* The break after a space that follows a letter and comes before next: UAX #14 needs the
 * three, since libunibreak takes a space that opens its text for WJ. */
static char after_space(unsigned next, const char *lang)
{
    utf32_t t[3] = {'x', ' ', next == BAD ? 'x' : next};
    char b[3];
    set_linebreaks_utf32(t, 3, lang, b);
    return b[1];
}

/* The break between two characters by UAX #14 from these two alone. A bad byte is read as an
 * unknown character, which UAX #14 resolves to AL (a letter; U+FFFD would be an ideograph for
 * "ja"): it sticks to Latin neighbours, as in Latin-1 "caf\xe9", and breaks next to CJK. */
static char pair(unsigned a, unsigned b, const char *lang)
{
    if (a == ' ')
        return after_space(b, lang);
    return (char)is_line_breakable(a == BAD ? 'x' : a, b == BAD ? 'x' : b, lang);
}

/* libunibreak 1.1 misreads bad bytes: stray bytes become Latin-1 letters (0x85 a hard break),
 * a lead byte swallows the next bytes whatever they are, and a truncated tail is left unset.
 * So it only sees the well-formed runs; the breaks next to a bad byte come from pair(), and
 * the one after the spaces that open a run (read as WJ) from after_space(). */
static void runs(const unsigned char *s, size_t len, size_t p, const char *lang, char *brk)
{
    size_t start = 0;
    for (;;) {
        if (p > start) {
            set_linebreaks_utf8(s + start, p - start, lang, brk + start);
            if (start > 0 && s[start] == ' ') {
                size_t q = start;
                while (q + 1 < p && s[q + 1] == ' ')
                    q++;
                if (q + 1 < p) {
                    size_t i = q + 1;
                    brk[q] = after_space(decode(s, len, &i), lang);
                }
            }
        }
        if (p == len)
            return;
        brk[p] = NC_BRK_NO; /* replaced by pair() in the kinsoku pass */
        start = p + 1;
        p = valid_end(s, len, start);
    }
}

/* Scheme characters before "://" (RFC 3986). */
static inline bool scheme(unsigned c)
{
    return c < 0x80 && (a_alnum(c) || c == '+' || c == '-' || c == '.');
}

/* One pass over the characters: turns allowed breaks that JLREQ forbids into NO, and inside
 * a URL allows a break only after a '/'. Required breaks are never touched. */
static void kinsoku(const unsigned char *s, size_t len, const char *lang, bool bad, char *brk)
{
    size_t i = 0;
    unsigned prev = decode(s, len, &i);
    unsigned base = prev; /* prev, looking through combining marks */
    bool url = false;

    while (i < len) {
        size_t b = i - 1; /* last byte of prev */
        unsigned cur = decode(s, len, &i);
        char v = brk[b];

        if (bad && (prev == BAD || cur == BAD))
            v = pair(prev, cur, lang);
        if (url && !a_url(cur))
            url = false;
        if (v != NC_BRK_MUST) {
            /* In a URL UAX #14 breaks after '?', '-' or '!' too, and not after "/2024";
             * readers expect a URL to continue only after a '/' (but not inside "//"). */
            if (url)
                v = prev == '/' && cur != '/' ? NC_BRK_ALLOW : NC_BRK_NO;
            if (v == NC_BRK_ALLOW &&
                (no_start(cur) || no_end(base) || (inseparable(base) && inseparable(cur)) ||
                 (a_word(prev) && a_word(cur))))
                v = NC_BRK_NO;
        }
        brk[b] = v;
        if (cur == ':' && scheme(prev) && len - i >= 2 && s[i] == '/' && s[i + 1] == '/')
            url = true;
        prev = cur;
        if (!combining(cur))
            base = cur;
    }
    brk[len - 1] = hard(prev) ? NC_BRK_MUST : NC_BRK_ALLOW;
}

/* libunibreak 1.1 fails an assertion (and aborts) on the code points whose class its pair table
 * lacks: the regional indicators of flags (U+1F1E6..1F1FF) and U+FFFF. It gets a copy where
 * they are stand-ins of the same length: a letter (U+10400, AL), so that a flag stays whole and
 * breaks like a word, and U+FFFD. NULL when the text has none. */
static unsigned char *stand_ins(const unsigned char *s, size_t len)
{
    unsigned char *t = NULL;
    for (size_t i = 0; i + 2 < len; i++) {
        bool ri = i + 3 < len && s[i] == 0xF0 && s[i + 1] == 0x9F && s[i + 2] == 0x87 &&
                  s[i + 3] >= 0xA6 && s[i + 3] <= 0xBF;
        bool ffff = s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBF;
        if (!ri && !ffff)
            continue;
        if (!t) {
            t = nc_xmalloc(len);
            memcpy(t, s, len);
        }
        if (ri)
            memcpy(t + i, "\xF0\x90\x90\x80", 4);
        else
            memcpy(t + i, "\xEF\xBF\xBD", 3);
        i += ri ? 3 : 2;
    }
    return t;
}

void nc_linebreaks(const char *text, size_t len, const char *lang, char *brk)
{
    const unsigned char *s = (const unsigned char *)text;

    if (len == 0)
        return;
    pthread_once(&once, init_linebreak);
    unsigned char *copy = stand_ins(s, len);
    if (copy)
        s = copy;
    size_t p = valid_end(s, len, 0);
    if (p == len)
        set_linebreaks_utf8(s, len, lang, brk);
    else
        runs(s, len, p, lang, brk);
    kinsoku(s, len, lang, p != len, brk);
    free(copy);
}

bool nc_jis_no_line_start(unsigned cp)
{
    return no_start(cp);
}

bool nc_jis_no_line_end(unsigned cp)
{
    return no_end(cp);
}

bool nc_jis_is_cjk(unsigned cp)
{
    return cp >= 0x2E80 && inset(cjk_tab, COUNT(cjk_tab), cp);
}
