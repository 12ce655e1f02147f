// The CBC solve run inside treso's solver child process (see CbcMILP/ChildSolver.swift).
// C++ because CBC's C interface cannot report an incumbent's values while it searches;
// a CbcEventHandler can. Only CbcMILP uses this module.
#ifndef TRESO_CBC_H
#define TRESO_CBC_H
#ifdef __cplusplus
extern "C" {
#endif

/// kind 0: a new incumbent (values has n entries, or is NULL when CBC's presolved model does not map
/// one to one onto the columns given); kind 1: progress (objective = incumbent's or +inf, bound).
typedef void (*treso_cbc_report)(void *context, int kind, double objective, double bound, const double *values, int n);

typedef struct {
    /// 0 optimal (within the gap), 1 stopped with a solution, 2 proven infeasible, 3 stopped without a solution.
    int status;
    double objective;
    double bound;
} treso_cbc_outcome;

/// Solves the column-major model; `solution` (n doubles) receives the best solution when status is 0 or 1.
/// `start` (n doubles, or NULL) is a MIP start for the integer columns.
treso_cbc_outcome treso_cbc_solve(int n, int m, const int *starts, const int *index, const double *values,
                                  const double *colLower, const double *colUpper, const double *objective,
                                  const double *rowLower, const double *rowUpper, const unsigned char *isInteger,
                                  const double *start, double seconds, double relativeGap, int large, int log, int pumpPasses, int maxNodes,
                                  treso_cbc_report report, void *context, double *solution);

/// Makes the kernel kill this process when its parent (treso) dies, even by SIGKILL: a solve must not outlive the
/// planner or the command that asked for it. `parent` is the parent's pid seen before the call; returns 0, or -1 when
/// the parent is already gone (the caller then exits).
int treso_die_with_parent(int parent);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends close on exec, created atomically (Swift's Glibc does not export pipe2).
int treso_pipe_cloexec(int fds[2]);

#ifdef __cplusplus
}
#endif
#endif
