#include <zlib.h>

// inflateInit is a macro (it passes ZLIB_VERSION and the stream's size): Swift cannot call it.
static inline int treso_inflate_init(z_stream *strm) {
    return inflateInit(strm);
}
