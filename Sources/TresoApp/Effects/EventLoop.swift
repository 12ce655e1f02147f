import TerminalKit

/// The event loop: draw, present, read an event, handle it; until a quit, or until the terminal has no
/// more input (a headless session's script ran out). Returns how it ended. Tests run whole sessions
/// through it with `HeadlessTerminal`, frame by frame; the executable runs it on `NcursesTerminal`.
public enum SessionEnd: Sendable, Equatable {
    case quit
    case inputEnded
}

@discardableResult
public func run<T: TerminalBackend>(_ state: inout AppState, terminal: inout T,
                                    effects: (Effect) -> Action? = runEffect) -> SessionEnd {
    let (w, h) = terminal.size
    reduce(&state, .resize(width: w, height: h))
    var grid = CellGrid(width: w, height: h)
    while true {
        render(state, into: &grid)
        terminal.present(grid)
        guard let event = terminal.nextEvent(timeoutMilliseconds: -1) else {
            if terminal.inputEnded { return .inputEnded }
            continue
        }
        if !handle(event, state: &state, effects: effects) { return .quit }
    }
}

/// One terminal event through the app: the key table maps it to an action, `reduce` applies it, and
/// every effect is run (its follow-up actions reduced in turn). Returns false when the app must quit.
public func handle(_ event: InputEvent, state: inout AppState, effects: (Effect) -> Action? = runEffect) -> Bool {
    guard let first = state.action(for: event) else { return true }
    var queue = [first]
    while !queue.isEmpty {
        let action = queue.removeFirst()
        for effect in reduce(&state, action) {
            if effect == .quit { return false }
            if let followUp = effects(effect) { queue.append(followUp) }
        }
    }
    return true
}
