#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TresoCore

/// Writing a file so that nothing is lost or clobbered, whatever happens meanwhile:
///
/// - the bytes go to a temporary file created exclusively (`O_CREAT|O_EXCL|O_NOFOLLOW`, an unpredictable
///   name, in the target's folder): a file or symlink planted at any name is never opened, followed or
///   truncated;
/// - the temporary file gets the original's permission bits, is flushed (fsync), then renamed over the
///   target (atomic within a file system), and the folder is flushed so the rename persists: a kill -9 at
///   any moment leaves the old file or the new one, complete;
/// - a target that is a symlink is written *through*: its target file is replaced and the link stays a
///   link (as editors do); a dangling link or a target that is not a regular file is refused;
/// - with `expecting`, the target must still hold what was read (`FileFingerprint`): if someone changed it
///   on disk the write does not happen. Writers in the same folder are serialised with `flock` on the folder,
///   so two treso saving the same scenario at once cannot both pass the check;
/// - temporary files left by a process that died (kill -9, power cut) are removed by the next write.
public enum SafeWrite {
    public enum Outcome: Sendable, Equatable {
        /// Written; the fingerprint of what is now on disk.
        case written(FileFingerprint)
        /// The file no longer holds what `expecting` describes: nothing was written.
        case changedOnDisk
        case failed(Diagnostic)
    }

    public static func replace(_ path: String, with bytes: [UInt8], expecting: FileFingerprint? = nil) -> Outcome {
        let target: String
        switch resolve(path) {
        case .failure(let d): return .failed(d)
        case .success(let t): target = t
        }
        let folder = parentPath(target)
        let base = lastPathComponent(target)
        let dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return .failed(error(path, "cannot open the folder \(folder)")) }
        defer { close(dfd) }
        // Serialise treso's own writers of this folder: the check and the rename happen as one step.
        _ = flock(dfd, LOCK_EX)
        defer { _ = flock(dfd, LOCK_UN) }
        removeStaleTemporaries(dfd: dfd, base: base)
        if let expecting, !expecting.matchesFile(at: target) { return .changedOnDisk }

        var existing = stat()
        let exists = stat(target, &existing) == 0
        let mode: mode_t = exists ? existing.st_mode & 0o7777 : 0o666
        var tmp = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            tmp = temporaryName(base)
            fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 || errno != EEXIST { break }
        }
        guard fd >= 0 else { return .failed(error(path, "cannot create a temporary file in \(folder)")) }
        func fail(_ what: String) -> Outcome {
            let d = error(path, what)
            close(fd)
            unlinkat(dfd, tmp, 0)
            return .failed(d)
        }
        var written = 0
        let ok: Bool = bytes.withUnsafeBufferPointer { buf in
            while written < buf.count {
                guard let start = buf.baseAddress else { return true }
                let n = write(fd, start + written, buf.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += n
            }
            return true
        }
        guard ok else { return fail("cannot write \(folder)/\(tmp)") }
        // The creation mode went through the umask: give the file exactly the original's bits.
        if exists { _ = fchmod(fd, mode) }
        guard fsync(fd) == 0 else { return fail("cannot flush \(folder)/\(tmp) to disk") }
        guard close(fd) == 0 else {
            let d = error(path, "cannot close \(folder)/\(tmp)")
            unlinkat(dfd, tmp, 0)
            return .failed(d)
        }
        guard renameat(dfd, tmp, dfd, base) == 0 else {
            let d = error(path, "cannot replace \(target)")
            unlinkat(dfd, tmp, 0)
            return .failed(d)
        }
        _ = fsync(dfd)
        return .written(FileFingerprint(bytes: bytes, modified: FileFingerprint.stamp(of: target)?.modified))
    }

    /// The file a write to `path` replaces: `path` itself, or the file a symlink at `path` points to.
    static func resolve(_ path: String) -> Result<String, Diagnostic> {
        var st = stat()
        guard lstat(path, &st) == 0 else {
            // A new file: its folder must exist (the write reports it otherwise).
            return .success(path)
        }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard let real = realpath(path, nil) else {
                return .failure(.error(path, "is a symlink to a missing file: not written (point it at a file, or remove it)"))
            }
            defer { free(real) }
            let resolved = String(cString: real)
            var t = stat()
            guard stat(resolved, &t) == 0, (t.st_mode & S_IFMT) == S_IFREG else {
                return .failure(.error(path, "is a symlink to \(resolved), which is not a regular file: not written"))
            }
            return .success(resolved)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.error(path, "is not a regular file: not written")) }
        return .success(path)
    }

    /// `.treso.toml.<pid>.<random>.tmp`: hidden, unpredictable, and naming the process that owns it.
    static func temporaryName(_ base: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let r = String(rng.next() as UInt64, radix: 36)
        return "." + base + "." + String(getpid()) + "." + r + ".tmp"
    }

    /// Temporary files of `base` whose process is gone (killed during a write).
    static func removeStaleTemporaries(dfd: Int32, base: String) {
        let dup = dup(dfd)
        guard dup >= 0, let dir = fdopendir(dup) else { return }
        defer { closedir(dir) }
        let prefix = "." + base + "."
        var stale: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard name.hasPrefix(prefix), name.hasSuffix(".tmp") else { continue }
            let parts = name.dropFirst(prefix.count).split(separator: ".")
            guard parts.count == 3, let pid = Int32(parts[0]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { stale.append(name) }
        }
        for name in stale { unlinkat(dfd, name, 0) }
    }

    static func error(_ path: String, _ what: String) -> Diagnostic {
        .error(path, "\(what): \(String(cString: strerror(errno)))")
    }
}

/// Writes `bytes` to `path` with `SafeWrite.replace` (no check of what the file held).
public func writeFileAtomically(path: String, bytes: [UInt8]) -> Result<Void, Diagnostic> {
    switch SafeWrite.replace(path, with: bytes) {
    case .written: return .success(())
    case .failed(let d): return .failure(d)
    case .changedOnDisk: return .failure(.error(path, "changed on disk"))
    }
}
