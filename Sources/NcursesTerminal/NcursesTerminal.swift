import CNcursesw
import Glibc
import TerminalKit

/// Why the terminal could not be started.
public enum NcursesTerminalError: Error, Equatable, CustomStringConvertible {
    /// Standard input or output is not a terminal (a pipe or a file).
    case notATerminal
    /// ncurses could not set up the terminal named by `TERM`, or it cannot move the cursor (`dumb`).
    case cannotInitialize(term: String)

    public var description: String {
        switch self {
        case .notATerminal: return "standard input and output must be a terminal"
        case .cannotInitialize(let term): return "cannot initialise terminal of type '\(term)'"
        }
    }
}

/// The one place that talks to ncurses: shows `CellGrid` frames (sending only the cells that changed)
/// and turns key codes and resizes into `InputEvent`s.
///
/// Use it from one thread only (the main loop); `@unchecked Sendable` lets that loop hold it in
/// Swift 6 code without pretending ncurses is thread-safe.
///
/// Ctrl-C arrives as the key `ctrl-c` (the terminal's interrupt character is disabled in the program's
/// mode), so the app can ask before discarding unsaved work. Ctrl-\ (SIGQUIT) still interrupts a stuck
/// program, and a SIGINT sent from outside still restores the terminal and ends the process (exit 130).
/// Ctrl-Z suspends and resumes cleanly (ncurses handles SIGTSTP).
///
/// The terminal is restored on every exit path: `stop()`, normal exit (an `atexit` hook), and the
/// signals INT, TERM, HUP, QUIT, SEGV, BUS, ABRT, FPE and ILL (handlers in `CNcursesw/shim.h`).
public final class NcursesTerminal: TerminalBackend, @unchecked Sendable {
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    /// The last frame shown; nil forces the next `present` to redraw everything.
    private var shown: CellGrid?
    private var colorMode = ColorMode.none
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var pairLimit: Int32 = 0
    private let cellCapacity = Int(treso_CCHARW_MAX())

    private enum ColorMode: Equatable {
        /// NO_COLOR, or a terminal without colour: attributes only.
        case none
        /// `colors` is COLORS; `defaultColors` says whether -1 (the terminal's own colour) is usable.
        case palette(colors: Int, defaultColors: Bool)
    }

    private struct PairKey: Hashable {
        var fg: Int16
        var bg: Int16
    }

    public init() {}

    deinit { stop() }

    public var isStarted: Bool { screen != nil }

    /// Takes over the terminal. Does nothing when already started.
    public func start() throws {
        guard screen == nil else { return }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw NcursesTerminalError.notATerminal }
        // Without a UTF-8 locale ncurses prints every non-ASCII character as blank.
        _ = treso_setlocale_from_environment()
        guard let newScreen = treso_newterm() else {
            throw NcursesTerminalError.cannotInitialize(term: environment("TERM") ?? "")
        }
        screen = newScreen
        window = treso_stdscr()
        treso_set_curses_active(1)
        guard treso_has_cursor_addressing() != 0 else {
            stop()
            throw NcursesTerminalError.cannotInitialize(term: environment("TERM") ?? "")
        }
        treso_install_signal_handlers()

