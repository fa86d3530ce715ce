/* east_asian_breaks.c — the east-asian-breaks filter: a soft line break between two wide East
 * Asian characters is dropped, since a browser would show it as a space in the middle of a
 * Japanese or Chinese sentence. Hangul is left alone: Korean puts spaces between words. */
#include <string.h>
#include <utf8proc.h>

#include "../src/internal.h"

/* East Asian Width W, F or H (utf8proc gives W and F a width of 2; H is the halfwidth
 * katakana and Hangul of U+FF61..U+FFDC), without Hangul. */
static bool wide(int32_t cp)
{
    if ((cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) ||
        (cp >= 0xA960 && cp <= 0xA97F) || (cp >= 0xAC00 && cp <= 0xD7FF) ||
        (cp >= 0xFFA0 && cp <= 0xFFDC))
        return false;
    if (cp >= 0xFF61 && cp <= 0xFF9F)
        return true;
    return cp >= 0x1100 && (utf8proc_charwidth(cp) == 2 || nc_is_east_asian(cp));
}

/* The text at the edge of an inline, looking into containers (an emphasis, a link). */
static const nc_node *edge(const nc_node *n, bool last)
{
    while (n && !n->text) {
        if (n->kind == NC_SPACE || n->kind == NC_SOFT_BREAK || n->kind == NC_LINE_BREAK ||
            n->kind == NC_NOTE || n->kind == NC_IMAGE)
            return NULL;
        n = last ? n->last : n->first;
    }
    return n && n->kind == NC_STR ? n : NULL;
}

static bool ends_wide(const nc_node *n)
{
    n = edge(n, true);
    if (!n || !n->len)
        return false;
    size_t i = n->len;
    while (i > 0 && ((unsigned char)n->text[i - 1] & 0xC0) == 0x80)
        i--;
    int32_t cp;
    return i > 0 && nc_utf8_decode(n->text + i - 1, n->len - (i - 1), &cp) && wide(cp);
}

static bool starts_wide(const nc_node *n)
{
    n = edge(n, false);
    int32_t cp;
    return n && n->len && nc_utf8_decode(n->text, n->len, &cp) && wide(cp);
}

static bool cjk_lang(const char *lang)
{
    return strncmp(lang, "ja", 2) == 0 || strncmp(lang, "zh", 2) == 0 ||
           strncmp(lang, "ko", 2) == 0;
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    NC_UNUSED(opt);
    static const char *const keys[] = {"when", NULL};
    static const char *const whens[] = {"auto", "always", NULL};
    nc_fargs a;
    if (nc_fargs_parse(&a, "east-asian-breaks", args, keys, diag) != 0)
        return -1;
    int when = 0;
    int rc = nc_fargs_choice(&a, 0, whens, &when, diag);
    nc_fargs_free(&a);
    if (rc != 0)
        return -1;
    if (when == 0 && !cjk_lang(nc_doc_lang(doc)))
        return 0;
    nc_node *root = nc_doc_root(doc);
    for (nc_node *n = root; n;) {
        if (n->kind == NC_SOFT_BREAK) {
            nc_node *next = n->next;
            if (n->prev && next && ends_wide(n->prev) && starts_wide(next)) {
                nc_node_unlink(n);
                n = next;
                continue;
            }
        }
        if (n->first && n->kind != NC_CODE_BLOCK) {
            n = n->first;
            continue;
        }
        while (n && n != root && !n->next)
            n = n->parent;
        n = n && n != root ? n->next : NULL;
    }
    return 0;
}

const nc_filter nc_filter_east_asian_breaks = {
    "east-asian-breaks",
    "drop soft line breaks between two East Asian characters (on by default when the note's "
    "language is Japanese, Chinese or Korean)",
    "when (auto: only for a ja, zh or ko note, the default; always)",
    true,
    run,
};
