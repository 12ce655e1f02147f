import CCbcChild
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TresoOptimize

/// CBC in a child process: treso re-executes itself with a hidden first argument, hands the model over a
/// socket, and reads back each incumbent as the search finds it. A CBC abort (CBC 2.10.8 once stopped on a
/// Clp assertion on a 10 000-invoice model) ends the child, never treso or the planner; cancelling or the
/// hard time limit kills the child and keeps the best solution it reported.
///
/// Protocol (native byte order; both ends are the same binary): the parent sends a header of 8 Int64
/// (magic, columns, rows, non-zeros, flags, feasibility-pump passes or 0, 0, 0) and 2 Double (seconds, relative gap), then the arrays
/// of `LinearModel` (column starts and row indices as Int32, values, bounds, objective as Double, integrality as
/// UInt8, and the MIP start when flags has bit 2). The child sends frames: a header of Int64 tag, Int64 status,
/// Double objective, Double bound, Int64 count, then `count` Doubles; tag 1 = incumbent, 2 = progress,
/// 3 = final result (status: 0 optimal, 1 stopped with a solution, 2 infeasible, 3 stopped without one).
enum ChildProtocol {
    static let argument = "__treso-solver-child"
    static let magic: Int64 = 0x7472_6573_6F43_4243   // "tresoCBC"
    static let fd: Int32 = 3
    /// Test hook: once it has read the model, the child aborts (SIGABRT, as CBC did on its assertion) when
    /// this is "abort", or hangs (as CBC's root LP on a huge model ignores its time limit) when "hang".
    static let faultVariable = "TRESO_SOLVER_TEST_FAULT"
    enum Tag: Int64 { case incumbent = 1, progress = 2, result = 3 }
}

extension CbcSolver {
    /// The executable that can run the solver child: treso itself (or treso-bench) when that is what runs,
    /// else the `treso` next to the running executable (the test bundle sits beside it in .build/debug).
    /// TRESO_SOLVER_EXECUTABLE overrides.
    static func defaultChildExecutable() -> String? {
        if let e = getenv("TRESO_SOLVER_EXECUTABLE") { return String(cString: e) }
        var buf = [CChar](repeating: 0, count: 4096)
        let k = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard k > 0 else { return nil }
        let selfPath = String(decoding: buf[0..<k].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let name = selfPath.split(separator: "/").last.map(String.init) ?? ""
        if name == "treso" || name == "treso-bench" { return selfPath }
        let dir = selfPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let sibling = dir + "/treso"
        return access(sibling, X_OK) == 0 ? sibling : nil
    }

    /// Call first thing in `main` of every executable that may be the solver child: when the process was
    /// started as one, it solves the model it is sent and exits.
    public static func runChildIfRequested() {
        guard CommandLine.arguments.count >= 2, CommandLine.arguments[1] == ChildProtocol.argument else { return }
        exit(ChildMain.run())
    }

    func solveInChild(_ m: LinearModel, options: MILPOptions, observer: MILPObserver, executable: String) -> MILPResult {
        let clock = ContinuousClock()
        let started = clock.now
        var pair: [Int32] = [-1, -1]
        // Both ends close on exec (atomically: two solves started at once by two threads must not inherit each
        // other's ends, or a crash of one would only be seen at its time limit); the child's end is dup2'ed onto
        // ChildProtocol.fd by the spawn, which clears the flag on that copy.
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            return failed("could not create a socket for the solver process: " + String(cString: strerror(errno)))
        }
        var errPipe: [Int32] = [-1, -1]
        guard treso_pipe_cloexec(&errPipe) == 0 else {
            close(pair[0]); close(pair[1])
            return failed("could not create a pipe for the solver process: " + String(cString: strerror(errno)))
        }
        let parentEnd = pair[0], childEnd = pair[1]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if !options.log { posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0) }
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_adddup2(&actions, childEnd, ChildProtocol.fd)

