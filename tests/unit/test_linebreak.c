/* test_linebreak.c — unit tests for the PDF line breaker: UAX #14 through libunibreak, JLREQ
 * kinsoku, URLs, bad UTF-8, and properties checked over random text. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "util.h"
#include "writer/pdf/linebreak.h"

/* Independent of linebreak.c on purpose: the length of the well-formed UTF-8 character at p,
 * or 0 for a bad byte. */
static size_t charlen(const unsigned char *s, size_t len, size_t p)
{
    unsigned c = s[p];
    size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                                                         : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (n == 0 || p + n > len)
        return n == 1 ? 1 : 0;
    for (size_t k = 1; k < n; k++)
        if ((s[p + k] & 0xC0) != 0x80)
            return 0;
    if ((c == 0xE0 && s[p + 1] < 0xA0) || (c == 0xED && s[p + 1] > 0x9F) ||
        (c == 0xF0 && s[p + 1] < 0x90) || (c == 0xF4 && s[p + 1] > 0x8F))
        return 0;
    return n;
}

static unsigned cpat(const unsigned char *s, size_t p, size_t n)
{
    static const unsigned mask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned v = s[p] & mask[n];
    for (size_t k = 1; k < n; k++)
        v = v << 6 | (s[p + k] & 0x3F);
    return v;
}

/* Structure every result must have: values 0..3, NC_BRK_INSIDE exactly on the inner bytes of
 * well-formed characters, the last byte ALLOW or MUST. */
static int well_formed(const char *text, size_t len, const char *brk)
{
    const unsigned char *s = (const unsigned char *)text;
    for (size_t p = 0; p < len;) {
        size_t n = charlen(s, len, p);
        if (n == 0)
            n = 1;
        for (size_t k = 0; k < n; k++) {
            char b = brk[p + k];
            if (b < 0 || b > 3 || (k + 1 < n) != (b == NC_BRK_INSIDE))
                return 0;
        }
        p += n;
    }
    return len == 0 || brk[len - 1] == NC_BRK_ALLOW || brk[len - 1] == NC_BRK_MUST;
}

/* Shows the breaks in the text: "|" where a line may break, "‖" where it must, nothing after
 * the last byte (always a break, tested on its own). Also checks the structure. */
static const char *show(const char *text, const char *lang)
{
    static char out[4096];
    char brk[1024];
    size_t len = strlen(text), o = 0;

    nc_linebreaks(text, len, lang, brk);
    CHECK(well_formed(text, len, brk));
    for (size_t i = 0; i < len; i++) {
        out[o++] = text[i];
        if (i + 1 < len && brk[i] == NC_BRK_ALLOW)
            out[o++] = '|';
        else if (i + 1 < len && brk[i] == NC_BRK_MUST)
            o += (size_t)sprintf(out + o, "‖");
    }
    out[o] = '\0';
    return out;
}

static const char *ja(const char *text)
{
    return show(text, "ja");
}

static void test_jlreq(void)
{
    CHECK_STR(ja("です。次"), "で|す。|次");                 /* cl-06 */
    CHECK_STR(ja("はい、そう"), "は|い、|そ|う");             /* cl-07 */
    CHECK_STR(ja("「引用」と"), "「引|用」|と");             /* cl-01, cl-02 */
    CHECK_STR(ja("『本』【注】"), "『本』|【注】");
    CHECK_STR(ja("ちょっと"), "ちょっ|と");                   /* cl-11 */
    CHECK_STR(ja("ファイル"), "ファ|イ|ル");
    CHECK_STR(ja("ｶｯﾌﾟ"), "ｶｯ|ﾌﾟ");                           /* halfwidth cl-11 */
    CHECK_STR(ja("ㇰㇱ"), "ㇰㇱ");
    CHECK_STR(ja("サーバー"), "サー|バー");                   /* cl-10 */
    CHECK_STR(ja("人々"), "人々");                             /* cl-09 */
    CHECK_STR(ja("いすゞ"), "い|すゞ");
    CHECK_STR(ja("あゝ"), "あゝ");
    CHECK_STR(ja("コヽロ"), "コヽ|ロ");
    CHECK_STR(ja("時〻"), "時〻");
    CHECK_STR(ja("東京・大阪"), "東|京・|大|阪");             /* cl-05 */
    CHECK_STR(ja("注：本文；"), "注：|本|文；");
    CHECK_STR(ja("本当？はい！"), "本|当？|は|い！");         /* cl-04 */
    CHECK_STR(ja("何‼え⁉"), "何‼|え⁉");
    CHECK_STR(ja("10〜20"), "10〜|20");                       /* cl-03 */
    CHECK_STR(ja("あ〜い"), "あ〜|い");
    CHECK_STR(ja("日本……です"), "日|本……|で|す");          /* cl-08 */
    CHECK_STR(ja("あ‥‥い"), "あ‥‥|い");
    CHECK_STR(ja("そう——だ"), "そ|う|——|だ");
    CHECK_STR(ja("そう――だ"), "そ|う|――|だ");               /* U+2015, used for the dash */
    CHECK_STR(ja("〳〵"), "〳〵");
    CHECK_STR(ja("〴〵"), "〴〵");
    CHECK_STR(ja("（注）です"), "（注）|で|す");
    CHECK_STR(ja("〔a〕〈b〉《c》"), "〔a〕|〈b〉|《c》");
    CHECK_STR(ja("語〘か〙〖き〗"), "語|〘か〙|〖き〗");
    CHECK_STR(ja("〝言〟と"), "〝言〟|と");
    CHECK_STR(ja("［注］｛a｝"), "［注］|｛a｝");
    CHECK_STR(ja("百％の"), "百％|の");
    CHECK_STR(ja("温度℃です"), "温|度℃|で|す");
    CHECK_STR(ja("。。"), "。。");
    CHECK_STR(ja("」「"), "」|「");                            /* closing then opening: fine */
}

