#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Processors this process may run on (at least 1).
func processorCount() -> Int {
    max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Whether a second thread would likely find a core: at least two processors, and the last
/// minute's load average below their number. Measured on the 2-core development machine shared with
/// other builds: with a load around 2, two halves still cut the wall time of a million rows by about
/// a fifth on average; with both cores saturated by other jobs (load 3 and more) they often made it
/// worse, for about 30 % more CPU and 24 MB more memory. Results are the same either way.
public func secondCoreLooksFree() -> Bool {
    let cores = processorCount()
    guard cores >= 2 else { return false }
    var load = [Double](repeating: 0, count: 1)
    guard getloadavg(&load, 1) == 1 else { return true }
    return load[0] < Double(cores)
}

/// Carries a closure to a new thread. Unchecked: `runConcurrently` joins the thread before the
/// closure's captures go out of scope, and the two closures touch disjoint state.
private final class ThreadWork: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// Runs `first` on the calling thread and `second` on a new thread, and returns when both are done.
/// If no thread can be started, runs them one after the other.
public func runConcurrently(_ first: () -> Void, _ second: () -> Void) {
    withoutActuallyEscaping(second) { second in
        let work = Unmanaged.passRetained(ThreadWork(second))
        #if canImport(Darwin)
        var thread: pthread_t? = nil
        #else
        var thread = pthread_t()
        #endif
        let started = pthread_create(&thread, nil, { context in
            #if canImport(Darwin)
            Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue().body()
            #else
            if let context { Unmanaged<ThreadWork>.fromOpaque(context).takeRetainedValue().body() }
            #endif
            return nil
        }, work.toOpaque()) == 0
        first()
        if started {
            #if canImport(Darwin)
            if let thread { pthread_join(thread, nil) }
            #else
            pthread_join(thread, nil)
            #endif
        } else {
            work.takeRetainedValue().body()
        }
    }
}
