#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an export may go. An export never replaces the scenario's own files (its treso.toml, its
/// invoice files), whatever the path says (`./treso.toml`, `../demo/treso.toml`, a symlink to one: the
/// files are compared by device and inode), and replaces any other existing file only once the user agreed.
public enum ExportTarget {
    public enum Status: Sendable, Equatable {
        case free
        /// A file is there already: ask before replacing it.
        case exists
        /// One of the scenario's own files: never written.
        case protected
        /// Something that is not a regular file (a folder, a device…).
        case notAFile
    }

    /// `path` as written by the user, relative paths taken from the scenario's folder.
    public static func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") ? path : joinPath(folder == "." ? "" : folder, path)
    }

    public static func status(of path: String, protecting own: [String]) -> Status {
        var st = stat()
        guard stat(path, &st) == 0 else {
            var l = stat()
            // A dangling symlink: writing would create its target somewhere else; treat it as taken.
            return lstat(path, &l) == 0 ? .exists : .free
        }
        for file in own where !file.isEmpty {
            var o = stat()
            if stat(file, &o) == 0, o.st_dev == st.st_dev, o.st_ino == st.st_ino { return .protected }
        }
        return (st.st_mode & S_IFMT) == S_IFREG ? .exists : .notAFile
    }
}