static void test_ascii_with_cjk(void)
{
    CHECK_STR(ja("(例)です"), "(例)|で|す");
    CHECK_STR(ja("例(例)"), "例|(例)");
    CHECK_STR(ja("わ),次"), "わ),|次");
    CHECK_STR(ja("です.次"), "で|す.|次");
    CHECK_STR(ja("です!次?"), "で|す!|次?");
    CHECK_STR(ja("注:本;"), "注:|本;");
    CHECK_STR(ja("語[注]{x}"), "語|[注]|{x}");
    CHECK_STR(ja("100%の"), "100%|の");
    CHECK_STR(ja("AWSのLambda"), "AWS|の|Lambda");            /* UAX #14 between scripts */
    CHECK_STR(ja("e.g.日本"), "e.g.|日|本");
    CHECK_STR(ja("日本 、"), "日|本 、");                      /* not even after a space */
    CHECK_STR(ja("日本 ょ"), "日|本 ょ");
}

static void test_latin(void)
{
    CHECK_STR(show("Hello world", "en"), "Hello |world");
    CHECK_STR(show("Hello  world", NULL), "Hello  |world");
    CHECK_STR(show("serverless", "en"), "serverless");
    CHECK_STR(show("v1.2.3 3.14 1,000", "en"), "v1.2.3 |3.14 |1,000");
    CHECK_STR(show("C++ and C#", "en"), "C++ |and |C#");
    CHECK_STR(show("x+y $5 5% a\\b", "en"), "x+y |$5 |5% |a\\b");
    CHECK_STR(show("well-known", "en"), "well-|known");
    CHECK_STR(show("and/or", "en"), "and/|or");
    CHECK_STR(show("10-20", "en"), "10-20");
    CHECK_STR(show("(see) [x]", "en"), "(see) |[x]");
    CHECK_STR(show("a ( b", "en"), "a |( b");                  /* no break after an opener */
    CHECK_STR(show("café crème", "fr"), "café |crème");
    CHECK_STR(ja("C++のコード"), "C++の|コー|ド");
}

static void test_url(void)
{
    CHECK_STR(show("https://example.com/very/long/path?x=1", "en"),
              "https://|example.com/|very/|long/|path?x=1");
    CHECK_STR(show("http://", "en"), "http://");
    CHECK_STR(show("http://a.b/c-d/e!f/2024/05", "en"), "http://|a.b/|c-d/|e!f/|2024/|05");
    CHECK_STR(show("x https://a.io//b/?q see", "en"), "x |https://|a.io//|b/?q |see");
    CHECK_STR(show("git+ssh://h/r.git", "en"), "git+ssh://|h/|r.git");
    CHECK_STR(ja("見て(https://a.jp/x/y)ね"), "見|て|(https://|a.jp/|x/|y)|ね");
    CHECK_STR(ja("URLはhttps://a.jp/b/を"), "URL|は|https://|a.jp/|b/|を");
    CHECK_STR(show("mailto:a@b.c", "en"), "mailto:a@b.c");
    CHECK_STR(show("a: b", "en"), "a: |b");                    /* not a URL */
}

