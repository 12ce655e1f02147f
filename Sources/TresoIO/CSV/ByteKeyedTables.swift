#if canImport(Glibc)
import Glibc
#endif

// Hash tables keyed by raw byte ranges of the file, so the hot loop never builds a String to look one up.

@inline(__always) func mix64(_ x: UInt64) -> UInt64 {
    var h = x
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return h
}

@inline(__always) func hashBytes(_ p: UnsafePointer<UInt8>, _ n: Int, seed: UInt64) -> UInt64 {
    let raw = UnsafeRawPointer(p)
    var h = seed ^ (UInt64(truncatingIfNeeded: n) &* 0x9E37_79B9_7F4A_7C15)
    var i = 0
    while i + 8 <= n {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        i += 8
    }
    if i < n {
        var w: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { w |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ w) &* 0xC4CE_B9FE_1A85_EC53
    }
    return mix64(h)
}

@inline(__always) func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 8 <= n {
        if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
        i += 8
    }
    while i < n { if a[i] != b[i] { return false }; i += 1 }
    return true
}

/// Byte-wise lexicographic comparison: negative, zero or positive.
@inline(__always) func compareBytes(_ a: UnsafePointer<UInt8>, _ na: Int, _ b: UnsafePointer<UInt8>, _ nb: Int) -> Int {
    let n = min(na, nb)
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i + 8 <= n {
        let x = UInt64(bigEndian: ra.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        let y = UInt64(bigEndian: rb.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if x != y { return x < y ? -1 : 1 }
        i += 8
    }
    while i < n {
        if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
        i += 1
    }
    return na - nb
}

/// A per-run seed keeps a crafted file from turning lookups quadratic.
func tableSeed() -> UInt64 {
    var g = SystemRandomNumberGenerator()
    return g.next()
}

/// The ranges of the file each remembered id occupies.
struct IDEntry {
    /// Raw content start in the file.
    var start: Int
    /// Raw length; negative for a quoted id with `""` escapes (compared after unescaping).
    var rawLength: Int32
    var line: Int32
}

/// Finds duplicate invoice ids without building strings.
///
/// Exports are usually sorted by invoice number, so while ids keep increasing no table is needed: a
/// duplicate cannot hide in a strictly increasing sequence. The first id out of order switches to a
/// hash table built from all ids so far.
struct DuplicateIDIndex {
    private var entries: [IDEntry] = []
    private var sortedSoFar = true
    /// Hash high 32 bits << 32 | (entry + 1); 0 = empty.
    private var slots: [UInt64] = []
    private var mask = 0
    private let seed = tableSeed()

    /// Ids expected in all: the table, once needed, is made big enough for them at once.
    private var expected = 0

    mutating func reserve(_ n: Int) { entries.reserveCapacity(n); expected = n }

    /// Remembers an id at `p[s..<e]`; returns the line of an earlier identical id, if any.
    @inline(__always)
    mutating func insert(_ p: UnsafePointer<UInt8>, from s: Int, to e: Int, line: Int32) -> Int32? {
        let entry = IDEntry(start: s, rawLength: Int32(truncatingIfNeeded: e - s), line: line)
        if sortedSoFar, let last = entries.last, last.rawLength >= 0 {
            if compareBytes(p + s, e - s, p + last.start, Int(last.rawLength)) > 0 {
                entries.append(entry)
                return nil
            }
        } else if sortedSoFar && entries.isEmpty {
            entries.append(entry)
            return nil
        }
        return insertHashed(p, key: p + s, length: e - s, entry: entry)
    }

    /// Remembers an id recorded earlier as an entry (see `PendingID`).
    mutating func insert(_ p: UnsafePointer<UInt8>, entry: IDEntry) -> Int32? {
        if entry.rawLength >= 0 { return insert(p, from: entry.start, to: entry.start + Int(entry.rawLength), line: entry.line) }
        return insert(p, escapedFrom: entry.start, to: entry.start - Int(entry.rawLength), line: entry.line)
    }

    /// Same for a quoted id with `""` escapes in `p[s..<e]`.
    mutating func insert(_ p: UnsafePointer<UInt8>, escapedFrom s: Int, to e: Int, line: Int32) -> Int32? {
        let key = unescape(p, s, e)
        let entry = IDEntry(start: s, rawLength: -Int32(truncatingIfNeeded: e - s), line: line)
        return key.withUnsafeBufferPointer { k -> Int32? in
            guard let kp = k.baseAddress else { return nil }
            return insertHashed(p, key: kp, length: k.count, entry: entry)
        }
    }

    private func unescape(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> [UInt8] {
        var out: [UInt8] = []
        var i = s
        while i < e {
            out.append(p[i])
            i += (p[i] == 0x22 && i + 1 < e && p[i + 1] == 0x22) ? 2 : 1
        }
        return out
    }

    private func hash(_ p: UnsafePointer<UInt8>, _ e: IDEntry) -> UInt64 {
        if e.rawLength >= 0 { return hashBytes(p + e.start, Int(e.rawLength), seed: seed) }
        let key = unescape(p, e.start, e.start - Int(e.rawLength))
        return key.withUnsafeBufferPointer { k in k.baseAddress.map { hashBytes($0, k.count, seed: seed) } ?? 0 }
    }

    private func matches(_ p: UnsafePointer<UInt8>, _ e: IDEntry, _ key: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        if e.rawLength >= 0 { return Int(e.rawLength) == n && bytesEqual(p + e.start, key, n) }
        let stored = unescape(p, e.start, e.start - Int(e.rawLength))
        return stored.count == n && stored.withUnsafeBufferPointer { s in s.baseAddress.map { bytesEqual($0, key, n) } ?? (n == 0) }
    }

    private mutating func insertHashed(_ p: UnsafePointer<UInt8>, key: UnsafePointer<UInt8>, length: Int, entry: IDEntry) -> Int32? {
        if sortedSoFar { sortedSoFar = false; buildTable(p) }
        let h = hashBytes(key, length, seed: seed)
        let tag = (h >> 32) << 32
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s == 0 { break }
            if s & 0xFFFF_FFFF_0000_0000 == tag {
                let e = entries[Int(s & 0xFFFF_FFFF) - 1]
                if matches(p, e, key, length) { return e.line }
            }
            i = (i + 1) & mask
        }
        entries.append(entry)
        slots[i] = tag | UInt64(entries.count)
        if entries.count * 10 > slots.count * 7 { buildTable(p) }
        return nil
    }

    /// (Re)builds the table from every id so far, at most half full (it grows at 70 %), or two-thirds
    /// full once all the expected ids are in (rebuilding a large table costs more than the probes).
    private mutating func buildTable(_ p: UnsafePointer<UInt8>) {
        var cap = 1024
        while cap < max(entries.count * 2, expected * 3 / 2) { cap <<= 1 }
        // Probes land anywhere in the table: 2 MB pages spare a TLB miss on each (see `adviseHugePages`).
        var newSlots = [UInt64](unsafeUninitializedCapacity: cap) { buf, n in
            adviseHugePages(buf)
            buf.initialize(repeating: 0)
            n = cap
        }
        let m = cap - 1
        for (k, e) in entries.enumerated() {
            let h = hash(p, e)
            var i = Int(truncatingIfNeeded: h) & m
            while newSlots[i] != 0 { i = (i + 1) & m }
            newSlots[i] = ((h >> 32) << 32) | UInt64(k + 1)
        }
        slots = newSlots
        mask = m
    }
}

/// One entry of the interner: the name's first 16 bytes inline, so most lookups touch one slot.
struct InternSlot {
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    /// Byte length; -1 when the slot is empty.
    var length: Int32 = -1
    /// Where bytes 16... of a longer name are kept in the arena.
    var tailStart: Int32 = 0
    /// Index in `strings`.
    var index: Int32 = 0
}

/// Shares one `String` between all rows naming the same counterparty, so a million rows for a few
/// thousand customers hold a few thousand heap strings instead of a million.
/// Bounded: past `limit` distinct names, new names are simply built.
struct StringInterner {
    // Starts small (a file names a few hundred counterparties; the table doubles when half full): a
    // 4096-slot start cost 100 KB of zeroed memory per file read, most of a small file's read time.
    private var slots = [InternSlot](repeating: InternSlot(), count: 256)
    private var strings: [String] = []
    private var tails: [UInt8] = []
    private let limit = 1 << 16
    private let seed = tableSeed()

    /// The first 16 bytes as two little-endian words, zero-padded.
    @inline(__always) static func words(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        if n >= 16 { return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) }
        var w0: UInt64 = 0, w1: UInt64 = 0
        if n >= 8 {
            w0 = raw.loadUnaligned(as: UInt64.self)
            for i in 8..<n { w1 |= UInt64(p[i]) << UInt64(8 * (i - 8)) }
        } else {
            for i in 0..<n { w0 |= UInt64(p[i]) << UInt64(8 * i) }
        }
        return (w0, w1)
    }

    @inline(__always)
    mutating func intern(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        // Up to 15 UTF-8 bytes, Swift stores a string inline: nothing to share, and building it is
        // cheaper than a lookup.
        if n <= 15 { return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self) }
        let (w0, w1) = StringInterner.words(p, n)
        var h = mix64(w0 ^ seed ^ (w1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: n))
        if n > 16 { h ^= hashBytes(p + 16, n - 16, seed: seed) }
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let s = slots[i]
            if s.length < 0 { break }
            if s.w0 == w0 && s.w1 == w1 && Int(s.length) == n {
                if n <= 16 { return strings[Int(s.index)] }
                let same = tails.withUnsafeBufferPointer { t in
                    t.baseAddress.map { bytesEqual($0 + Int(s.tailStart), p + 16, n - 16) } ?? false
                }
                if same { return strings[Int(s.index)] }
            }
            i = (i + 1) & mask
        }
        let str = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        guard strings.count < limit, tails.count < Int(Int32.max) - n else { return str }
        var slot = InternSlot(w0: w0, w1: w1, length: Int32(n), tailStart: 0, index: Int32(strings.count))
        if n > 16 {
            slot.tailStart = Int32(tails.count)
            tails.append(contentsOf: UnsafeBufferPointer(start: p + 16, count: n - 16))
        }
        slots[i] = slot
        strings.append(str)
        if strings.count * 2 > slots.count { rehash() }
        return str
    }

    private mutating func rehash() {
        let old = slots
        slots = [InternSlot](repeating: InternSlot(), count: old.count * 2)
        let mask = slots.count - 1
        tails.withUnsafeBufferPointer { t in
            for s in old where s.length >= 0 {
                let n = Int(s.length)
                var h = mix64(s.w0 ^ seed ^ (s.w1 &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(truncatingIfNeeded: n))
                if n > 16, let tb = t.baseAddress { h ^= hashBytes(tb + Int(s.tailStart), n - 16, seed: seed) }
                var i = Int(truncatingIfNeeded: h) & mask
                while slots[i].length >= 0 { i = (i + 1) & mask }
                slots[i] = s
            }
        }
    }
}

/// Asks the kernel for 2 MB pages behind a large array about to be filled: a million invoices are
/// 128 MB, and faulting them in 4 KB pages costs more than parsing them. Only advice; harmless if ignored.
func adviseHugePages<T>(_ b: UnsafeMutableBufferPointer<T>) {
    #if canImport(Glibc)
    let bytes = b.count * MemoryLayout<T>.stride
    guard bytes >= 4 << 20, let base = b.baseAddress else { return }
    let start = (Int(bitPattern: base) + 0x1F_FFFF) & ~0x1F_FFFF
    let stop = (Int(bitPattern: base) + bytes) & ~0x1F_FFFF
    if stop > start, let ptr = UnsafeMutableRawPointer(bitPattern: start) {
        _ = madvise(ptr, stop - start, MADV_HUGEPAGE)
    }
    #endif
}
