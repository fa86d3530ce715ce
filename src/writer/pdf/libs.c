/* libs.c — opens the PDF writer's libraries on first use (see libs.h) and fills their tables.
 * A library that cannot be loaded is an error for the conversion that needed it, never a
 * crash: the tables are used only after nc_pdf_libs_open succeeded. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>
#include <hpdf.h>
#include <hpdf_objects.h>
#include <jpeglib.h>
#include <linebreak.h>
#include <png.h>

#define NC_PDF_LIBS_LOADER /* the tables' names, not calls through them */
#include "libs.h"

/* The names the build linked against (CMake reads them from the libraries); Debian 12's when
 * built otherwise. */
#ifndef NC_SONAME_HPDF
#define NC_SONAME_HPDF "libhpdf-2.3.0.so"
#endif
#ifndef NC_SONAME_FC
#define NC_SONAME_FC "libfontconfig.so.1"
#endif
#ifndef NC_SONAME_PNG
#define NC_SONAME_PNG "libpng16.so.16"
#endif
#ifndef NC_SONAME_JPEG
#define NC_SONAME_JPEG "libjpeg.so.62"
#endif
#ifndef NC_SONAME_HB
#define NC_SONAME_HB "libharfbuzz-subset.so.0"
#endif
#ifndef NC_SONAME_UB
#define NC_SONAME_UB "libunibreak.so.1"
#endif

nc_pdf_hpdf_fns nc_pdf_hpdf;
nc_pdf_fc_fns nc_pdf_fc;
nc_pdf_png_fns nc_pdf_png;
nc_pdf_jpeg_fns nc_pdf_jpeg;
nc_pdf_hb_fns nc_pdf_hb;
nc_pdf_ub_fns nc_pdf_ub;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char failure[512]; /* empty when every library is open */

static void *open_lib(const char *soname, const char *package)
{
    void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(failure, sizeof failure, "cannot load %s (Debian package %s): %s", soname,
                 package, why ? why : "unknown reason");
    }
    return h;
}

static bool find(void *h, const char *soname, const char *name, void *slot)
{
    void *p = dlsym(h, name);
    if (!p) {
        snprintf(failure, sizeof failure, "%s has no function %s", soname, name);
        return false;
    }
    /* POSIX's way to turn dlsym's answer into a function pointer */
    memcpy(slot, &p, sizeof p);
    return true;
}

/* One library: its table (TABLE, defined before each use) filled from its list. */
#define FIND(f)                                                                                 \
    if (!find(h, soname, #f, &TABLE.f))                                                         \
        return false;

static bool load_hpdf(const char *soname, void *h)
{
#define TABLE nc_pdf_hpdf
    NC_PDF_HPDF(FIND)
#undef TABLE
    return true;
}

static bool load_fc(const char *soname, void *h)
{
#define TABLE nc_pdf_fc
    NC_PDF_FC(FIND)
#undef TABLE
    return true;
}

static bool load_png(const char *soname, void *h)
{
#define TABLE nc_pdf_png
    NC_PDF_PNG(FIND)
#undef TABLE
    return true;
}

static bool load_jpeg(const char *soname, void *h)
{
#define TABLE nc_pdf_jpeg
    NC_PDF_JPEG(FIND)
#undef TABLE
    return true;
}

static bool load_hb(const char *soname, void *h)
{
#define TABLE nc_pdf_hb
    NC_PDF_HB(FIND)
#undef TABLE
    return true;
}

static bool load_ub(const char *soname, void *h)
{
#define TABLE nc_pdf_ub
    NC_PDF_UB(FIND)
#undef TABLE
    return true;
}

static void load(void)
{
    static const struct {
        const char *soname, *package;
        bool (*fill)(const char *soname, void *h);
    } libs[] = {
        {NC_SONAME_HPDF, "libhpdf-2.3.0", load_hpdf},
        {NC_SONAME_FC, "libfontconfig1", load_fc},
        {NC_SONAME_PNG, "libpng16-16", load_png},
        {NC_SONAME_JPEG, "libjpeg62-turbo", load_jpeg},
        {NC_SONAME_HB, "libharfbuzz-subset0", load_hb},
        {NC_SONAME_UB, "libunibreak1", load_ub},
    };
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
        void *h = open_lib(libs[i].soname, libs[i].package);
        if (!h || !libs[i].fill(libs[i].soname, h))
            return;
    }
}

int nc_pdf_libs_open(nc_diag *diag)
{
    pthread_once(&once, load);
    if (!failure[0])
        return 0;
    nc_diag_report(diag, NC_DIAG_ERROR, NULL, "%s", failure);
    return -1;
}
