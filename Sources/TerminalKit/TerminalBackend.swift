/// What the event loop needs from a terminal. `NcursesTerminal` is the real one; `HeadlessTerminal`
/// lets tests replay keys through the same loop and look at every frame, with no terminal at all.
public protocol TerminalBackend {
    /// Current size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// Shows `grid`, sending only what changed since the previous frame.
    mutating func present(_ grid: CellGrid)
    /// The next key or resize, waiting at most `timeoutMilliseconds` (negative: wait forever);
    /// nil when nothing arrived in time.
    mutating func nextEvent(timeoutMilliseconds: Int) -> InputEvent?
    /// True once no event can come any more (a headless script ran out): the event loop ends then.
    var inputEnded: Bool { get }
}

extension TerminalBackend {
    /// A real terminal's input never ends while the program runs (a hang-up is a signal).
    public var inputEnded: Bool { false }
}

/// A terminal for tests: hands out scripted events in order and keeps every presented frame.
/// A scripted `.resize` also changes `size`, as a real resize would.
public struct HeadlessTerminal: TerminalBackend, Sendable {
    public private(set) var size: (width: Int, height: Int)
    public private(set) var frames: [CellGrid] = []
    public private(set) var pendingEvents: [InputEvent]

    public init(width: Int, height: Int, events: [InputEvent] = []) {
        size = (max(0, width), max(0, height))
        pendingEvents = events
    }

    /// The last frame presented, if any.
    public var lastFrame: CellGrid? { frames.last }

    /// Every scripted event has been handed out.
    public var inputEnded: Bool { pendingEvents.isEmpty }

    public mutating func present(_ grid: CellGrid) {
        frames.append(grid)
    }

    public mutating func nextEvent(timeoutMilliseconds: Int) -> InputEvent? {
        guard !pendingEvents.isEmpty else { return nil }
        let event = pendingEvents.removeFirst()
        if case .resize(let width, let height) = event { size = (max(0, width), max(0, height)) }
        return event
    }
}
