/* text.c — UTF-8 helpers and language detection shared by readers, filters and writers. */
#include <string.h>

#include "internal.h"

int nc_utf8_decode(const char *str, size_t n, int32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = 0xFFFD;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    int len;
    int32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    /* overlong forms, surrogates and values past U+10FFFF are invalid */
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

void nc_utf8_encode(nc_buf *b, int32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    nc_buf_put(b, s, n);
}

bool nc_is_east_asian(int32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) ||   /* Hangul Jamo */
           (cp >= 0x2E80 && cp <= 0x303F) ||   /* CJK radicals, punctuation */
           (cp >= 0x3040 && cp <= 0x30FF) ||   /* kana */
           (cp >= 0x3100 && cp <= 0x31FF) ||   /* bopomofo, kana ext */
           (cp >= 0x3200 && cp <= 0x9FFF) ||   /* enclosed, ideographs */
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   /* Hangul syllables */
           (cp >= 0xF900 && cp <= 0xFAFF) ||   /* compatibility ideographs */
           (cp >= 0xFE30 && cp <= 0xFE4F) ||   /* compatibility forms */
           (cp >= 0xFF00 && cp <= 0xFFEF) ||   /* full/halfwidth forms */
           (cp >= 0x20000 && cp <= 0x3FFFF);   /* supplementary ideographs */
}

static bool is_kana(int32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0xFF66 && cp <= 0xFF9F);
}

/* Counts letters in the document's text: "ja" when East Asian characters outnumber Latin
 * letters and kana are present (kana tell Japanese from Chinese). */
const char *nc_doc_lang(const nc_doc *doc)
{
    nc_meta *lang = nc_meta_get(nc_doc_meta(doc), "lang");
    if (lang && (lang->kind == NC_META_STRING) && lang->len)
        return lang->str;
    size_t cjk = 0, kana = 0, latin = 0;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        const nc_node *n = nc_iter_node(&it);
        if (ev != NC_EV_ENTER || n->kind != NC_STR)
            continue;
        const char *s = n->text;
        size_t len = n->len;
        for (size_t i = 0; i < len;) {
            unsigned char c = (unsigned char)s[i];
            if (c < 0x80) {
                if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
                    latin++;
                i++;
                continue;
            }
            int32_t cp;
            int k = nc_utf8_decode(s + i, len - i, &cp);
            i += k ? (size_t)k : 1;
            if (nc_is_east_asian(cp)) {
                /* one CJK character carries about as much as a short word */
                cjk += 3;
                if (is_kana(cp))
                    kana++;
            }
        }
        if (cjk + latin > 200000)
            break;
    }
    return (kana > 0 && cjk >= latin) ? "ja" : "en";
}

size_t nc_str_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211u;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93u;
    h ^= h >> 32;
    return (size_t)h;
}
