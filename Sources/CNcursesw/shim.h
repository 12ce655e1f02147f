#ifndef TRESO_CNCURSESW_SHIM_H
#define TRESO_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's -D_XOPEN_SOURCE=600, which hides the wide-character API.
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// What does not import into Swift: function-like macros, attribute bit macros, and the shared mutable
// globals (stdscr, LINES, COLS, COLORS, COLOR_PAIRS, stdin, stdout) that Swift 6 refuses to touch.

static inline attr_t treso_A_NORMAL(void) { return A_NORMAL; }
static inline attr_t treso_A_BOLD(void) { return A_BOLD; }
static inline attr_t treso_A_DIM(void) { return A_DIM; }
static inline attr_t treso_A_UNDERLINE(void) { return A_UNDERLINE; }
static inline attr_t treso_A_REVERSE(void) { return A_REVERSE; }
static inline attr_t treso_A_ITALIC(void) { return A_ITALIC; }

static inline int treso_KEY_F(int n) { return KEY_F(n); }

static inline WINDOW *treso_stdscr(void) { return stdscr; }
static inline int treso_LINES(void) { return LINES; }
static inline int treso_COLS(void) { return COLS; }
static inline int treso_COLORS(void) { return COLORS; }
static inline int treso_COLOR_PAIRS(void) { return COLOR_PAIRS; }
static inline int treso_CCHARW_MAX(void) { return CCHARW_MAX; }

static inline void treso_getmaxyx(WINDOW *win, int *rows, int *columns) {
    int y = 0, x = 0;
    if (win) { getmaxyx(win, y, x); }
    *rows = y;
    *columns = x;
}

// glibc declares wcwidth only under _XOPEN_SOURCE, which SwiftPM drops; the prototype is standard.
extern int wcwidth(wchar_t wc);
static inline int treso_wcwidth(wchar_t wc) { return wcwidth(wc); }

static inline int treso_setlocale_from_environment(void) {
    return setlocale(LC_ALL, "") != NULL;
}

// newterm rather than initscr: initscr prints an error and exits the process when the terminal
// cannot be set up, newterm returns NULL and lets the caller report it.
static inline SCREEN *treso_newterm(void) {
    return newterm(NULL, stdout, stdin);
}

// A terminal without cursor addressing (TERM=dumb, a hardcopy terminal) cannot show a full-screen
// program; newterm accepts it anyway, so the caller checks.
static inline int treso_has_cursor_addressing(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

// Draws one cell. `wch` is a 0-terminated string of one spacing character followed by at most
// CCHARW_MAX - 1 non-spacing ones.
static inline int treso_mvadd_cell(int y, int x, const wchar_t *wch, attr_t attributes, int pair) {
    cchar_t cell;
    if (setcchar(&cell, wch, attributes, (NCURSES_PAIRS_T)pair, NULL) == ERR) { return ERR; }
    return mvadd_wch(y, x, &cell);
}

// ---------------------------------------------------------------------------------------------
// Restoring the terminal on every exit path. This lives in C because it runs inside signal
// handlers; a system-library target cannot hold a .c file, hence `static` definitions in the header
// (only NcursesTerminal includes it, so there is exactly one copy).

// State lives in function-local statics: Swift's importer emits a header's functions it uses, but
// not file-scope tentative definitions, which would leave them undefined at link time.
static inline volatile sig_atomic_t *treso_curses_active(void) {
    static volatile sig_atomic_t active = 0;
    return &active;
}

static inline void treso_set_curses_active(int active) { *treso_curses_active() = active; }

// Idempotent: the first caller (stop(), a signal handler or the atexit hook) restores the terminal.
// endwin is not on the POSIX async-signal-safe list, but it only writes escape sequences and resets
// the tty modes; htop and most curses programs call it from their handlers in the same way.
static inline void treso_restore_terminal(void) {
    if (*treso_curses_active()) {
        *treso_curses_active() = 0;
        curs_set(1);
        endwin();
    }
}

// Every signal whose default action ends the process: any of them would otherwise leave the terminal
// in raw mode (SIGUSR1, SIGPIPE and SIGALRM did, before they were listed here).
#define TRESO_SIGNAL_COUNT 19
static const int treso_signals[TRESO_SIGNAL_COUNT] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
    SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
};
static inline struct sigaction *treso_previous_actions(void) {
    static struct sigaction actions[TRESO_SIGNAL_COUNT];
    return actions;
}

static inline void treso_on_signal(int sig) {
    treso_restore_terminal();
    // Crash signals go back to whatever handled them before (the Swift runtime's backtracer, if any),
    // so crash reports still appear, now on a sane terminal. The others revert to the default
    // action. Re-raising makes the process die of the signal: the shell sees 128 + signal (130 for
    // Ctrl-C), not an ordinary exit status.
    struct sigaction fallback;
    memset(&fallback, 0, sizeof fallback);
    fallback.sa_handler = SIG_DFL;
    sigemptyset(&fallback.sa_mask);
    for (int i = 0; i < TRESO_SIGNAL_COUNT; i++) {
        if (treso_signals[i] != sig) { continue; }
        int crash = sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
        int chained = crash && treso_previous_actions()[i].sa_handler != SIG_DFL && treso_previous_actions()[i].sa_handler != SIG_IGN;
        sigaction(sig, chained ? &treso_previous_actions()[i] : &fallback, NULL);
    }
    raise(sig);
}

static inline void treso_on_exit(void) { treso_restore_terminal(); }

// Call after newterm: ncurses installs its own SIGINT/SIGTERM handlers there, which exit with
// status 1; ours replace them. SIGWINCH and SIGTSTP stay with ncurses (resize events, Ctrl-Z).
static inline void treso_install_signal_handlers(void) {
    static int installed = 0;
    if (installed) { return; }
    installed = 1;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = treso_on_signal;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < TRESO_SIGNAL_COUNT; i++) {
        struct sigaction previous;
        if (sigaction(treso_signals[i], NULL, &previous) != 0) { continue; }
        // A signal ignored when we started (nohup) stays ignored.
        if (previous.sa_handler == SIG_IGN) { continue; }
        treso_previous_actions()[i] = previous;
        sigaction(treso_signals[i], &action, NULL);
    }
    atexit(treso_on_exit);
}

/* Ctrl-C arrives as a key (so quitting asks about unsaved changes) instead of raising SIGINT:
   the terminal's interrupt character is disabled for the program's mode only. ncurses saved the
   shell's modes before and puts them back on endwin, so the user's terminal is unchanged after. */
static inline void treso_disable_interrupt_key(void) {
    struct termios t;
    if (tcgetattr(STDIN_FILENO, &t) == 0) {
        t.c_cc[VINTR] = _POSIX_VDISABLE;
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        def_prog_mode();
    }
}

#endif
