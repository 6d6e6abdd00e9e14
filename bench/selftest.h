/* selftest.h - `lotse-bench-load --self-test`: known-answer checks of the
 * load generator's own protocol code (SHA-1/base64, handshake, framing with
 * 7/16/64-bit lengths, the JSON scanner, the histogram). Run by ctest as
 * bench.selftest, so a broken client cannot produce plausible figures. */
#ifndef LOTSE_BENCH_SELFTEST_H
#define LOTSE_BENCH_SELFTEST_H

/* Runs every check, printing each failure. Returns the number of failures. */
int load_self_test(void);

#endif
