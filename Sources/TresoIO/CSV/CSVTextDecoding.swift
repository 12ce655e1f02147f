/// Turning a file's bytes into UTF-8 the CSV parser can walk.
///
/// Policy (decided once per file, before any row is read):
/// - a UTF-8 byte-order mark is skipped; a UTF-16 one (Excel's "Unicode text" export) makes the
///   file transcoded to UTF-8 first;
/// - a file that is valid UTF-8 is used as it is (the common case: no copy);
/// - a file with invalid UTF-8 sequences is decoded as **Windows-1252** (the superset of Latin-1 that
///   French accounting software writes) with one warning, *when its invalid sequences outnumber its
///   valid multi-byte ones*, i.e. when it does not look like UTF-8 at all. Otherwise it is kept as
///   UTF-8 and every row that has an invalid sequence in a column treso uses is reported as an
///   error at that field (a damaged UTF-8 file is not silently re-interpreted).
struct DecodedCSVText {
    /// UTF-8 bytes to parse; `nil` means "the caller's bytes, unchanged".
    var transcoded: [UInt8]?
    /// Where the text starts (after a UTF-8 byte-order mark).
    var start: Int
    /// Offsets of invalid UTF-8 sequences (only when the file stays UTF-8 despite them), ascending.
    var invalidOffsets: [Int]
    /// A one-off warning about the encoding, if any.
    var warning: String?
}

enum CSVTextDecoding {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedCSVText {
        let n = bytes.count
        if n >= 2, bytes[0] == 0xFF, bytes[1] == 0xFE {
            return DecodedCSVText(transcoded: transcodeUTF16(bytes, littleEndian: true), start: 0, invalidOffsets: [], warning: nil)
        }
        if n >= 2, bytes[0] == 0xFE, bytes[1] == 0xFF {
            return DecodedCSVText(transcoded: transcodeUTF16(bytes, littleEndian: false), start: 0, invalidOffsets: [], warning: nil)
        }
        if let littleEndian = looksLikeUTF16WithoutBOM(bytes) {
            return DecodedCSVText(transcoded: transcodeUTF16(bytes, littleEndian: littleEndian, skip: 0), start: 0, invalidOffsets: [],
                                  warning: "UTF-16 text without a byte-order mark (every other byte is 0): read as UTF-16 \(littleEndian ? "LE" : "BE"); save the file as UTF-8 to silence this warning")
        }
        let start = (n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) ? 3 : 0
        let scan = validateUTF8(bytes, from: start)
        if scan.invalid.isEmpty {
            return DecodedCSVText(transcoded: nil, start: start, invalidOffsets: [], warning: nil)
        }
        if scan.invalid.count > scan.validMultiByte {
            return DecodedCSVText(transcoded: windows1252ToUTF8(bytes, from: start), start: 0, invalidOffsets: [],
                                  warning: "not valid UTF-8: decoded as Windows-1252 (Latin-1); save the file as UTF-8 to silence this warning")
        }
        return DecodedCSVText(transcoded: nil, start: start, invalidOffsets: scan.invalid, warning: nil)
    }