        cbreak()
        treso_disable_interrupt_key()
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        // ncurses reads ESCDELAY itself; only when the user did not set it do we lower the one-second
        // default, so that Esc responds at once.
        if environment("ESCDELAY") == nil { set_escdelay(25) }
        curs_set(0)
        leaveok(window, true)
        setUpColors()
        shown = nil
    }

    /// Gives the terminal back. Safe to call more than once, and before `start()`.
    public func stop() {
        guard let current = screen else { return }
        treso_restore_terminal()
        delscreen(current)
        screen = nil
        window = nil
        shown = nil
        pairs = [:]
        nextPair = 1
    }

    /// Columns and rows of the terminal; (0, 0) before `start()`.
    public var size: (width: Int, height: Int) {
        guard window != nil else { return (0, 0) }
        var rows: Int32 = 0
        var columns: Int32 = 0
        treso_getmaxyx(window, &rows, &columns)
        return (Int(max(0, columns)), Int(max(0, rows)))
    }

    // MARK: Output

    /// Shows `grid`: only the cells that differ from the last frame are sent, except after a resize
    /// or on the first frame, when everything is redrawn. Refreshes once.
    public func present(_ grid: CellGrid) {
        guard let window else { return }
        let changes: [CellChange]
        if let shown, shown.width == grid.width, shown.height == grid.height {
            changes = grid.diff(from: shown)
        } else {
            // Full repaint: clear ncurses' idea of the screen as well as the screen itself.
            werase(window)
            clearok(window, true)
            changes = grid.diff(from: CellGrid(width: 0, height: 0))
        }
        for change in changes where !change.cell.isContinuation {
            draw(change.cell, x: change.x, y: change.y, width: displayWidth(change.cell.symbol))
        }
        wrefresh(window)
        shown = grid
    }

    /// Writes one cell. The cell's width comes from TerminalKit; when the C library's idea of the
    /// width differs (an emoji sequence older glibc counts as one column, a non-UTF-8 locale), a
    /// narrower stand-in is written and padded with spaces, so ncurses' cursor never drifts from the
    /// grid's columns.
    private func draw(_ cell: Cell, x: Int, y: Int, width: Int) {
        let attributes = attributes(for: cell.style.attributes)
        let pair = pair(for: cell.style)
        var groups: [[wchar_t]] = []
        var libraryWidth = 0
        for scalar in cell.symbol.unicodeScalars {
            let wc = wchar_t(bitPattern: scalar.value)
            let w = Int(treso_wcwidth(wc))
            if w > 0 {
                groups.append([wc])
                libraryWidth += w
            } else if w == 0, let last = groups.indices.last, groups[last].count < cellCapacity - 1 {
                groups[last].append(wc)
            }
        }
        var column = x
        if !groups.isEmpty && libraryWidth == width {
            for group in groups {
                put(group, x: column, y: y, attributes: attributes, pair: pair)
                column += Int(treso_wcwidth(group[0]))
            }
            return
        }
        if let base = groups.first?.first, Int(treso_wcwidth(base)) <= width {
            put([base], x: column, y: y, attributes: attributes, pair: pair)
            column += Int(treso_wcwidth(base))
        } else {
            put([wchar_t(63)], x: column, y: y, attributes: attributes, pair: pair)  // "?"
            column += 1
        }
        while column < x + width {
            put([wchar_t(32)], x: column, y: y, attributes: attributes, pair: pair)
            column += 1
        }
    }

    private func put(_ characters: [wchar_t], x: Int, y: Int, attributes: attr_t, pair: Int32) {
        guard let x = Int32(exactly: x), let y = Int32(exactly: y) else { return }
        // Errors are expected and harmless here: the bottom-right cell cannot advance the cursor, and a
        // grid larger than the terminal (between a resize and the next frame) writes off screen.
        _ = (characters + [0]).withUnsafeBufferPointer { buffer in
            treso_mvadd_cell(y, x, buffer.baseAddress, attributes, pair)
        }
    }

    private func attributes(for attributes: Attributes) -> attr_t {
        var bits = treso_A_NORMAL()
        if attributes.contains(.bold) { bits |= treso_A_BOLD() }
        if attributes.contains(.dim) { bits |= treso_A_DIM() }
        if attributes.contains(.underline) { bits |= treso_A_UNDERLINE() }
        if attributes.contains(.reverse) { bits |= treso_A_REVERSE() }
        if attributes.contains(.italic) { bits |= treso_A_ITALIC() }
        return bits
    }

    // MARK: Colour

    private func setUpColors() {
        pairs = [:]
        nextPair = 1
        colorMode = .none
        // https://no-color.org: any non-empty NO_COLOR disables colour.
        if let noColor = environment("NO_COLOR"), !noColor.isEmpty { return }
        guard has_colors(), start_color() != ERR else { return }
        let defaultColors = use_default_colors() != ERR
        colorMode = .palette(colors: Int(treso_COLORS()), defaultColors: defaultColors)
        pairLimit = min(treso_COLOR_PAIRS(), Int32(Int16.max))
    }

    /// The colour pair for a style, allocated on first use and cached. When the terminal runs out of
    /// pairs, styles that have none get pair 0 (the terminal's colours); attributes still show.
    private func pair(for style: Style) -> Int32 {
        guard case .palette(let colors, let defaultColors) = colorMode else { return 0 }
        let key = PairKey(fg: colorNumber(style.fg, colors: colors, defaultColors: defaultColors, isForeground: true),
                          bg: colorNumber(style.bg, colors: colors, defaultColors: defaultColors, isForeground: false))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < pairLimit, init_pair(Int16(nextPair), key.fg, key.bg) != ERR else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    private func colorNumber(_ color: Color, colors: Int, defaultColors: Bool, isForeground: Bool) -> Int16 {
        guard let index = color.approximated(colorCount: colors).paletteIndex else {
            // Without use_default_colors the "default" must be named: white on black is the classic one.
            return defaultColors ? -1 : (isForeground ? 7 : 0)
        }
        return Int16(index)
    }

    // MARK: Input

    /// The next key or resize, waiting at most `timeoutMilliseconds` (negative: forever). Nil on
    /// timeout, for keys that have no `Key` (mouse, unknown function keys) and for escape sequences
    /// ncurses did not decode, which are read to their end and dropped.
    public func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard let window else { return nil }
        wtimeout(window, timeoutMilliseconds < 0 ? -1 : Int32(clamping: timeoutMilliseconds))
        var code: wint_t = 0
        switch wget_wch(window, &code) {
        case KEY_CODE_YES:
            return keyCode(Int32(truncatingIfNeeded: code))
        case OK:
            return character(code)
        default:
            return nil
        }
    }

    private func keyCode(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_RESIZE:
            shown = nil  // the next present redraws everything
            let (width, height) = size
            return .resize(width: width, height: height)
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME, KEY_FIND: return .key(.home)
        case KEY_END, KEY_SELECT: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_IC: return .key(.insert)
        case KEY_DC: return .key(.delete)
        case KEY_BTAB: return .key(.backtab)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        default:
            for n in 1...12 where code == treso_KEY_F(Int32(n)) {
                return .key(.function(n))
            }
            return nil
        }
    }

    private func character(_ code: wint_t) -> InputEvent? {
        switch code {
        case 27: return escape()
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 0: return .key(.ctrl(" "))
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(code) + 96))))
        case 28: return .key(.ctrl("\\"))
        case 29: return .key(.ctrl("]"))
        case 30: return .key(.ctrl("^"))
        case 31: return .key(.ctrl("_"))
        default:
            guard let scalar = Unicode.Scalar(code), !(0x80..<0xA0).contains(code) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    /// Esc was read. ncurses has already waited ESCDELAY for a sequence it knows; what follows now,
    /// if anything, is already buffered: nothing means a lone Esc, a printable character means Alt
    /// with it, `[` or `O` starts a sequence ncurses did not recognise, which is consumed and dropped.
    private func escape() -> InputEvent? {
        guard let window else { return .key(.escape) }
        wtimeout(window, 0)
        var next: wint_t = 0
        switch wget_wch(window, &next) {
        case KEY_CODE_YES:
            ungetch(Int32(truncatingIfNeeded: next))
            return .key(.escape)
        case OK:
            break
        default:
            return .key(.escape)
        }
        if next == 91 || next == 79 {  // "[" or "O"
            if dropSequence(afterIntroducer: next) { return nil }
            return .key(.alt(next == 91 ? "[" : "O"))
        }
        if next >= 32, next != 127, let scalar = Unicode.Scalar(next), !(0x80..<0xA0).contains(next) {
            return .key(.alt(Character(scalar)))
        }
        // Esc followed by another control key: report Esc and let the next call see that key.
        unget_wch(wchar_t(bitPattern: next))
        return .key(.escape)
    }

    /// Reads the rest of a CSI (`ESC [ params final`) or SS3 (`ESC O x`) sequence without waiting.
    /// Returns false when nothing followed the introducer (the user typed Alt-[ or Alt-O).
    private func dropSequence(afterIntroducer introducer: wint_t) -> Bool {
        guard let window else { return false }
        var sawAny = false
        for _ in 0..<32 {
            var code: wint_t = 0
            let result = wget_wch(window, &code)
            guard result == OK || result == KEY_CODE_YES else { break }
            sawAny = true
            if result == KEY_CODE_YES { ungetch(Int32(truncatingIfNeeded: code)); break }
            // SS3 has a single final character; CSI ends with a byte in 0x40...0x7E.
            if introducer == 79 || (0x40...0x7E).contains(code) { break }
        }
        return sawAny
    }

    private func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
