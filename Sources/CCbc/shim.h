// COIN-OR CBC's C interface (Debian: coinor-libcbc-dev). Only CbcMILP imports this module.
#include <coin/Cbc_C_Interface.h>
