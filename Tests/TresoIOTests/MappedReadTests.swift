#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport
import TresoCore
@testable import TresoIO

/// Issue 9 follow-up: large invoice files are memory-mapped again (the bounded read copied them: a
/// million-invoice load took 20 % more time and memory), with the regular-file and size checks first.
@Suite("Large files are mapped, after the same checks")
struct MappedReadTests {
    static func temporaryFile(_ name: String, bytes: [UInt8]) -> String {
        let path = "/tmp/treso-map-\(getpid())-\(name)"
        let f = fopen(path, "wb")
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
        return path
    }

    /// Whether `/proc/self/maps` shows a mapping of `path` right now.
    static func isMapped(_ path: String) -> Bool {
        (readText("/proc/self/maps") ?? "").split(separator: "\n").contains { $0.hasSuffix(" " + path) }
    }

    @Test func aLargeRegularFileIsReadThroughAMappingNotACopy() throws {
        let row = Array("F-1,Acme,2026-01-01,2026-02-01,100.00\n".utf8)
        var bytes = Array("id,counterparty,issue_date,due_date,amount\n".utf8)
        while bytes.count < 2 << 20 { bytes += row }
        let path = Self.temporaryFile("large.csv", bytes: bytes)
        defer { unlink(path) }
        let seen = withRegularFile(path: path, displayName: "large.csv", limit: .data) { buf -> (Bool, Bool) in
            (Self.isMapped(path), Array(buf) == bytes)
        }
        guard case .success(let (mapped, same)) = seen else { Issue.record("\(seen)"); return }
        #expect(mapped, "a 2 MB file was copied, not mapped")
        #expect(same)
        #expect(!Self.isMapped(path), "the mapping outlived the read")
        // The reader goes through it: every row is read.
        let r = InvoiceCSVReader.read(path: path, displayName: "large.csv", kind: .receivable, currency: "EUR")
        #expect(r.invoices.count == (bytes.count - 43) / row.count)
    }

    @Test func aSmallFileIsReadAndTheChecksStillComeFirst() throws {
        let small = Self.temporaryFile("small.csv", bytes: Array("id\n".utf8))
        defer { unlink(small) }
        let seen = withRegularFile(path: small, displayName: "small.csv", limit: .data) { _ in Self.isMapped(small) }
        #expect(seen == .success(false))
        // Over the size limit: refused from fstat, before a byte is read or mapped (a sparse 17 MB file).
        let big = "/tmp/treso-map-\(getpid())-big.toml"
        let fd = open(big, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(ftruncate(fd, 17_000_000) == 0)
        close(fd)
        defer { unlink(big) }
        var touched = false
        let refused = withRegularFile(path: big, displayName: "big.toml", limit: .text) { _ in touched = true }
        guard case .failure(let d) = refused else { Issue.record("a 17 MB file passed the 16 MB limit"); return }
        #expect(d.message.contains("file too large") && !touched)
        // Not a regular file: refused.
        guard case .failure(let z) = withRegularFile(path: "/dev/zero", displayName: "z", limit: .data, { _ in 0 }) else {
            Issue.record("/dev/zero was read"); return
        }
        #expect(z.message.contains("is a device"))
    }
}
