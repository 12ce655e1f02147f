// CBC driven through its C++ API (CbcMain0/CbcMain1, the same driver Cbc_solve uses), with an event
// handler that reports every incumbent while the search runs. Runs only in treso's solver child process:
// a CBC abort (an assertion in Clp on a large model) ends that process, never treso.
#include "treso_cbc.h"

#include <signal.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "CbcEventHandler.hpp"
#include "CbcModel.hpp"
#include "CbcSolver.hpp"
#include "OsiClpSolverInterface.hpp"

namespace {

class Reporter : public CbcEventHandler {
public:
    Reporter(treso_cbc_report report, void *context, int columns)
        : CbcEventHandler(), report_(report), context_(context), columns_(columns), last_(std::chrono::steady_clock::now()) {}
    Reporter(const Reporter &rhs)
        : CbcEventHandler(rhs), report_(rhs.report_), context_(rhs.context_), columns_(rhs.columns_), last_(rhs.last_) {}
    CbcEventHandler *clone() const override { return new Reporter(*this); }

    CbcAction event(CbcEvent which) override {
        // Heuristics run small searches on sub-models with a copy of this handler: only the main search reports.
        if (model_ == nullptr || model_->parentModel() != nullptr) return noAction;
        if (which == solution || which == heuristicSolution) {
            const double *x = model_->bestSolution();
            double objective = model_->getMinimizationObjValue();
            bool same = x != nullptr && model_->getNumCols() == columns_;
            if (same && model_->originalColumns() != nullptr) {
                const int *original = model_->originalColumns();
                for (int j = 0; j < columns_ && same; ++j) same = original[j] == j;
            }
            report_(context_, 0, objective, model_->getBestPossibleObjValue(), same ? x : nullptr, same ? columns_ : 0);
            last_ = std::chrono::steady_clock::now();
        } else if (which == node || which == treeStatus) {
            auto now = std::chrono::steady_clock::now();
            if (now - last_ > std::chrono::milliseconds(200)) {
                last_ = now;
                double objective = model_->bestSolution() ? model_->getMinimizationObjValue() : INFINITY;
                report_(context_, 1, objective, model_->getBestPossibleObjValue(), nullptr, 0);
            }
        }
        return noAction;
    }

private:
    treso_cbc_report report_;
    void *context_;
    int columns_;
    std::chrono::steady_clock::time_point last_;
};

}  // namespace

extern "C" treso_cbc_outcome treso_cbc_solve(int n, int m, const int *starts, const int *index, const double *values,
                                             const double *colLower, const double *colUpper, const double *objective,
                                             const double *rowLower, const double *rowUpper, const unsigned char *isInteger,
                                             const double *start, double seconds, double relativeGap, int large, int log, int pumpPasses, int maxNodes,
                                             treso_cbc_report report, void *context, double *solution) {
    treso_cbc_outcome out = {3, INFINITY, -INFINITY};
    OsiClpSolverInterface lp;
    lp.loadProblem(n, m, starts, index, values, colLower, colUpper, objective, rowLower, rowUpper);
    bool integer = false;
    for (int j = 0; j < n; ++j)
        if (isInteger[j]) { lp.setInteger(j); integer = true; }

    if (!integer) {   // a pure LP: CbcMain1 would only call Clp
        lp.initialSolve();
        if (lp.isProvenOptimal()) {
            const double *x = lp.getColSolution();
            for (int j = 0; j < n; ++j) solution[j] = x[j];
            out.status = 0; out.objective = lp.getObjValue(); out.bound = out.objective;
        } else if (lp.isProvenPrimalInfeasible()) {
            out.status = 2;
        }
        return out;
    }

    CbcModel model(lp);
    CbcSolverUsefulData data;
    CbcMain0(model, data);
    data.noPrinting_ = log == 0;
    data.useSignalHandler_ = false;   // the parent stops this process by killing it
    Reporter reporter(report, context, n);
    model.passInEventHandler(&reporter);
    if (start != nullptr) {
        std::vector<std::pair<std::string, double> > mip;
        for (int j = 0; j < n; ++j)
            if (isInteger[j]) mip.push_back(std::make_pair(model.solver()->getColName(j), std::round(start[j])));
        model.setMIPStart(mip);
    }
    std::vector<std::string> args = {"treso-cbc", "-log", log ? "1" : "0", "-slog", "0", "-sec", std::to_string(std::max(0.01, seconds))};
    if (relativeGap > 0) { args.push_back("-ratio"); args.push_back(std::to_string(relativeGap)); }
    if (large) { args.push_back("-cuts"); args.push_back("off"); args.push_back("-preprocess"); args.push_back("off"); }
    if (pumpPasses > 0) { args.push_back("-passF"); args.push_back(std::to_string(pumpPasses)); }
    if (maxNodes >= 0) { args.push_back("-maxN"); args.push_back(std::to_string(maxNodes)); }   // deterministic, unlike -sec
    // Benchmarks and experiments (docs/decisions.md): more CBC options, space-separated, e.g. "-passF 30".
    if (const char *extra = getenv("TRESO_CBC_EXTRA")) {
        std::string e(extra), word;
        for (char ch : e + " ") { if (ch == ' ') { if (!word.empty()) args.push_back(word); word.clear(); } else word += ch; }
    }
    args.push_back("-solve");
    args.push_back("-quit");
    std::vector<const char *> argv;
    for (const auto &a : args) argv.push_back(a.c_str());
    CbcMain1(static_cast<int>(argv.size()), argv.data(), model, nullptr, data);

    const double *x = model.bestSolution();
    out.bound = model.getBestPossibleObjValue();
    if (x != nullptr && model.getNumCols() == n) {
        for (int j = 0; j < n; ++j) solution[j] = x[j];
        out.objective = model.getMinimizationObjValue();
        out.status = model.isProvenOptimal() ? 0 : 1;
        if (out.status == 0) out.bound = std::min(out.bound, out.objective);
    } else if (model.isProvenInfeasible()) {
        out.status = 2; out.bound = INFINITY;
    }
    return out;
}

extern "C" int treso_die_with_parent(int parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return 0;   // not Linux-like: the socket's EOF still ends the child
    return getppid() == parent ? 0 : -1;                   // the parent died before the call took effect
}

extern "C" int treso_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