    /// UTF-16 without a byte-order mark: in the first 1 KB, at least 90 % of the odd (little-endian) or
    /// even (big-endian) bytes are 0 while the others are not — which no text in UTF-8 or Windows-1252
    /// looks like. Returns whether it is little-endian, or nil.
    static func looksLikeUTF16WithoutBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        let n = min(bytes.count, 1024) & ~1
        guard n >= 4 else { return nil }
        var zeroEven = 0, zeroOdd = 0
        for i in 0..<n where bytes[i] == 0 { if i & 1 == 0 { zeroEven += 1 } else { zeroOdd += 1 } }
        let pairs = n / 2
        if zeroOdd * 10 >= pairs * 9 && zeroEven * 10 < pairs { return true }
        if zeroEven * 10 >= pairs * 9 && zeroOdd * 10 < pairs { return false }
        return nil
    }

    /// Offset of the first byte that is not UTF-8 (same rules as `validateUTF8`), or nil.
    static func firstInvalidUTF8(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard buf.baseAddress != nil else { return nil }
        let n = buf.count
        var i = start
        while i < n {
            let b0 = buf[i]
            if b0 < 0x80 {
                // NUL and UTF-16 text are valid UTF-8 bytes but never a text file's: report them too.
                if b0 == 0 { return i }
                i += 1; continue
            }
            var len = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: return i
            }
            if i + len > n { return i }
            var ok = buf[i + 1] >= lo && buf[i + 1] <= hi
            if ok && len >= 3 { ok = buf[i + 2] & 0xC0 == 0x80 }
            if ok && len == 4 { ok = buf[i + 3] & 0xC0 == 0x80 }
            if !ok { return i }
            i += len
        }
        return nil
    }

    /// Validates UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
    /// ASCII runs are skipped eight bytes at a time, so a plain ASCII file costs almost nothing.
    static func validateUTF8(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) -> (invalid: [Int], validMultiByte: Int) {
        guard let base = buf.baseAddress else { return ([], 0) }
        let n = buf.count
        let raw = UnsafeRawPointer(base)
        var invalid: [Int] = []
        var valid = 0
        var i = start
        while i < n {
            // Fast ASCII skip.
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if w & 0x8080_8080_8080_8080 != 0 { break }
                i += 8
            }
            if i >= n { break }
            let b0 = base[i]
            if b0 < 0x80 { i += 1; continue }
            var len = 0
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: len = 2
            case 0xE0: len = 3; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: len = 3
            case 0xED: len = 3; hi = 0x9F
            case 0xF0: len = 4; lo = 0x90
            case 0xF1...0xF3: len = 4
            case 0xF4: len = 4; hi = 0x8F
            default: len = 0
            }
            if len == 0 || i + len > n { invalid.append(i); i += 1; continue }
            var ok = base[i + 1] >= lo && base[i + 1] <= hi
            if ok && len >= 3 { ok = base[i + 2] & 0xC0 == 0x80 }
            if ok && len == 4 { ok = base[i + 3] & 0xC0 == 0x80 }
            if ok { valid += 1; i += len } else { invalid.append(i); i += 1 }
        }
        return (invalid, valid)
    }

    /// Windows-1252 0x80–0x9F; the five undefined bytes map to the C1 control of the same value (as WHATWG does).
    static let cp1252High: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func windows1252ToUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        for i in start..<bytes.count {
            let b = bytes[i]
            if b < 0x80 { out.append(b); continue }
            let scalar: UInt32 = b < 0xA0 ? UInt32(cp1252High[Int(b - 0x80)]) : UInt32(b)
            appendUTF8(scalar, to: &out)
        }
        return out
    }

    static func transcodeUTF16(_ bytes: UnsafeBufferPointer<UInt8>, littleEndian: Bool, skip: Int = 2) -> [UInt8] {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = skip
        while i + 1 < bytes.count {
            let a = UInt16(bytes[i]), b = UInt16(bytes[i + 1])
            units.append(littleEndian ? (a | b << 8) : (a << 8 | b))
            i += 2
        }
        // An odd trailing byte cannot be text: it becomes U+FFFD via the repairing decode below.
        if i < bytes.count { units.append(0xD800) }
        return Array(String(decoding: units, as: UTF16.self).utf8)
    }

    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        } else {
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// True when nothing but a byte-order mark and white space (so there is no header row).
    static func isBlankText(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        else if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            // UTF-16: blank when every code unit is white space.
            var j = 2
            while j + 1 < bytes.count {
                let u = bytes[0] == 0xFF ? (UInt16(bytes[j]) | UInt16(bytes[j + 1]) << 8) : (UInt16(bytes[j]) << 8 | UInt16(bytes[j + 1]))
                if !(u == 0x20 || u == 0x09 || u == 0x0A || u == 0x0D || u == 0xA0 || u == 0xFEFF) { return false }
                j += 2
            }
            return true
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { i += 1; continue }
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 { i += 2; continue }
            return false
        }
        return true
    }
}
