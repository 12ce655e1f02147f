#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file held when it was read or written: its content hash, size and modification time.
/// A save compares it with the file on disk to find out whether someone else changed it meanwhile.
public struct FileFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// 64-bit FNV-1a of the bytes: detects changes, not tampering (nothing here is secret).
    public var hash: UInt64
    public var size: Int
    /// Seconds and nanoseconds since the epoch; nil when the bytes did not come from a file.
    public var modified: Timespec?

    public struct Timespec: Sendable, Hashable {
        public var seconds: Int
        public var nanoseconds: Int
    }

    public init(bytes: some Collection<UInt8>, modified: Timespec? = nil) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        hash = h
        size = bytes.count
        self.modified = modified
    }

    public init(text: String) { self.init(bytes: Array(text.utf8)) }

    public var description: String {
        let when = modified.map { "mtime \($0.seconds).\($0.nanoseconds)" } ?? "no mtime"
        return "\(size) bytes, \(when), fnv1a \(String(hash, radix: 16))"
    }

    /// The modification time and size of `path` (following a symlink to its target), nil when it cannot be read.
    static func stamp(of path: String) -> (size: Int, modified: Timespec)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let t = Timespec(seconds: Int(st.st_mtimespec.tv_sec), nanoseconds: Int(st.st_mtimespec.tv_nsec))
        #else
        let t = Timespec(seconds: Int(st.st_mtim.tv_sec), nanoseconds: Int(st.st_mtim.tv_nsec))
        #endif
        return (Int(st.st_size), t)
    }

    /// The fingerprint of `bytes` just read from `path`.
    public static func of(_ bytes: [UInt8], readFrom path: String) -> FileFingerprint {
        FileFingerprint(bytes: bytes, modified: stamp(of: path)?.modified)
    }

    /// Whether the file at `path` still holds what this fingerprint describes. Same size and time: yes
    /// without reading; otherwise the content decides (a touched but unchanged file is unchanged).
    /// A file that vanished counts as changed.
    public func matchesFile(at path: String) -> Bool {
        guard let now = Self.stamp(of: path) else { return false }
        if let modified, now.modified == modified, now.size == size { return true }
        guard now.size == size, case .success(let bytes) = readFileBytes(path: path, displayName: path) else { return false }
        return FileFingerprint(bytes: bytes).hash == hash
    }
}
