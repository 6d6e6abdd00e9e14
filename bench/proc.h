/* proc.h - a process's resident memory and CPU time from /proc, for the
 * server-side figures of the benchmark (Linux only). */
#ifndef LOTSE_BENCH_PROC_H
#define LOTSE_BENCH_PROC_H

#include <stdbool.h>

/* VmRSS of pid in KiB, or -1 if it cannot be read. */
long proc_rss_kib(int pid);
/* User + system CPU seconds pid has used, or -1 if it cannot be read. */
double proc_cpu_s(int pid);

/* False once pid has exited (gone, or a zombie not yet reaped). */
bool proc_alive(int pid);

#endif
