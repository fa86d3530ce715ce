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

/* Each library in turn: LIB opens it, FIND fills its table (TABLE, named before each list)
 * from its list in libs.h; the first failure stops there. */
#define LIB(so, package)                                                                        \
    soname = so;                                                                                \
    if (!(h = open_lib(so, package)))                                                           \
        return;
#define FIND(f)                                                                                 \
    if (!find(h, soname, #f, &TABLE.f))                                                         \
        return;

static void load(void)
{
    void *h;
    const char *soname;
#define TABLE nc_pdf_hpdf
    LIB(NC_SONAME_HPDF, "libhpdf-2.3.0")
    NC_PDF_HPDF(FIND)
#undef TABLE
#define TABLE nc_pdf_fc
    LIB(NC_SONAME_FC, "libfontconfig1")
    NC_PDF_FC(FIND)
#undef TABLE
#define TABLE nc_pdf_png
    LIB(NC_SONAME_PNG, "libpng16-16")
    NC_PDF_PNG(FIND)
#undef TABLE
#define TABLE nc_pdf_jpeg
    LIB(NC_SONAME_JPEG, "libjpeg62-turbo")
    NC_PDF_JPEG(FIND)
#undef TABLE
#define TABLE nc_pdf_hb
    LIB(NC_SONAME_HB, "libharfbuzz-subset0")
    NC_PDF_HB(FIND)
#undef TABLE
#define TABLE nc_pdf_ub
    LIB(NC_SONAME_UB, "libunibreak1")
    NC_PDF_UB(FIND)
#undef TABLE
}

int nc_pdf_libs_open(nc_diag *diag)
{
    pthread_once(&once, load);
    if (!failure[0])
        return 0;
    nc_diag_report(diag, NC_DIAG_ERROR, NULL, "%s", failure);
    return -1;
}
