#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TresoCore

/// Reads a whole file into memory, in one allocation when its size is known.
///
/// Failures are diagnostics for `displayName` (line 0: they concern the whole file): missing file,
/// a directory, no permission, unreadable, and an empty file (0 bytes, or only a byte-order mark and
/// white space: there is no header row).
public func readFileBytes(path: String, displayName: String) -> Result<[UInt8], Diagnostic> {
    let fd: Int32
    switch openForReading(path: path, displayName: displayName) {
    case .failure(let d): return .failure(d)
    case .success(let opened): fd = opened
    }
    defer { close(fd) }
    switch readAll(fd, displayName: displayName) {
    case .failure(let d): return .failure(d)
    case .success(let bytes):
        if bytes.withUnsafeBufferPointer({ CSVTextDecoding.isBlankText($0) }) {
            return .failure(.error(displayName, "empty file: no header row"))
        }
        return .success(bytes)
    }
}

/// Maps a large regular file into memory and hands its bytes to `body` (no copy, no zeroed pages);
/// smaller files and anything mmap refuses are read instead. Same failures as `readFileBytes`.
/// (A file truncated by another process while mapped would make the process fault: treso reads
/// files the user just exported, and the speed matters for large ones only.)
func withMappedFile<R>(path: String, displayName: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> Result<R, Diagnostic> {
    let fd: Int32
    switch openForReading(path: path, displayName: displayName) {
    case .failure(let d): return .failure(d)
    case .success(let opened): fd = opened
    }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size >= 1 << 20, st.st_size < Int(Int32.max) {
        let size = Int(st.st_size)
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_POPULATE
        #else
        let flags = MAP_PRIVATE
        #endif
        if let m = mmap(nil, size, PROT_READ, flags, fd, 0), m != MAP_FAILED {
            defer { munmap(m, size) }
            let buf = UnsafeBufferPointer(start: UnsafePointer(m.assumingMemoryBound(to: UInt8.self)), count: size)
            if CSVTextDecoding.isBlankText(buf) { return .failure(.error(displayName, "empty file: no header row")) }
            return .success(body(buf))
        }
    }
    switch readAll(fd, displayName: displayName) {
    case .failure(let d): return .failure(d)
    case .success(let bytes):
        return bytes.withUnsafeBufferPointer { buf in
            if CSVTextDecoding.isBlankText(buf) { return .failure(.error(displayName, "empty file: no header row")) }
            return .success(body(buf))
        }
    }
}

private func describeOpenError(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "file not found"
    case ENOTDIR: return "file not found (a folder in the path is a file)"
    case EACCES, EPERM: return "permission denied: cannot read the file"
    case EISDIR: return "is a directory, not a file"
    case ELOOP: return "cannot open the file: too many symbolic links"
    default:
        if let c = strerror(code) { return "cannot read the file: " + String(cString: c) }
        return "cannot read the file (error \(code))"
    }
}

/// Opens for reading; a directory is refused here (open(2) accepts one).
private func openForReading(path: String, displayName: String) -> Result<Int32, Diagnostic> {
    let fd = open(path, O_RDONLY)
    if fd < 0 { return .failure(.error(displayName, describeOpenError(errno))) }
    var st = stat()
    if fstat(fd, &st) != 0 {
        let e = errno
        close(fd)
        return .failure(.error(displayName, describeOpenError(e)))
    }
    if (st.st_mode & S_IFMT) == S_IFDIR {
        close(fd)
        return .failure(.error(displayName, describeOpenError(EISDIR)))
    }
    return .success(fd)
}

/// Reads to the end: in one allocation when the size is known, else (pipes, devices) in chunks.
private func readAll(_ fd: Int32, displayName: String) -> Result<[UInt8], Diagnostic> {
    var st = stat()
    _ = fstat(fd, &st)
    var bytes: [UInt8] = []
    var readError: Int32 = 0
    let size = Int(st.st_size)
    if (st.st_mode & S_IFMT) == S_IFREG && size > 0 {
        var got = 0
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            guard let base = buf.baseAddress else { initialized = 0; return }
            while got < size {
                let r = read(fd, base + got, size - got)
                if r < 0 {
                    if errno == EINTR { continue }
                    readError = errno
                    break
                }
                if r == 0 { break } // the file shrank while we read it
                got += r
            }
            initialized = got
        }
    }
    if readError == 0 {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if r < 0 {
                if errno == EINTR { continue }
                readError = errno
                break
            }
            if r == 0 { break }
            bytes.append(contentsOf: chunk[0..<r])
        }
    }
    if readError != 0 { return .failure(.error(displayName, describeOpenError(readError))) }
    return .success(bytes)
}
