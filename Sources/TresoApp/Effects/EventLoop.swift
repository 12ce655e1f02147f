import TerminalKit

/// The event loop: draw, present, read an event, handle it; until a quit, or until the terminal has no
/// more input (a headless session's script ran out). Returns how it ended. Tests run whole sessions
/// through it with `HeadlessTerminal`, frame by frame; the executable runs it on `NcursesTerminal`.
public enum SessionEnd: Sendable, Equatable {
    case quit
    case inputEnded
}

/// How long the loop waits for a key while a job runs before it looks at what the job reported: progress shows
/// at most this late, and a key is still read the moment it arrives.
public let jobPollMilliseconds = 50

/// `jobs`: where background effects run (nil: they do not run, as in a benchmark of the key path). While a job
/// runs, the terminal is read with a timeout so its reports are drained and drawn; otherwise the loop blocks on input.
/// When a headless script runs out, the loop waits for the jobs to finish and draws their results once.
@discardableResult
public func run<T: TerminalBackend>(_ state: inout AppState, terminal: inout T,
                                    effects: (Effect) -> Action? = runEffect, jobs: JobRunner? = nil) -> SessionEnd {
    let end = loop(&state, terminal: &terminal, effects: effects, jobs: jobs)
    jobs?.stopAll()
    return end
}

private func loop<T: TerminalBackend>(_ state: inout AppState, terminal: inout T,
                                      effects: (Effect) -> Action?, jobs: JobRunner?) -> SessionEnd {
    let (w, h) = terminal.size
    guard perform(reduce(&state, .resize(width: w, height: h)), state: &state, effects: effects, jobs: jobs) else { return .quit }
    var grid = CellGrid(width: w, height: h)
    var redraw = true
    while true {
        if redraw {
            render(state, into: &grid)
            terminal.present(grid)
        }
        let busy = jobs?.isBusy ?? false
        let event = terminal.nextEvent(timeoutMilliseconds: busy ? jobPollMilliseconds : -1)
        redraw = false
        if let jobs {
            for action in jobs.drain() {
                guard deliver(action, state: &state, effects: effects, jobs: jobs) else { return .quit }
                redraw = true
            }
        }
        guard let event else {
            if terminal.inputEnded {
                if let jobs, jobs.isBusy {
                    jobs.waitUntilIdle()
                    continue
                }
                if redraw { render(state, into: &grid); terminal.present(grid) }
                return .inputEnded
            }
            continue
        }
        redraw = true
        if !handle(event, state: &state, effects: effects, jobs: jobs) { return .quit }
    }
}

/// One terminal event through the app: the key table maps it to an action, `reduce` applies it, and
/// every effect is run (its follow-up actions reduced in turn). Returns false when the app must quit.
public func handle(_ event: InputEvent, state: inout AppState, effects: (Effect) -> Action? = runEffect, jobs: JobRunner? = nil) -> Bool {
    guard let first = state.action(for: event) else { return true }
    return deliver(first, state: &state, effects: effects, jobs: jobs)
}

/// One action through `reduce`, then its effects, and their follow-up actions in turn.
public func deliver(_ action: Action, state: inout AppState, effects: (Effect) -> Action? = runEffect, jobs: JobRunner? = nil) -> Bool {
    var queue = [action]
    while !queue.isEmpty {
        let next = queue.removeFirst()
        var followUps: [Action] = []
        for effect in reduce(&state, next) {
            if effect == .quit { return false }
            switch effect {
            case .startJob(let job): jobs?.start(job)
            case .cancelJob(let kind): jobs?.cancel(kind)
            default: if let followUp = effects(effect) { followUps.append(followUp) }
            }
        }
        queue += followUps
    }
    return true
}

/// Runs effects returned outside `handle` (the first resize).
private func perform(_ list: [Effect], state: inout AppState, effects: (Effect) -> Action?, jobs: JobRunner?) -> Bool {
    for effect in list {
        if effect == .quit { return false }
        switch effect {
        case .startJob(let job): jobs?.start(job)
        case .cancelJob(let kind): jobs?.cancel(kind)
        default:
            if let followUp = effects(effect), !deliver(followUp, state: &state, effects: effects, jobs: jobs) { return false }
        }
    }
    return true
}
