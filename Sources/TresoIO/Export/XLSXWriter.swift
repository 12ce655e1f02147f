import CXlsxWriter
import TresoCore
#if canImport(Glibc)
import Glibc
#endif

/// Writes sheets to an .xlsx workbook through libxlsxwriter: amounts are numbers (format `# ##0.00`), dates are
/// dates (`dd/mm/yyyy`), so a spreadsheet sums and sorts them without conversion. Written beside the target,
/// then renamed over it, so a failed export never leaves half a file.
public enum XLSXWriter {
    /// Nil on success, else why the file could not be written.
    public static func write(_ sheets: [Sheet], to path: String) -> String? {
        let temp = path + ".tmp-\(getpid())"
        guard let wb = workbook_new(temp) else { return "\(path): cannot create the workbook" }
        let money = workbook_add_format(wb)
        format_set_num_format(money, "#,##0.00")
        let date = workbook_add_format(wb)
        format_set_num_format(date, "dd/mm/yyyy")
        let bold = workbook_add_format(wb)
        format_set_bold(bold)
        var used: Set<String> = []
        for sheet in sheets {
            var name = String(sheet.name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
            if name.isEmpty || used.contains(name) { name = "Sheet\(used.count + 1)" }
            used.insert(name)
            guard let ws = workbook_add_worksheet(wb, name) else { continue }
            for (c, h) in sheet.headers.enumerated() { worksheet_write_string(ws, 0, lxw_col_t(c), h, bold) }
            for (r, row) in sheet.rows.enumerated() {
                let rr = lxw_row_t(r + 1)
                for (c, cell) in row.enumerated() {
                    let cc = lxw_col_t(c)
                    switch cell {
                    case .text(let s): worksheet_write_string(ws, rr, cc, s, nil)
                    // A cent count below 2^53 is exact as a double; the spreadsheet's number is its only form.
                    case .money(let m): worksheet_write_number(ws, rr, cc, Double(m.cents) / 100, money)
                    case .int(let n): worksheet_write_number(ws, rr, cc, Double(n), nil)
                    case .decimal(let t):
                        if let v = Double(t) { worksheet_write_number(ws, rr, cc, v, nil) } else { worksheet_write_string(ws, rr, cc, t, nil) }
                    case .day(let d):
                        let k = d.components
                        var dt = lxw_datetime(year: Int32(k.year), month: Int32(k.month), day: Int32(k.day), hour: 0, min: 0, sec: 0)
                        worksheet_write_datetime(ws, rr, cc, &dt, date)
                    case .empty: break
                    }
                }
            }
            worksheet_set_column(ws, 0, lxw_col_t(max(0, sheet.headers.count - 1)), 14, nil)
            worksheet_freeze_panes(ws, 1, 1)
        }
        let err = workbook_close(wb)
        guard err == LXW_NO_ERROR else {
            unlink(temp)
            return "\(path): \(String(cString: lxw_strerror(err)))"
        }
        guard rename(temp, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temp)
            return "\(path): \(why)"
        }
        return nil
    }
}