static void test_hard_breaks_and_ends(void)
{
    char brk[8];

    CHECK_STR(ja("あ\nい"), "あ\n‖い");
    CHECK_STR(ja("あ\r\nい"), "あ\r\n‖い");
    CHECK_STR(ja("「\n」"), "「\n‖」");                      /* a required break stays */
    CHECK_STR(ja("あ\xe2\x80\xa8い"), "あ\xe2\x80\xa8‖い");     /* U+2028 */

    nc_linebreaks("ab", 2, "en", brk);
    CHECK(brk[0] == NC_BRK_NO && brk[1] == NC_BRK_ALLOW);
    nc_linebreaks("「", 3, "ja", brk); /* the caller knows what follows */
    CHECK(brk[0] == NC_BRK_INSIDE && brk[1] == NC_BRK_INSIDE && brk[2] == NC_BRK_ALLOW);
    nc_linebreaks("a\n", 2, "en", brk);
    CHECK(brk[0] == NC_BRK_NO && brk[1] == NC_BRK_MUST);
    nc_linebreaks("\n", 1, NULL, brk);
    CHECK(brk[0] == NC_BRK_MUST);
    brk[0] = 'x';
    nc_linebreaks("", 0, "ja", brk);
    CHECK(brk[0] == 'x');
}

static void test_bad_utf8(void)
{
    char brk[16];

    CHECK_STR(ja("a\xff" "b"), "a\xff" "b");
    CHECK_STR(ja("あ\xffい"), "あ|\xff|い");
    CHECK_STR(ja("\x80\x80"), "\x80\x80");
    CHECK_STR(ja("a \x85" "b"), "a |\x85" "b");                 /* not NEL: a stray byte */
    CHECK_STR(ja("\xe3\x81" "a"), "\xe3\x81" "a");             /* truncated, then ASCII */
    CHECK_STR(ja("caf\xe9 au"), "caf\xe9 |au");                /* Latin-1 stays a word */
    CHECK_STR(ja("「\xe3"), "「\xe3");
    CHECK_STR(ja("\xed\xa0\x80"), "\xed\xa0\x80");             /* a surrogate */
    CHECK_STR(ja("\xc0\xaf"), "\xc0\xaf");                      /* an overlong '/' */
    CHECK_STR(ja("す\xff。"), "す|\xff。");                    /* kinsoku still holds */
    CHECK_STR(ja("\xff あ"), "\xff |あ");                      /* spaces opening a run */
    CHECK_STR(ja("\xff  ょ"), "\xff  ょ");
    CHECK_STR(show("\xff /x", "en"), "\xff /|x");               /* LB13: × '/' after a space */
    CHECK_STR(show("a \xff", "en"), "a |\xff");

    /* a truncated character at the very end: every byte written, one character each */
    memset(brk, 'x', sizeof brk);
    nc_linebreaks("a\xe3\x81", 3, "ja", brk);
    CHECK(brk[0] != 'x' && brk[1] != 'x' && brk[2] == NC_BRK_ALLOW && brk[3] == 'x');
    CHECK(brk[1] != NC_BRK_INSIDE);
    nc_linebreaks("\xf4", 1, "ja", brk);
    CHECK(brk[0] == NC_BRK_ALLOW);
}

/* libunibreak 1.1 aborts on regional indicators and U+FFFF: they reach it as stand-ins */
static void test_unibreak_aborts(void)
{
    CHECK_STR(ja("🇯🇵"), "🇯🇵");                              /* a flag stays whole */
    CHECK_STR(show("a 🇯🇵🇺🇸 b", "en"), "a |🇯🇵🇺🇸 |b");
    CHECK_STR(ja("あ\xef\xbf\xbfい"), "あ|\xef\xbf\xbf|い");
}

static void test_predicates(void)
{
    static const char start[] = "、。，．）」』】〕〉》ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ・"
                                "：；！？］｝〙〗〟’”｠»‐〜゠–‼⁇⁈⁉ヽヾ〻ㇰㇱㇿｧｨｯ%‰℃¢°)]},.:;!?ｰ｡､･％";
    static const char end[] = "「『（［｛〔〈《【〘〖〝‘“｟«([{｢";
    static const char neither[] = "あいうかきアイカ漢字日本一abcXYZ019 -/\"'&#$+〳〵…—";
    const unsigned char *s;
    size_t len, p, n, bad = 0;

    for (int pass = 0; pass < 3; pass++) {
        s = (const unsigned char *)(pass == 0 ? start : pass == 1 ? end : neither);
        len = strlen((const char *)s);
        for (p = 0; p < len; p += n) {
            n = charlen(s, len, p);
            unsigned cp = cpat(s, p, n);
            bool st = nc_jis_no_line_start(cp), en = nc_jis_no_line_end(cp);
            if ((pass == 0 && (!st || en)) || (pass == 1 && (st || !en)) ||
                (pass == 2 && (st || en))) {
                fprintf(stderr, "predicate wrong for U+%04X (pass %d)\n", cp, pass);
                bad++;
            }
        }
    }
    CHECK(bad == 0);

    CHECK(nc_jis_is_cjk(0x6F22));   /* 漢 */
    CHECK(nc_jis_is_cjk(0x3042));   /* あ */
    CHECK(nc_jis_is_cjk(0x30A2));   /* ア */
    CHECK(nc_jis_is_cjk(0x30FC));   /* ー */
    CHECK(nc_jis_is_cjk(0x3001));   /* 、 */
    CHECK(nc_jis_is_cjk(0x300C));   /* 「 */
    CHECK(nc_jis_is_cjk(0x3000));   /* ideographic space */
    CHECK(nc_jis_is_cjk(0xFF08));   /* （ */
    CHECK(nc_jis_is_cjk(0xFF21));   /* Ａ */
    CHECK(nc_jis_is_cjk(0x3400));   /* extension A */
    CHECK(nc_jis_is_cjk(0x20B9F));  /* 𠮟, extension B */
    CHECK(nc_jis_is_cjk(0x31F0));   /* ㇰ */
    CHECK(nc_jis_is_cjk(0x3231));   /* ㈱ */
    CHECK(!nc_jis_is_cjk('A'));
    CHECK(!nc_jis_is_cjk(0x00E9));  /* é */
    CHECK(!nc_jis_is_cjk(0x2026));  /* … */
    CHECK(!nc_jis_is_cjk(0xAC00));  /* 가: Korean justifies at spaces */
    CHECK(!nc_jis_is_cjk(0x1F600)); /* emoji */
    CHECK(!nc_jis_is_cjk(0x110000));
    CHECK(!nc_jis_no_line_start(0x110000) && !nc_jis_no_line_end(0xFFFFFFFFu));
}

