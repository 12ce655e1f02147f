import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An optimization running on its own thread, for the planner: poll `progress` and `outcome` from the UI
/// loop (or be woken by `onUpdate`), `cancel()` on Esc. The solve itself runs in the solver's child process
/// (CbcSolver), so a solver abort ends as `.failure(.solverCrashed)`, never as a crash of the planner.
public final class OptimizationJob: Sendable {
    private struct State: Sendable {
        var progress: OptimizerProgress?
        var outcome: Result<OptimizedPlan, OptimizeError>?
    }
    private let state = Mutex(State())
    private let token = CancellationToken()

    /// Starts `optimizer.optimize(request)` on a new thread. `onUpdate` is called from that thread after
    /// each progress report and once at the end (e.g. to wake the UI loop); keep it short.
    public init(optimizer: PlanOptimizer, request: OptimizeRequest, onUpdate: @escaping @Sendable () -> Void = {}) {
        detachThread { [self] in
            let outcome: Result<OptimizedPlan, OptimizeError>
            do {
                outcome = .success(try optimizer.optimize(request, progress: { p in
                    self.state.withLock { $0.progress = p }
                    onUpdate()
                }, cancel: self.token))
            } catch let e as OptimizeError {
                outcome = .failure(e)
            } catch {
                outcome = .failure(.solverFailed(String(describing: error)))
            }
            self.state.withLock { $0.outcome = outcome }
            onUpdate()
        }
    }

    /// The latest progress report (nil before the first).
    public var progress: OptimizerProgress? { state.withLock { $0.progress } }
    /// nil while running; then the plan (`feasible` with the best plan so far when cancelled) or the error
    /// (`.cancelled` when cancelled before any plan was found).
    public var outcome: Result<OptimizedPlan, OptimizeError>? { state.withLock { $0.outcome } }
    public var isFinished: Bool { outcome != nil }

    /// Stops the solve soon after (its process is killed); `outcome` then holds the best plan so far.
    public func cancel() { token.cancel() }
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

/// Runs `body` on a new detached POSIX thread (no Foundation in this target).
private func detachThread(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    pthread_attr_setstacksize(&attributes, 16 << 20)
    var thread = pthread_t()
    let started = pthread_create(&thread, &attributes, { p in
        guard let p else { return nil }
        Unmanaged<ThreadBody>.fromOpaque(p).takeRetainedValue().run()
        return nil
    }, box)
    pthread_attr_destroy(&attributes)
    if started != 0 {   // no thread: run here rather than never
        Unmanaged<ThreadBody>.fromOpaque(box).takeRetainedValue().run()
    }
}
