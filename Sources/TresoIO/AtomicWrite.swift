#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TresoCore

/// Writes `bytes` to `path` so that the file is either the old one or the new one, never half of each:
/// the bytes go to `path.tmp` in the same folder, are flushed to disk (fsync), then renamed over `path`
/// (rename(2) is atomic within a file system), and the folder is synced so the rename itself persists.
/// An existing file's permissions are kept.
public func writeFileAtomically(path: String, bytes: [UInt8]) -> Result<Void, Diagnostic> {
    func failure(_ what: String) -> Result<Void, Diagnostic> {
        let reason = String(cString: strerror(errno))
        return .failure(.error(path, "\(what): \(reason)"))
    }
    let tmp = path + ".tmp"
    var mode: mode_t = 0o644
    var st = stat()
    if stat(path, &st) == 0 { mode = st.st_mode & 0o7777 }
    let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode)
    guard fd >= 0 else { return failure("cannot create \(tmp)") }
    var written = 0
    let ok: Bool = bytes.withUnsafeBufferPointer { buf in
        while written < buf.count {
            guard let base = buf.baseAddress else { return true }
            let n = write(fd, base + written, buf.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            written += n
        }
        return true
    }
    guard ok else { let r = failure("cannot write \(tmp)"); close(fd); unlink(tmp); return r }
    _ = fchmod(fd, mode)
    guard fsync(fd) == 0 else { let r = failure("cannot flush \(tmp) to disk"); close(fd); unlink(tmp); return r }
    guard close(fd) == 0 else { let r = failure("cannot close \(tmp)"); unlink(tmp); return r }
    guard rename(tmp, path) == 0 else { let r = failure("cannot replace \(path)"); unlink(tmp); return r }
    // Sync the folder so the new directory entry survives a power cut.
    let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
    let dfd = open(folder.isEmpty ? "/" : folder, O_RDONLY)
    if dfd >= 0 { _ = fsync(dfd); close(dfd) }
    return .success(())
}