/* Deterministic pseudo-random text, so a failure reproduces. */
static uint32_t rng = 12345;
static uint32_t rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

/* Random mixes of kinsoku characters, ordinary ones, spaces, newlines and bad bytes; every
 * buffer is allocated to its exact size so ASan sees any read or write past it. */
static void test_random(void)
{
    static const char *const alpha[] = {
        "あ", "漢", "ア", "、", "。", "「", "」", "（", "）", "ー", "っ", "ッ", "々", "ゝ", "・",
        "！", "？", "…", "—", "〳", "〵", "ｯ", "a", "Z", "1", " ", "  ", "\n", "\r", "(", ")",
        ".", ",", "/", "-", "+", "%", "://", "http", "é", "\xff", "\x80", "\xe3", "\xe3\x81",
        "\xf0\x9f", "\xc2", "\xed\xa0\x80", "\xcc\x81", "\xef\xb8\x80",
    };
    const size_t na = sizeof alpha / sizeof alpha[0];
    size_t fails = 0, kinsoku = 0;

    for (int iter = 0; iter < 3000; iter++) {
        char tmp[256];
        size_t len = 0, pieces = rnd() % 24;
        for (size_t k = 0; k < pieces; k++) {
            const char *a = alpha[rnd() % na];
            size_t al = strlen(a);
            memcpy(tmp + len, a, al);
            len += al;
        }
        char *text = malloc(len ? len : 1), *brk = malloc(len ? len : 1);
        if (!text || !brk)
            abort();
        memcpy(text, tmp, len);
        nc_linebreaks(text, len, iter % 3 ? "ja" : NULL, brk);
        if (!well_formed(text, len, brk))
            fails++;

        /* kinsoku at every allowed break between two well-formed characters */
        const unsigned char *s = (const unsigned char *)text;
        unsigned prev = 0;
        size_t p = 0, n;
        for (; p < len; p += n ? n : 1) {
            n = charlen(s, len, p);
            unsigned cp = n ? cpat(s, p, n) : 0x110000;
            if (p > 0 && brk[p - 1] == NC_BRK_ALLOW &&
                (nc_jis_no_line_start(cp) || nc_jis_no_line_end(prev)))
                kinsoku++;
            prev = cp;
        }
        free(text);
        free(brk);
    }
    CHECK(fails == 0);
    CHECK(kinsoku == 0);
}

static void *worker(void *arg)
{
    const char *text = "「吾輩は猫である。名前はまだ無い。」https://example.com/a/b ちょっと";
    char brk[128];
    size_t len = strlen(text), *ok = arg;
    for (int i = 0; i < 200; i++) {
        nc_linebreaks(text, len, "ja", brk);
        *ok += well_formed(text, len, brk) && brk[2] == NC_BRK_NO;
    }
    return NULL;
}

/* Several threads making the first call at once: libunibreak's init must run exactly once. */
static void test_threads(void)
{
    pthread_t t[4];
    size_t ok[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, worker, &ok[i]) == 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(ok[i] == 200);
    }
}

int main(void)
{
    need_pdf_libs();
    test_threads(); /* first, so the threads race for the one-time init */
    test_jlreq();
    test_ascii_with_cjk();
    test_latin();
    test_url();
    test_hard_breaks_and_ends();
    test_bad_utf8();
    test_unibreak_aborts();
    test_predicates();
    test_random();
    return check_done();
}
