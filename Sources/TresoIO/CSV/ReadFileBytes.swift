#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TresoCore

/// How large a file treso agrees to read, checked from `fstat` before a byte is read.
///
/// Defaults: invoice and statement files up to 2 000 MB (the CSV parser addresses rows with 32-bit
/// offsets), the scenario file and themes up to 16 MB (a hand-written TOML file is a few KB).
/// `TRESO_MAX_FILE_MB` in the environment overrides both (a whole number of megabytes, 10⁶ bytes),
/// within the parser's 2 000 MB ceiling. See docs/scenario-format.md § Limits.
public enum FileSizeLimit {
    case data, text

    public static let dataDefault = 2_000_000_000
    public static let textDefault = 16_000_000
    public static let environmentVariable = "TRESO_MAX_FILE_MB"

    public var bytes: Int {
        let fallback = self == .data ? FileSizeLimit.dataDefault : FileSizeLimit.textDefault
        guard let raw = getenv(FileSizeLimit.environmentVariable), let mb = Int(String(cString: raw)), mb >= 0 else { return fallback }
        let (b, o) = mb.multipliedReportingOverflow(by: 1_000_000)
        return o ? FileSizeLimit.dataDefault : min(b, FileSizeLimit.dataDefault)
    }
}

/// Reads a whole **regular** file, refusing anything else before it can block or grow without end:
/// FIFOs (opened non-blocking, so `open(2)` never waits for a writer), devices (`/dev/zero`),
/// sockets, directories and symbolic-link loops each get a clear error; a file larger than `limit`
/// is refused from its size, before a byte is read; and at most the size seen at open is read, so a
/// file that grows meanwhile cannot make the read unbounded. Every reader goes through here (CSV,
/// scenario TOML, themes): see docs/decisions.md § Bounded, regular inputs.
///
/// Failures are diagnostics for `displayName` at line 0 (they concern the whole file).
public func readRegularFile(path: String, displayName: String, limit: FileSizeLimit) -> Result<[UInt8], Diagnostic> {
    switch openRegularFile(path: path, displayName: displayName, limit: limit) {
    case .failure(let d): return .failure(d)
    case .success(let (fd, size)):
        defer { close(fd) }
        return readExactly(fd, size: size, displayName: displayName)
    }
}

/// `readRegularFile` without the copy for large files: a regular file of at least `mapThreshold` bytes
/// is memory-mapped (read-only, private, populated up front) and `body` reads the mapping; a smaller one
/// is read. The same checks come first (regular file, size limit from `fstat`, before any byte is
/// touched). The mapping covers the size seen at open. See docs/decisions.md § Large files are mapped:
/// another process truncating the file during the parse would fault the reader (SIGBUS); that window is the
/// parse itself (a third of a second for a million rows), and the copy it avoids cost 20 % of a load.
public func withRegularFile<R>(path: String, displayName: String, limit: FileSizeLimit,
                               _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, Diagnostic> {
    switch openRegularFile(path: path, displayName: displayName, limit: limit) {
    case .failure(let d): return .failure(d)
    case .success(let (fd, size)):
        defer { close(fd) }
        if size >= mapThreshold {
            #if canImport(Glibc)
            let flags = MAP_PRIVATE | MAP_POPULATE
            #else
            let flags = MAP_PRIVATE
            #endif
            if let m = mmap(nil, size, PROT_READ, flags, fd, 0), m != MAP_FAILED {
                defer { munmap(m, size) }
                return .success(body(UnsafeBufferPointer(start: UnsafePointer(m.assumingMemoryBound(to: UInt8.self)), count: size)))
            }
        }
        switch readExactly(fd, size: size, displayName: displayName) {
        case .failure(let d): return .failure(d)
        case .success(let bytes): return .success(bytes.withUnsafeBufferPointer(body))
        }
    }
}

/// Files from this size are mapped rather than read (below it a read costs less than setting up a mapping).
let mapThreshold = 1 << 20

/// Opens `path` for reading if it is a regular file within `limit`: the descriptor and the size `fstat` gave.
private func openRegularFile(path: String, displayName: String, limit: FileSizeLimit) -> Result<(Int32, Int), Diagnostic> {
    if path.isEmpty { return .failure(.error(displayName, "no file name given (the path is empty)")) }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    if fd < 0 { return .failure(.error(displayName, describeOpenError(errno))) }
    var st = stat()
    if fstat(fd, &st) != 0 { let e = errno; close(fd); return .failure(.error(displayName, describeOpenError(e))) }
    let refusal: String?
    switch st.st_mode & S_IFMT {
    case S_IFREG: refusal = nil
    case S_IFDIR: refusal = describeOpenError(EISDIR)
    case S_IFIFO: refusal = "is a named pipe (FIFO), not a regular file: treso reads only regular files"
    case S_IFCHR, S_IFBLK: refusal = "is a device, not a regular file: treso reads only regular files"
    case S_IFSOCK: refusal = "is a socket, not a regular file: treso reads only regular files"
    default: refusal = "is not a regular file: treso reads only regular files"
    }
    if let refusal { close(fd); return .failure(.error(displayName, refusal)) }
    let size = max(0, Int(st.st_size))
    let ceiling = limit.bytes
    if size > ceiling {
        close(fd)
        return .failure(.error(displayName, "file too large: \(size) bytes, over the limit of \(ceiling) bytes "
            + "(\(ceiling / 1_000_000) MB; set \(FileSizeLimit.environmentVariable) to change it)"))
    }
    return .success((fd, size))
}

/// Exactly the size fstat gave: a file growing while we read is cut there, one shrinking ends early.
private func readExactly(_ fd: Int32, size: Int, displayName: String) -> Result<[UInt8], Diagnostic> {
    var readError: Int32 = 0
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
        var got = 0
        guard let base = buf.baseAddress else { initialized = 0; return }
        while got < size {
            let r = read(fd, base + got, size - got)
            if r < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                readError = errno
                break
            }
            if r == 0 { break }
            got += r
        }
        initialized = got
    }
    if readError != 0 { return .failure(.error(displayName, describeOpenError(readError))) }
    return .success(bytes)
}

/// `readRegularFile` for invoice files: also refuses a file with no text at all (0 bytes, or only a
/// byte-order mark and white space: there is no header row).
public func readFileBytes(path: String, displayName: String) -> Result<[UInt8], Diagnostic> {
    switch readRegularFile(path: path, displayName: displayName, limit: .data) {
    case .failure(let d): return .failure(d)
    case .success(let bytes):
        if bytes.withUnsafeBufferPointer({ CSVTextDecoding.isBlankText($0) }) {
            return .failure(.error(displayName, "empty file: no header row"))
        }
        return .success(bytes)
    }
}

private func describeOpenError(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "file not found"
    case ENOTDIR: return "file not found (a folder in the path is a file)"
    case EACCES, EPERM: return "permission denied: cannot read the file"
    case EISDIR: return "is a directory, not a file"
    case ELOOP: return "cannot open the file: too many symbolic links (a link that points to itself?)"
    case ENAMETOOLONG: return "cannot open the file: the path is too long"
    default:
        if let c = strerror(code) { return "cannot read the file: " + String(cString: c) }
        return "cannot read the file (error \(code))"
    }
}
