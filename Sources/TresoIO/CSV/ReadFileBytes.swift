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
    if path.isEmpty { return .failure(.error(displayName, "no file name given (the path is empty)")) }
    let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
    if fd < 0 { return .failure(.error(displayName, describeOpenError(errno))) }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) != 0 { return .failure(.error(displayName, describeOpenError(errno))) }
    switch st.st_mode & S_IFMT {
    case S_IFREG: break
    case S_IFDIR: return .failure(.error(displayName, describeOpenError(EISDIR)))
    case S_IFIFO: return .failure(.error(displayName, "is a named pipe (FIFO), not a regular file: treso reads only regular files"))
    case S_IFCHR, S_IFBLK: return .failure(.error(displayName, "is a device, not a regular file: treso reads only regular files"))
    case S_IFSOCK: return .failure(.error(displayName, "is a socket, not a regular file: treso reads only regular files"))
    default: return .failure(.error(displayName, "is not a regular file: treso reads only regular files"))
    }
    let size = Int(st.st_size)
    let ceiling = limit.bytes
    if size > ceiling {
        return .failure(.error(displayName, "file too large: \(size) bytes, over the limit of \(ceiling) bytes "
            + "(\(ceiling / 1_000_000) MB; set \(FileSizeLimit.environmentVariable) to change it)"))
    }
    var readError: Int32 = 0
    // Exactly the size fstat gave: a file growing while we read is cut there, one shrinking ends early.
    let bytes = [UInt8](unsafeUninitializedCapacity: max(size, 0)) { buf, initialized in
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
