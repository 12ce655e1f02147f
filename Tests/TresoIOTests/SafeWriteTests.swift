#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Saves that never clobber: exclusive temporary files, symlinks, edits made on disk meanwhile,
/// concurrent writers, kills mid-write, exports onto the scenario's own files.
@Suite struct SafeWriteTests {
    func folder() throws -> String {
        var template = Array("/tmp/treso-safewrite-XXXXXX".utf8CString)
        return try #require(template.withUnsafeMutableBufferPointer { buf -> String? in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return nil }
            return String(cString: p)
        })
    }

    func entries(_ dir: String) -> [String] {
        guard let d = opendir(dir) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafePointer(to: e.pointee.d_name) { p in
                p.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }

    func removeAll(_ dir: String) {
        for name in entries(dir) { unlink(dir + "/" + name) }
        rmdir(dir)
    }

    func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    @Test func aWriteLeavesOnlyTheNewFileWithTheOriginalsPermissions() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let path = dir + "/treso.toml"
        writeText(path, "a = 1\n")
        chmod(path, 0o640)
        guard case .written(let fp) = SafeWrite.replace(path, with: Array("a = 2\n".utf8)) else { Issue.record("not written"); return }
        #expect(readText(path) == "a = 2\n")
        #expect(fp == FileFingerprint(bytes: Array("a = 2\n".utf8), modified: fp.modified))
        var st = stat()
        stat(path, &st)
        #expect(st.st_mode & 0o777 == 0o640)
        #expect(entries(dir) == ["treso.toml"], "a temporary file was left behind")
    }

    @Test func aPlantedSymlinkAtATemporaryNameIsNeverFollowed() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let path = dir + "/treso.toml"
        let victim = dir + "/victim"
        writeText(path, "a = 1\n")
        writeText(victim, "precious\n")
        chmod(victim, 0o600)
        // The old fixed name, and names in the new pattern for this process.
        symlink(victim, path + ".tmp")
        symlink(victim, dir + "/.treso.toml.\(getpid()).0.tmp")
        guard case .written = SafeWrite.replace(path, with: Array("a = 2\n".utf8)) else { Issue.record("not written"); return }
        #expect(readText(victim) == "precious\n")
        var st = stat()
        stat(victim, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        #expect(!isSymlink(path))
        #expect(readText(path) == "a = 2\n")
        // Two temporary names are never the same.
        #expect(SafeWrite.temporaryName("treso.toml") != SafeWrite.temporaryName("treso.toml"))
    }

    @Test func aScenarioFileThatIsASymlinkIsWrittenThroughAndStaysALink() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let real = dir + "/real.toml"
        let link = dir + "/treso.toml"
        writeText(real, "a = 1\n")
        chmod(real, 0o600)
        symlink(real, link)
        guard case .written = SafeWrite.replace(link, with: Array("a = 2\n".utf8)) else { Issue.record("not written"); return }
        #expect(isSymlink(link))
        #expect(readText(real) == "a = 2\n")
        var st = stat()
        stat(real, &st)
        #expect(st.st_mode & 0o777 == 0o600)
        // A link to nothing is refused, clearly, and nothing is created.
        let dangling = dir + "/dangling.toml"
        symlink(dir + "/missing", dangling)
        guard case .failed(let d) = SafeWrite.replace(dangling, with: Array("x".utf8)) else { Issue.record("written"); return }
        #expect(d.message.contains("symlink to a missing file"))
        #expect(readText(dir + "/missing") == nil)
    }

    @Test func aFileChangedOnDiskIsNotOverwritten() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let path = dir + "/treso.toml"
        writeText(path, "a = 1\n")
        let read = FileFingerprint.of(Array("a = 1\n".utf8), readFrom: path)
        #expect(read.matchesFile(at: path))
        writeText(path, "a = 1\n# edited by hand\n")
        #expect(SafeWrite.replace(path, with: Array("a = 2\n".utf8), expecting: read) == .changedOnDisk)
        #expect(readText(path) == "a = 1\n# edited by hand\n")
        // Touched but the same bytes: not a change.
        writeText(path, "a = 1\n")
        guard case .written = SafeWrite.replace(path, with: Array("a = 2\n".utf8), expecting: read) else { Issue.record("not written"); return }
        // A file that vanished counts as changed.
        unlink(path)
        #expect(SafeWrite.replace(path, with: Array("a = 3\n".utf8), expecting: read) == .changedOnDisk)
    }

    @Test func twoConcurrentSavesOfTheSameFileNeverBothSucceed() async throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let path = dir + "/treso.toml"
        for round in 0..<8 {
            writeText(path, "round = \(round)\n")
            let read = FileFingerprint(text: "round = \(round)\n")
            let outcomes = await withTaskGroup(of: (String, SafeWrite.Outcome).self) { group in
                for who in ["first", "second"] {
                    group.addTask { (who, SafeWrite.replace(path, with: Array("saved by \(who)\n".utf8), expecting: read)) }
                }
                var out: [(String, SafeWrite.Outcome)] = []
                for await o in group { out.append(o) }
                return out
            }
            let winners = outcomes.filter { if case .written = $0.1 { return true } else { return false } }
            #expect(winners.count == 1, "round \(round): \(outcomes)")
            #expect(outcomes.filter { $0.1 == .changedOnDisk }.count == 1)
            if let w = winners.first { #expect(readText(path) == "saved by \(w.0)\n") }
        }
        #expect(entries(dir) == ["treso.toml"])
    }

    @Test func aTemporaryFileLeftByAKilledWriterIsRemovedByTheNextWrite() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let path = dir + "/treso.toml"
        writeText(path, "a = 1\n")
        // A process id that is not running (the kernel's maximum is below 2^22), and this live process.
        let dead = dir + "/.treso.toml.4194303.abc.tmp"
        let live = dir + "/.treso.toml.\(getpid()).abc.tmp"
        writeText(dead, "half a fi")
        writeText(live, "in progress")
        guard case .written = SafeWrite.replace(path, with: Array("a = 2\n".utf8)) else { Issue.record("not written"); return }
        #expect(readText(dead) == nil)
        #expect(readText(live) == "in progress")
    }

    @Test func exportsNeverTargetTheScenariosOwnFiles() throws {
        let dir = try folder()
        defer { removeAll(dir) }
        let toml = dir + "/treso.toml", csv = dir + "/receivables.csv"
        writeText(toml, "a = 1\n")
        writeText(csv, "id\n")
        symlink(toml, dir + "/alias.toml")
        let own = [toml, csv]
        #expect(ExportTarget.status(of: toml, protecting: own) == .protected)
        #expect(ExportTarget.status(of: dir + "/./treso.toml", protecting: own) == .protected)
        #expect(ExportTarget.status(of: dir + "/alias.toml", protecting: own) == .protected)
        #expect(ExportTarget.status(of: ExportTarget.resolve("receivables.csv", in: dir), protecting: own) == .protected)
        #expect(ExportTarget.status(of: dir + "/out.csv", protecting: own) == .free)
        writeText(dir + "/out.csv", "old\n")
        #expect(ExportTarget.status(of: dir + "/out.csv", protecting: own) == .exists)
        #expect(ExportTarget.status(of: dir, protecting: own) == .notAFile)
        #expect(ExportTarget.resolve("out.csv", in: dir) == dir + "/out.csv")
        #expect(ExportTarget.resolve("/tmp/x.csv", in: dir) == "/tmp/x.csv")
        #expect(ExportTarget.resolve("out.csv", in: ".") == "out.csv")
    }
}
