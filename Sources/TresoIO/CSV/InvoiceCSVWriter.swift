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
        var out: [UInt8] = []
        out.reserveCapacity(header.utf8.count + 1 + invoices.count * 72)
        out.append(contentsOf: header.utf8)
        out.append(0x0A)
        let cur = Array(currency.utf8)
        for inv in invoices {
            appendField(inv.id, to: &out); out.append(0x2C)
            appendField(inv.counterparty, to: &out); out.append(0x2C)
            appendDate(inv.issueDate, to: &out); out.append(0x2C)
            appendDate(inv.dueDate, to: &out); out.append(0x2C)
            appendMoney(inv.amount, to: &out); out.append(0x2C)
            appendField(cur, to: &out); out.append(0x2C)
            out.append(contentsOf: inv.status.rawValue.utf8); out.append(0x2C)
            if let e = inv.expectedDate { appendDate(e, to: &out) }
            out.append(0x2C)
            if let d = inv.discount { out.append(contentsOf: d.text.utf8) }
            out.append(0x2C)
            if let c = inv.country { appendField(c, to: &out) }
            out.append(0x2C)
            if let n = inv.note { appendField(n, to: &out) }
            out.append(0x0A)
        }
        return out
    }

    static func appendField(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendField($0, to: &out) }
    }

    static func appendField<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        var needsQuotes = false
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needsQuotes = true
            break
        }
        if !needsQuotes {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    static func appendDate(_ d: Day, to out: inout [UInt8]) {
        let c = d.components
        let y = c.year
        out.append(UInt8(48 + y / 1000 % 10)); out.append(UInt8(48 + y / 100 % 10))
        out.append(UInt8(48 + y / 10 % 10)); out.append(UInt8(48 + y % 10))
        out.append(0x2D)
        out.append(UInt8(48 + c.month / 10)); out.append(UInt8(48 + c.month % 10))
        out.append(0x2D)
        out.append(UInt8(48 + c.day / 10)); out.append(UInt8(48 + c.day % 10))
    }

    static func appendMoney(_ m: Money, to out: inout [UInt8]) {
        if m.cents < 0 { out.append(0x2D) }
        let mag = m.cents.magnitude
        var units = mag / 100
        let frac = mag % 100
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            repeat {
                buf[n] = UInt8(48 + units % 10)
                units /= 10
                n += 1
            } while units > 0
            while n > 0 { n -= 1; out.append(buf[n]) }
        }
        out.append(0x2E)
        out.append(UInt8(48 + frac / 10)); out.append(UInt8(48 + frac % 10))
    }
}