        var env: [String] = []
        var e = environ
        while let p = e.pointee { env.append(String(cString: p)); e += 1 }
        // A crash of the child is reported by its signal and CBC's last words (an assertion), not by the Swift
        // runtime's backtrace of the child.
        env.removeAll { $0.hasPrefix("SWIFT_BACKTRACE=") }
        env.append("SWIFT_BACKTRACE=enable=no")
        if let f = testFault {   // (else a TRESO_SOLVER_TEST_FAULT of the environment passes through, for end-to-end tests)
            env.removeAll { $0.hasPrefix(ChildProtocol.faultVariable + "=") }
            env.append(ChildProtocol.faultVariable + "=" + f.rawValue)
        }
        let argv = [executable, ChildProtocol.argument, String(getpid())]
        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cargv in
            withCStrings(env) { cenv in posix_spawn(&pid, executable, &actions, nil, cargv, cenv) }
        }
        close(childEnd); close(errPipe[1])
        guard spawned == 0 else {
            close(parentEnd); close(errPipe[0])
            return failed("could not start the solver process \(executable): " + String(cString: strerror(spawned)))
        }

        var session = ChildSession(pid: pid, socket: parentEnd, errors: errPipe[0])
        defer { session.finish() }
        session.send(model: m, options: options)
        let deadline = started + .milliseconds(Int64(max(0.05, options.timeLimit) * 1000) + 150)
        while !session.done {
            if observer.cancel?.isCancelled == true { session.kill(); session.cancelled = true; break }
            if clock.now >= deadline { session.kill(); session.timedOut = true; break }
            session.poll(milliseconds: 50)
            if let p = session.takeProgress() { observer.progress(p) }
        }
        session.drainAfterExit()
        return session.result(solver: name, columns: m.columnCount)
    }

    private func failed(_ why: String) -> MILPResult {
        MILPResult(status: .unknown, values: [], objective: .infinity, bound: -.infinity, failure: name + ": " + why)
    }
}

private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for p in pointers { free(p) } }
    return body(pointers)
}

/// The parent's side of one child solve.
private struct ChildSession {
    let pid: pid_t
    var socket: Int32
    var errors: Int32
    var done = false
    var cancelled = false
    var timedOut = false
    var exitStatus: Int32? = nil
    var inbox: [UInt8] = []
    var stderrTail: [UInt8] = []
    var best: (objective: Double, values: [Double])? = nil
    var bound = -Double.infinity
    var bestObjectiveSeen = Double.infinity
    var final: (status: Int64, objective: Double, bound: Double, values: [Double])? = nil
    var pendingProgress: MILPProgress? = nil

    init(pid: pid_t, socket: Int32, errors: Int32) { self.pid = pid; self.socket = socket; self.errors = errors }

    /// Writes the model; stops quietly if the child is gone (its exit status tells why).
    mutating func send(model m: LinearModel, options: MILPOptions) {
        let hasStart = options.start.map { $0.count == m.columnCount } ?? false
        let flags: Int64 = (options.large ? 1 : 0) | (options.log ? 2 : 0) | (hasStart ? 4 : 0)
        var ok = write([ChildProtocol.magic, Int64(m.columnCount), Int64(m.rowCount), Int64(m.values.count), flags,
                        Int64(options.pumpPasses ?? 0), Int64(options.maxNodes.map { max($0, 0) } ?? -1), 0])
        ok = ok && write([options.timeLimit, options.relativeGap])
        ok = ok && write(m.columnStarts) && write(m.rowIndex) && write(m.values)
        ok = ok && write(m.columnLower) && write(m.columnUpper) && write(m.objective) && write(m.rowLower) && write(m.rowUpper)
        ok = ok && write(m.isInteger.map { UInt8($0 ? 1 : 0) })
        if ok, hasStart, let s = options.start { _ = write(s) }
    }

