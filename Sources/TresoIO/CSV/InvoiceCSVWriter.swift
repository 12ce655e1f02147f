import TresoCore

/// Writes invoices in treso's canonical CSV form, which `InvoiceCSVReader` reads back to the same
/// invoices (line numbers aside):
///
///     id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount,country,note
///     F-2026-000123,Client 0042,2026-11-03,2027-01-02,12345.67,EUR,open,,,,
///
/// `,` delimiter, LF line ends, UTF-8 without BOM, ISO dates, `.` decimals with two places, empty
/// fields for absent values. A field is quoted (RFC 4180, `"` doubled) when it holds a `,`, a `"`,
/// or a line break. The reader ignores spaces around fields, so a name's own leading or trailing
/// spaces do not survive a round trip; neither does an empty note or country (read back as absent).
/// `kind` does not change the format; it is taken so callers state what they export.
public enum InvoiceCSVWriter {
    public static let header = "id,counterparty,issue_date,due_date,amount,currency,status,expected_date,discount,country,note"

    public static func write(_ invoices: [Invoice], kind: InvoiceKind, currency: String) -> [UInt8] {
        // One allocation of an upper bound (every text field fully quoted), written in place: no
        // growth, no final copy. Pages past the real end are never touched, so they cost nothing.
        func bound(_ s: String?) -> Int { s.map { $0.utf8.count * 2 + 2 } ?? 0 }
        var capacity = header.utf8.count + 1
        for inv in invoices {
            capacity += bound(inv.id) + bound(inv.counterparty) + bound(currency) + bound(inv.country) + bound(inv.note)
                + 3 * 10 + 24 + 8 + 40 + 11
        }
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            adviseHugePages(buffer)
            var out = ByteSink(buffer)
            out.append(header)
            out.append(0x0A)
            var cur = currency
            let quotedCurrency = cur.withUTF8 { needsQuotes($0) }
            for inv in invoices {
                out.field(inv.id); out.append(0x2C)
                out.field(inv.counterparty); out.append(0x2C)
                out.date(inv.issueDate); out.append(0x2C)
                out.date(inv.dueDate); out.append(0x2C)
                out.money(inv.amount); out.append(0x2C)
                if quotedCurrency { out.field(currency) } else { out.append(currency) }
                out.append(0x2C)
                out.append(inv.status.rawValue); out.append(0x2C)
                if let e = inv.expectedDate { out.date(e) }
                out.append(0x2C)
                if let d = inv.discount { out.append(d.text) } // at most 40 bytes
                out.append(0x2C)
                if let c = inv.country { out.field(c) }
                out.append(0x2C)
                if let n = inv.note { out.field(n) }
                out.append(0x0A)
            }
            written = out.count
        }
    }

    static func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
        return false
    }
}

/// Writes into a buffer sized in advance by `InvoiceCSVWriter.write`; a value that would not fit
/// is cut rather than written past the end (the bound makes that impossible).
private struct ByteSink {
    private let base: UnsafeMutablePointer<UInt8>?
    private let capacity: Int
    private(set) var count = 0
    private var dateKeys = [Int32](repeating: .min, count: 1024)
    private var dateText = [(UInt64, UInt16)](repeating: (0, 0), count: 1024)

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        base = buffer.baseAddress
        capacity = buffer.count
    }

    @inline(__always) private func fits(_ n: Int) -> Bool { count + n <= capacity }

    @inline(__always) mutating func append(_ b: UInt8) {
        guard let base, fits(1) else { return }
        base[count] = b
        count += 1
    }

    mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { append($0) }
    }

    @inline(__always) mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base, let src = bytes.baseAddress, fits(bytes.count) else { return }
        (base + count).initialize(from: src, count: bytes.count)
        count += bytes.count
    }

    /// A text field, quoted (RFC 4180) when it holds a delimiter, a quote or a line break.
    mutating func field(_ s: String) {
        var s = s
        s.withUTF8 { bytes in
            guard InvoiceCSVWriter.needsQuotes(bytes) else { append(bytes); return }
            guard let base, fits(bytes.count * 2 + 2) else { return }
            base[count] = 0x22; count += 1
            for b in bytes {
                base[count] = b; count += 1
                if b == 0x22 { base[count] = 0x22; count += 1 }
            }
            base[count] = 0x22; count += 1
        }
    }

    /// `YYYY-MM-DD`; a file has a few hundred distinct dates, so their text is remembered.
    mutating func date(_ d: Day) {
        guard let base, fits(10) else { return }
        let slot = Int(UInt32(bitPattern: d.raw) & 1023)
        if dateKeys[slot] != d.raw {
            let c = d.components
            let y = c.year
            let t: [UInt8] = [UInt8(48 + y / 1000 % 10), UInt8(48 + y / 100 % 10), UInt8(48 + y / 10 % 10), UInt8(48 + y % 10), 0x2D,
                              UInt8(48 + c.month / 10), UInt8(48 + c.month % 10), 0x2D, UInt8(48 + c.day / 10), UInt8(48 + c.day % 10)]
            var w: UInt64 = 0
            for i in 0..<8 { w |= UInt64(t[i]) << UInt64(8 * i) }
            dateKeys[slot] = d.raw
            dateText[slot] = (w, UInt16(t[8]) | UInt16(t[9]) << 8)
        }
        let (w, tail) = dateText[slot]
        UnsafeMutableRawPointer(base + count).storeBytes(of: w.littleEndian, as: UInt64.self)
        UnsafeMutableRawPointer(base + count + 8).storeBytes(of: tail.littleEndian, as: UInt16.self)
        count += 10
    }

    /// `-1234.50`: two decimals, `.` point.
    mutating func money(_ m: Money) {
        guard let base, fits(24) else { return }
        if m.cents < 0 { base[count] = 0x2D; count += 1 }
        let mag = m.cents.magnitude
        var units = mag / 100
        let frac = mag % 100
        var digits = 0
        var probe = units
        repeat { digits += 1; probe /= 10 } while probe > 0
        var i = count + digits - 1
        repeat { base[i] = UInt8(48 + units % 10); units /= 10; i -= 1 } while units > 0
        count += digits
        base[count] = 0x2E
        base[count + 1] = UInt8(48 + frac / 10)
        base[count + 2] = UInt8(48 + frac % 10)
        count += 3
    }
}
