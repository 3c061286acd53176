/* A stand-in for Windows' system ICU (icuuc.dll) in a Wine test prefix — never shipped.

   Qt6Core.dll links icuuc.dll, which Windows 10 1703 and later carry in system32 and Wine 8 does
   not, so without this Qt cannot even load under Wine. Qt imports only these 20 ucnv_* functions,
   for text codecs beyond the ones it has built in (UTF-8/16/32, Latin-1, the system code page);
   here every converter is reported as unavailable, which Qt handles as "codec not found".
   Built by tools/wine.py with mingw-w64 into the prefix's system32 (PyInstaller never collects
   DLLs from C:\windows, and a test checks the installer for it). */
#include <stddef.h>
#include <stdint.h>

typedef int UErrorCode;
typedef uint16_t UChar;
typedef struct UConverter UConverter;
typedef void (*UConverterCallback)(void);

#define U_FILE_ACCESS_ERROR 4
#define EXPORT __declspec(dllexport)

static void fail(UErrorCode *err) {
    if (err != NULL && *err <= 0) *err = U_FILE_ACCESS_ERROR;
}

EXPORT UConverter *ucnv_open(const char *name, UErrorCode *err) { (void)name; fail(err); return NULL; }
EXPORT void ucnv_close(UConverter *c) { (void)c; }
EXPORT void ucnv_reset(UConverter *c) { (void)c; }
EXPORT int8_t ucnv_getMaxCharSize(const UConverter *c) { (void)c; return 1; }
EXPORT const char *ucnv_getName(const UConverter *c, UErrorCode *err) { (void)c; fail(err); return NULL; }
EXPORT int32_t ucnv_countAvailable(void) { return 0; }
EXPORT const char *ucnv_getAvailableName(int32_t n) { (void)n; return NULL; }
EXPORT const char *ucnv_getStandardName(const char *name, const char *standard, UErrorCode *err) {
    (void)name; (void)standard; fail(err); return NULL;
}
EXPORT void UCNV_FROM_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void UCNV_TO_U_CALLBACK_SUBSTITUTE(void) {}
EXPORT void ucnv_getToUCallBack(const UConverter *c, UConverterCallback *action, const void **context) {
    (void)c; if (action) *action = NULL; if (context) *context = NULL;
}
EXPORT void ucnv_getFromUCallBack(const UConverter *c, UConverterCallback *action, const void **context) {
    (void)c; if (action) *action = NULL; if (context) *context = NULL;
}
EXPORT void ucnv_setToUCallBack(UConverter *c, UConverterCallback action, const void *context,
                                UConverterCallback *old, const void **oldContext, UErrorCode *err) {
    (void)c; (void)action; (void)context; (void)old; (void)oldContext; fail(err);
}
EXPORT void ucnv_setFromUCallBack(UConverter *c, UConverterCallback action, const void *context,
                                  UConverterCallback *old, const void **oldContext, UErrorCode *err) {
    (void)c; (void)action; (void)context; (void)old; (void)oldContext; fail(err);
}
EXPORT void ucnv_toUnicode(UConverter *c, UChar **target, const UChar *targetLimit, const char **source,
                           const char *sourceLimit, int32_t *offsets, int8_t flush, UErrorCode *err) {
    (void)c; (void)target; (void)targetLimit; (void)source; (void)sourceLimit; (void)offsets; (void)flush;
    fail(err);
}
EXPORT void ucnv_fromUnicode(UConverter *c, char **target, const char *targetLimit, const UChar **source,
                             const UChar *sourceLimit, int32_t *offsets, int8_t flush, UErrorCode *err) {
    (void)c; (void)target; (void)targetLimit; (void)source; (void)sourceLimit; (void)offsets; (void)flush;
    fail(err);
}
EXPORT int32_t ucnv_toUCountPending(const UConverter *c, UErrorCode *err) { (void)c; fail(err); return -1; }
EXPORT int32_t ucnv_fromUCountPending(const UConverter *c, UErrorCode *err) { (void)c; fail(err); return -1; }
EXPORT void ucnv_cbToUWriteUChars(void *args, const UChar *source, int32_t length, int32_t offsetIndex,
                                  UErrorCode *err) {
    (void)args; (void)source; (void)length; (void)offsetIndex; fail(err);
}
EXPORT void ucnv_cbFromUWriteUChars(void *args, const UChar **source, const UChar *sourceLimit,
                                    int32_t offsetIndex, UErrorCode *err) {
    (void)args; (void)source; (void)sourceLimit; (void)offsetIndex; fail(err);
}