    private func write<T>(_ array: [T]) -> Bool {
        array.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let k = Glibc.send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if k < 0 && errno == EINTR { continue }
                if k <= 0 { return false }
                offset += k
            }
            return true
        }
    }

    mutating func poll(milliseconds: Int32) {
        var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
        let k = Glibc.poll(&fds, nfds_t(fds.count), milliseconds)
        guard k > 0 else { return }
        if fds[1].revents != 0 { readErrors() }
        if fds[0].revents != 0 {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { Glibc.recv(socket, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                inbox.append(contentsOf: chunk[0..<n])
                parse()
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                done = true   // the child closed its end: finished, or died
            }
        }
    }

    private mutating func readErrors() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let n = chunk.withUnsafeMutableBytes { read(errors, $0.baseAddress, $0.count) }
        if n > 0 {
            stderrTail.append(contentsOf: chunk[0..<n])
            if stderrTail.count > 8192 { stderrTail.removeFirst(stderrTail.count - 8192) }
        } else {
            close(errors); errors = -1
        }
    }

    private mutating func parse() {
        let header = 40
        var offset = 0
        while inbox.count - offset >= header {
            let words: [Int64] = inbox.withUnsafeBytes { raw in (0..<5).map { raw.loadUnaligned(fromByteOffset: offset + 8 * $0, as: Int64.self) } }
            let count = Int(words[4])
            guard count >= 0, inbox.count - offset >= header + 8 * count else { break }
            let objective = Double(bitPattern: UInt64(bitPattern: words[2]))
            let frameBound = Double(bitPattern: UInt64(bitPattern: words[3]))
            let values: [Double] = inbox.withUnsafeBytes { raw in
                (0..<count).map { raw.loadUnaligned(fromByteOffset: offset + header + 8 * $0, as: Double.self) }
            }
            offset += header + 8 * count
            if frameBound.isFinite { bound = max(bound, frameBound) }
            switch ChildProtocol.Tag(rawValue: words[0]) {
            case .incumbent:
                if objective.isFinite { bestObjectiveSeen = min(bestObjectiveSeen, objective) }
                if !values.isEmpty, objective <= (best?.objective ?? .infinity) { best = (objective, values) }
                pendingProgress = MILPProgress(objective: bestObjectiveSeen.isFinite ? bestObjectiveSeen : nil, bound: bound.isFinite ? bound : nil)
            case .progress:
                if objective.isFinite { bestObjectiveSeen = min(bestObjectiveSeen, objective) }
                pendingProgress = MILPProgress(objective: bestObjectiveSeen.isFinite ? bestObjectiveSeen : nil, bound: bound.isFinite ? bound : nil)
            case .result:
                final = (words[1], objective, frameBound, values)
                done = true
            case nil:
                break
            }
        }
        if offset > 0 { inbox.removeFirst(offset) }
    }

    mutating func takeProgress() -> MILPProgress? {
        defer { pendingProgress = nil }
        return pendingProgress
    }

    mutating func kill() {
        _ = Glibc.kill(pid, SIGKILL)
    }

    /// Reaps the child (killing it if it still runs) and reads what it left on stderr.
    mutating func drainAfterExit() {
        var status: Int32 = 0
        var r = waitpid(pid, &status, WNOHANG)
        if r == 0 {
            if final == nil && !cancelled && !timedOut {
                // The socket closed without a result: give the child a moment to finish dying.
                for _ in 0..<50 where r == 0 { usleep(10_000); r = waitpid(pid, &status, WNOHANG) }
            }
            if r == 0 { _ = Glibc.kill(pid, SIGKILL); r = waitpid(pid, &status, 0) }
        }
        if r == pid { exitStatus = status }
        while errors >= 0 {
            var fds = [pollfd(fd: errors, events: Int16(POLLIN), revents: 0)]
            if Glibc.poll(&fds, 1, 0) <= 0 { break }
            readErrors()
        }
    }

    mutating func finish() {
        if socket >= 0 { close(socket); socket = -1 }
        if errors >= 0 { close(errors); errors = -1 }
    }

    func result(solver: String, columns: Int) -> MILPResult {
        if let f = final, f.status != 3 || !f.values.isEmpty {
            switch f.status {
            case 0 where f.values.count == columns:
                return MILPResult(status: .optimal, values: f.values, objective: f.objective, bound: min(f.bound, f.objective))
            case 1 where f.values.count == columns:
                return MILPResult(status: .feasible, values: f.values, objective: f.objective, bound: f.bound)
            case 2:
                return MILPResult(status: .infeasible, values: [], objective: .infinity, bound: .infinity)
            default: break
            }
        }
        if final != nil {
            return MILPResult(status: .unknown, values: [], objective: .infinity, bound: bound)
        }
        // Stopped early (cancelled, hard time limit) or died: the best incumbent it reported, if any.
        let status: MILPResult.Status = best == nil ? .unknown : .feasible
        var r = MILPResult(status: status, values: best?.values ?? [], objective: best?.objective ?? .infinity, bound: bound)
        r.cancelled = cancelled
        if !cancelled && !timedOut { r.failure = failureDescription(solver: solver) }
        return r
    }

    private func failureDescription(solver: String) -> String {
        var why: String
        if let s = exitStatus {
            let signal = s & 0x7f
            if signal != 0 {
                let label = strsignal(signal).map { String(cString: $0) } ?? "signal"
                why = "\(solver) was stopped by signal \(signal) (\(Self.signalName(signal)), \(label))"
            } else {
                why = "\(solver) exited with status \((s >> 8) & 0xff) before giving a result"
            }
        } else {
            why = "\(solver) ended without giving a result"
        }
        let lines = String(decoding: stderrTail, as: UTF8.self).split(separator: "\n").map { String($0) }.filter { !$0.isEmpty }
        if let last = lines.last { why += ": " + last }
        return why
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGABRT: return "SIGABRT"
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGFPE: return "SIGFPE"
        case SIGILL: return "SIGILL"
        case SIGKILL: return "SIGKILL"
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "SIG\(s)"
        }
    }
}

/// The child's side: read the model, solve it with CBC reporting incumbents, send the result.
private enum ChildMain {
    struct Received {
        var n = 0, m = 0, flags: Int64 = 0, pumpPasses: Int32 = 0, maxNodes: Int32 = -1
        var seconds = 0.0, gap = 0.0
        var starts: [Int32] = [], index: [Int32] = []
        var values: [Double] = [], colLower: [Double] = [], colUpper: [Double] = [], objective: [Double] = []
        var rowLower: [Double] = [], rowUpper: [Double] = []
        var isInteger: [UInt8] = []
        var start: [Double]? = nil
    }

