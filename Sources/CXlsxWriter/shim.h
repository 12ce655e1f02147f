// libxlsxwriter (Debian libxlsxwriter-dev, pkg-config xlsxwriter): writes .xlsx files with typed cells.
#include <xlsxwriter.h>
