/* wordcount.c — an example filter plugin (-F ./wordcount.so): counts the words of a note (a
 * Japanese character counts as one word, as Japanese word counts go) and sets the metadata
 * `wordcount` and `reading-time` (minutes) for templates. It uses only the public API in
 * <noteconv/filter.h>; it never counts code, math, raw HTML or the alt text of images.
 *
 * Build out of tree: cc -shared -fPIC $(pkg-config --cflags noteconv) -o wordcount.so wordcount.c
 * Use:  noteconv -F ./wordcount.so=wpm=200,cpm=600 -s --template=t.html note.md
 * where t.html holds "$wordcount$ words, $reading-time$ min". Values set in the front matter
 * are kept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <noteconv/filter.h>

typedef struct count {
    unsigned long words; /* runs of Latin letters and digits */
    unsigned long cjk;   /* Han, kana and Hangul characters */
    int in_word;
} count;

/* One code point from UTF-8 (invalid bytes give U+FFFD and take one byte). */
static size_t decode(const unsigned char *s, size_t n, unsigned long *cp)
{
    static const unsigned char need[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3};
    unsigned k = s[0] < 0x80 ? 0 : need[s[0] >> 4];
    if (s[0] >= 0x80 && (k == 0 || k >= n)) {
        *cp = 0xFFFD;
        return 1;
    }
    unsigned long c = k == 0 ? s[0] : s[0] & (0x3F >> k);
    for (unsigned i = 1; i <= k; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        c = c << 6 | (s[i] & 0x3F);
    }
    *cp = c;
    return k + 1;
}

static int is_cjk(unsigned long c)
{
    return (c >= 0x3041 && c <= 0x30FF && c != 0x30FB) || /* kana, not the middle dot */
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
           (c >= 0xFF66 && c <= 0xFF9D) || (c >= 0x20000 && c <= 0x3FFFF);
}

/* Letters and digits of Latin, Greek, Cyrillic and fullwidth ASCII: what makes a word. */
static int is_wordch(unsigned long c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x4FF) ||
           (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
           (c >= 0xFF41 && c <= 0xFF5A) || c == '\'' || c == 0x2019;
}

static void count_text(count *k, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        unsigned long c;
        i += decode(s + i, len - i, &c);
        if (is_cjk(c)) {
            k->cjk++;
            k->in_word = 0;
        } else if (is_wordch(c)) {
            if (!k->in_word && c != '\'' && c != 0x2019)
                k->words++;
            k->in_word = c != '\'' && c != 0x2019 ? 1 : k->in_word;
        } else {
            k->in_word = 0;
        }
    }
}

static int number_arg(const char *p, size_t n, const char *key, unsigned long *out,
                      nc_diag *diag)
{
    size_t kl = strlen(key);
    if (n <= kl + 1 || strncmp(p, key, kl) != 0 || p[kl] != '=')
        return 0;
    unsigned long v = 0;
    for (size_t i = kl + 1; i < n; i++) {
        if (p[i] < '0' || p[i] > '9' || v > 100000) {
            v = 0;
            break;
        }
        v = v * 10 + (unsigned long)(p[i] - '0');
    }
    if (v == 0) {
        nc_diag_report(diag, NC_DIAG_ERROR, NULL, "wordcount: %s wants a positive number, not "
                       "'%.*s'", key, (int)(n - kl - 1), p + kl + 1);
        return -1;
    }
    *out = v;
    return 1;
}

static void set_number(nc_doc *doc, const char *key, unsigned long v)
{
    nc_meta *meta = nc_doc_meta(doc);
    if (nc_meta_get(meta, key))
        return;
    char text[32];
    int len = snprintf(text, sizeof text, "%lu", v);
    nc_meta *m = nc_meta_new(doc, NC_META_NUMBER);
    m->str = nc_doc_strndup(doc, text, (size_t)len);
    m->len = (size_t)len;
    m->num = (double)v;
    nc_meta_set(doc, meta, key, m);
}

static int run(nc_doc *doc, const char *args, const nc_options *opt, nc_diag *diag)
{
    (void)opt;
    unsigned long wpm = 220, cpm = 500;
    for (const char *p = args; p && *p;) {
        size_t n = strcspn(p, ",");
        int a = number_arg(p, n, "wpm", &wpm, diag);
        int b = a ? 0 : number_arg(p, n, "cpm", &cpm, diag);
        if (a < 0 || b < 0)
            return -1;
        if (!a && !b && n) {
            nc_diag_report(diag, NC_DIAG_ERROR, NULL,
                           "wordcount: unknown argument '%.*s' (valid: wpm=N, cpm=N)", (int)n, p);
            return -1;
        }
        p += n + (p[n] == ',');
    }
    count k = {0, 0, 0};
    int in_image = 0;
    nc_iter it;
    nc_iter_init(&it, nc_doc_root(doc));
    nc_event ev;
    while ((ev = nc_iter_next(&it)) != NC_EV_DONE) {
        nc_node *n = nc_iter_node(&it);
        if (n->kind == NC_IMAGE) {
            in_image += ev == NC_EV_ENTER ? 1 : -1;
            continue;
        }
        if (n->kind == NC_STR && !in_image)
            count_text(&k, n->text, n->len);
        else if (!nc_kind_is_inline(n->kind) || n->kind == NC_SPACE ||
                 n->kind == NC_SOFT_BREAK || n->kind == NC_LINE_BREAK)
            k.in_word = 0; /* a word never runs over a block's edge or a space */
    }
    double minutes = (double)k.words / (double)wpm + (double)k.cjk / (double)cpm;
    unsigned long whole = (unsigned long)minutes;
    if ((double)whole < minutes || whole == 0)
        whole++;
    set_number(doc, "wordcount", k.words + k.cjk);
    set_number(doc, "reading-time", whole);
    return 0;
}

static const nc_filter_plugin plugin = {
    NC_FILTER_ABI_VERSION,
    "wordcount",
    "set metadata wordcount (a Japanese character is a word) and reading-time (minutes)",
    "wpm=N (Latin words a minute, default 220), cpm=N (Japanese characters a minute, 500)",
    run,
};

NC_FILTER_PLUGIN_EXPORT const nc_filter_plugin *nc_filter_plugin_entry(void)
{
    return &plugin;
}