    static func receive(_ fd: Int32) -> Received? {
        var r = Received()
        guard let header: [Int64] = readArray(fd, 8), header[0] == ChildProtocol.magic else { return nil }
        guard let real: [Double] = readArray(fd, 2) else { return nil }
        r.n = Int(header[1]); r.m = Int(header[2]); r.flags = header[4]; r.pumpPasses = Int32(clamping: header[5])
        r.maxNodes = Int32(clamping: header[6])
        let nz = Int(header[3])
        guard r.n >= 0, r.m >= 0, nz >= 0 else { return nil }
        r.seconds = real[0]; r.gap = real[1]
        guard let starts: [Int32] = readArray(fd, r.n + 1) else { return nil }
        r.starts = starts
        guard let index: [Int32] = readArray(fd, nz) else { return nil }
        r.index = index
        var doubles: [[Double]] = []
        for count in [nz, r.n, r.n, r.n, r.m, r.m] {
            guard let a: [Double] = readArray(fd, count) else { return nil }
            doubles.append(a)
        }
        r.values = doubles[0]; r.colLower = doubles[1]; r.colUpper = doubles[2]; r.objective = doubles[3]
        r.rowLower = doubles[4]; r.rowUpper = doubles[5]
        guard let isInteger: [UInt8] = readArray(fd, r.n) else { return nil }
        r.isInteger = isInteger
        if r.flags & 4 != 0 {
            guard let s: [Double] = readArray(fd, r.n) else { return nil }
            r.start = s
        }
        return r
    }

    static func run() -> Int32 {
        let fd = ChildProtocol.fd
        // The parent is our only reader: if it dies (even by kill -9), the kernel ends this solve too.
        let parent = CommandLine.arguments.count > 2 ? Int32(CommandLine.arguments[2]) ?? getppid() : getppid()
        guard treso_die_with_parent(parent) == 0 else { return 5 }
        guard let r = receive(fd) else { return 3 }
        switch getenv(ChildProtocol.faultVariable).map({ String(cString: $0) }) {
        case "abort": abort()
        case "hang": while true { sleep(60) }
        default: break
        }
        var solution = [Double](repeating: 0, count: max(r.n, 1))
        let context = UnsafeMutableRawPointer(bitPattern: Int(fd))
        let start = r.start ?? []
        let out = start.withUnsafeBufferPointer { sp in
            treso_cbc_solve(Int32(r.n), Int32(r.m), r.starts, r.index, r.values, r.colLower, r.colUpper, r.objective,
                            r.rowLower, r.rowUpper, r.isInteger, r.start == nil ? nil : sp.baseAddress, r.seconds, r.gap,
                            r.flags & 1 != 0 ? 1 : 0, r.flags & 2 != 0 ? 1 : 0, r.pumpPasses, r.maxNodes, reportToParent, context, &solution)
        }
        let hasSolution = out.status == 0 || out.status == 1
        sendFrame(fd, tag: .result, status: Int64(out.status), objective: out.objective, bound: out.bound,
                  values: hasSolution ? Array(solution.prefix(r.n)) : [])
        return 0
    }

    static func readArray<T>(_ fd: Int32, _ count: Int) -> [T]? {
        var ok = true
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var offset = 0
            while offset < raw.count {
                let k = read(fd, raw.baseAddress! + offset, raw.count - offset)
                if k < 0 && errno == EINTR { continue }
                if k <= 0 { ok = false; break }
                offset += k
            }
            initialized = ok ? count : 0
        }
        return ok ? out : nil
    }

    static func sendFrame(_ fd: Int32, tag: ChildProtocol.Tag, status: Int64, objective: Double, bound: Double, values: [Double]) {
        var header: [Int64] = [tag.rawValue, status, Int64(bitPattern: objective.bitPattern), Int64(bitPattern: bound.bitPattern), Int64(values.count)]
        let ok = header.withUnsafeBytes { writeAll(fd, $0) }
        if ok { _ = values.withUnsafeBytes { writeAll(fd, $0) } }
        header.removeAll()
    }

    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < raw.count {
            let k = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            if k < 0 && errno == EINTR { continue }
            if k <= 0 { exit(4) }   // the parent is gone: nothing left to solve for
            offset += k
        }
        return true
    }
}

/// CBC's event handler in the child: each incumbent (and, every 200 ms, the bound) goes to the parent.
private func reportToParent(_ context: UnsafeMutableRawPointer?, _ kind: Int32, _ objective: Double, _ bound: Double,
                            _ values: UnsafePointer<Double>?, _ count: Int32) {
    let fd = Int32(truncatingIfNeeded: Int(bitPattern: context))
    let list = values.map { Array(UnsafeBufferPointer(start: $0, count: Int(count))) } ?? []
    ChildMain.sendFrame(fd, tag: kind == 0 ? .incumbent : .progress, status: 0, objective: objective, bound: bound, values: list)
}
