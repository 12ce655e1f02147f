import Foundation
import Testing
import TestSupport

/// `treso project --by week|month`: the JSON contract of issue 13 and the French Excel dialect.
@Suite struct PeriodCommandTests {
    static func cents(_ s: Any?) -> Int64? {
        guard let t = s as? String else { return nil }
        let neg = t.hasPrefix("-")
        let parts = t.drop { $0 == "-" }.split(separator: ".")
        guard parts.count == 2, let u = Int64(parts[0]), let f = Int64(parts[1]) else { return nil }
        return (neg ? -1 : 1) * (u * 100 + f)
    }

    @Test(arguments: ["week", "month"]) func categoriesAddUpToClosingMinusOpening(_ by: String) throws {
        let (out, err, code) = try run("treso project examples/demo --start 2026-11-30 --by \(by) --format json")
        #expect(code == 0, "\(err)")
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        let periods = try #require(obj?["periods"] as? [[String: Any]])
        #expect(periods.count == (by == "week" ? 26 : 7))
        if by == "week" {
            #expect(periods[0]["start"] as? String == "2026-11-30")
            #expect(periods[0]["end"] as? String == "2026-12-06")
        }
        for p in periods {
            let cats = try #require(p["categories"] as? [String: Any])
            let sum = cats.values.compactMap(PeriodCommandTests.cents).reduce(0, +)
            let open = try #require(PeriodCommandTests.cents(p["opening"])), close = try #require(PeriodCommandTests.cents(p["closing"]))
            #expect(sum == close - open, "\(p["start"] ?? "")")
            #expect(PeriodCommandTests.cents(p["lowest"]).map { $0 <= max(open, close) } == true)
            #expect(p["lowest_date"] is String)
        }
        let first = try #require(periods.first?["categories"] as? [String: Any])
        #expect(Set(first.keys).isSuperset(of: ["Customers", "Suppliers", "Payroll", "Rent", "VAT returns", "Customers (forecast)"]))
    }

    @Test func frenchDialectOpensInExcel() throws {
        let (out, _, code) = try run("treso project examples/cases/0-overdraft --format csv --dialect fr")
        #expect(code == 0)
        #expect(out.hasPrefix("\u{FEFF}date;opening;receipts;"))
        #expect(out.contains("\r\n"))
        #expect(out.contains("28/12/2026;1000,00;"))
        #expect(out.contains("-10025,86"))
        let (weeks, _, _) = try run("treso project examples/cases/0-overdraft --by week --format csv --dialect fr")
        #expect(weeks.hasPrefix("\u{FEFF}row;2026-12-28\r\nstart;28/12/2026\r\nend;03/01/2027\r\n"))
        #expect(weeks.contains("\r\nSuppliers;-11000,00\r\nBank charges;-25,86\r\nclosing;-10025,86\r\n"))
    }

    @Test func outputGoesToTheFileAsked() throws {
        let dir = NSTemporaryDirectory() + "treso-period-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (out, _, code) = try run("treso project examples/cases/0-overdraft --by month --format json --output \(dir)/p.json")
        #expect(code == 0 && out.isEmpty)
        #expect(readText(dir + "/p.json")?.contains("\"by\": \"month\"") == true)
    }
}

/// `--format xlsx --output FILE`: a real workbook (libxlsxwriter) whose amounts are numbers and dates are dates.
@Suite struct XLSXExportTests {
    @Test func projectWritesNumbersAsNumbersAndDatesAsDates() throws {
        let dir = NSTemporaryDirectory() + "treso-xlsx-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, err, code) = try run("treso project examples/demo --by week --format xlsx --output \(dir)/p.xlsx")
        #expect(code == 0, "\(err)")
        // Read the sheet XML with Python's zipfile (always present with the Debian toolchain image).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import zipfile,re,sys
            z = zipfile.ZipFile(sys.argv[1])
            x = z.read('xl/worksheets/sheet2.xml').decode()
            print(re.findall(r'<row r="2".*?</row>', x)[0])
            print('sheets', len([n for n in z.namelist() if n.startswith('xl/worksheets/sheet')]))
            """, dir + "/p.xlsx"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // 2026-12-01 is Excel serial 46357 (a date cell, no t="s"); the opening 82 000.00 a number.
        #expect(text.contains("<c r=\"A2\" s=\"2\"><v>46357</v></c>"))
        #expect(text.contains("<c r=\"B2\" s=\"3\"><v>82000</v></c>"))
        #expect(text.contains("sheets 2"))
        let (_, missing, code2) = try run("treso project examples/demo --format xlsx")
        #expect(code2 == 64 && missing.contains("--format xlsx needs --output"))
    }
}

/// `compare` and `entries` take the same export options as `project`: `--format csv|json|xlsx`, `--dialect fr`, `--output`.
@Suite struct CompareAndEntriesExportTests {
    @Test func compareInTheFrenchDialect() throws {
        let (out, err, code) = try run("treso compare examples/cases/0-overdraft --format csv --dialect fr")
        #expect(code == 0, "\(err)")
        #expect(out.hasPrefix("\u{FEFF}name;total_cost;operating_cost;"))
        // Costs positive with a decimal comma, the rate too, dates DD/MM/YYYY, balances negative when overdrawn.
        #expect(out.contains("\r\noverdraft only;91,91;0,00;91,91;91,91;0,00;0,00;10,8090;-10091,91;28/01/2027;"))
        let (standard, _, _) = try run("treso compare examples/cases/0-overdraft --format csv")
        #expect(standard.contains("\noverdraft only,91.91,0.00,91.91,91.91,0.00,0.00,10.8090,-10091.91,2027-01-28,"))
    }

    @Test func entriesAsCSVJSONAndToAFile() throws {
        let (out, err, code) = try run("treso entries examples/cases/2-factoring-advance --plan factor --format csv --dialect fr")
        #expect(code == 0, "\(err)")
        #expect(out.hasPrefix("\u{FEFF}entry;date;reference;label;account;account_name;debit;credit\r\n"))
        #expect(out.contains("\r\n1;03/12/2026;F-2026-001;assignment of the receivable to the factor;467;Factor / organisme de financement;20000,00;0,00\r\n"))
        let (json, _, _) = try run("treso entries examples/cases/2-factoring-advance --plan factor --format json")
        let obj = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let entries = try #require(obj?["entries"] as? [[String: Any]])
        let lines = try #require(entries.first?["lines"] as? [[String: Any]])
        #expect(lines.first?["debit"] as? String == "20000.00" && lines.first?["account"] as? String == "467")
        let dir = NSTemporaryDirectory() + "treso-entries-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (quiet, _, code2) = try run("treso entries examples/cases/2-factoring-advance --plan factor --format csv --output \(dir)/e.csv")
        #expect(code2 == 0 && quiet.isEmpty)
        #expect(readText(dir + "/e.csv")?.hasPrefix("entry,date,reference,") == true)
    }

    @Test func compareAndEntriesAsWorkbooks() throws {
        let dir = NSTemporaryDirectory() + "treso-xlsx2-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, err, code) = try run("treso compare examples/cases/0-overdraft --format xlsx --output \(dir)/c.xlsx")
        #expect(code == 0, "\(err)")
        let (_, err2, code2) = try run("treso entries examples/cases/2-factoring-advance --plan factor --format xlsx -o \(dir)/e.xlsx")
        #expect(code2 == 0, "\(err2)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", """
            import zipfile,re,sys
            for f in sys.argv[1:]:
                x = zipfile.ZipFile(f).read('xl/worksheets/sheet1.xml').decode()
                print(re.findall(r'<row r="2".*?</row>', x)[0])
            """, dir + "/c.xlsx", dir + "/e.xlsx"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        // The comparison's total cost 91.91 and rate 10.809 are numbers; the entry's date (2026-12-03: serial 46359) a date.
        #expect(text.contains("<v>91.91</v>"), "\(text)")
        #expect(text.contains("<v>10.809</v>"), "\(text)")
        #expect(text.contains("<v>46359</v>"), "\(text)")
        #expect(text.contains("<v>20000</v>"), "\(text)")
        let (_, missing, code3) = try run("treso compare examples/demo --format xlsx")
        #expect(code3 == 64 && missing.contains("--format xlsx needs --output"))
    }

    /// `--account NAME` with `--by` and `--day` (§17): one account's period table adds up to its own balances, its
    /// transfers are financing, and the accounts' tables add up to the consolidated one.
    @Test func perAccountPeriodTablesAddUpToTheConsolidatedOne() throws {
        func closings(_ args: String) throws -> [Int64] {
            let (out, err, code) = try run("treso project examples/accounts --by month --format json" + args)
            #expect(code == 0, "\(err)")
            let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
            let periods = try #require(obj?["periods"] as? [[String: Any]])
            for p in periods {
                let cats = try #require(p["categories"] as? [String: Any])
                let open = try #require(PeriodCommandTests.cents(p["opening"])), close = try #require(PeriodCommandTests.cents(p["closing"]))
                #expect(cats.values.compactMap(PeriodCommandTests.cents).reduce(0, +) == close - open, "\(args) \(p["start"] ?? "")")
            }
            return try periods.map { try #require(PeriodCommandTests.cents($0["closing"])) }
        }
        let whole = try closings("")
        let parts = try ["main", "second", "factor"].map { try closings(" --account " + $0) }
        #expect(parts.count == 3 && whole.indices.allSatisfy { i in parts.reduce(0) { $0 + $1[i] } == whole[i] })
        let (day, _, code) = try run("treso project examples/accounts --account second --day 2027-02-28")
        #expect(code == 0 && day.contains("Transfer from main") && day.contains("+162.23"))
        let (mainDay, _, _) = try run("treso project examples/accounts --account main --day 2027-02-28")
        #expect(mainDay.contains("Transfer to second") && mainDay.contains("15 738.74"))
    }

    /// `treso compare --format json` with several accounts: each plan lists each account's bank charges (adding up to
    /// the plan's), lowest balance and days over its own limit; the table has a line per account.
    @Test func compareListsEachAccount() throws {
        let (out, err, code) = try run("treso compare examples/accounts --format json")
        #expect(code == 0, "\(err)")
        let obj = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        let plans = try #require(obj?["plans"] as? [[String: Any]])
        for p in plans {
            let accounts = try #require(p["accounts"] as? [[String: Any]])
            #expect(accounts.map { $0["name"] as? String } == ["main", "second", "factor"])
            let sum = accounts.compactMap { PeriodCommandTests.cents($0["bank_charges"]) }.reduce(0, +)
            #expect(sum == PeriodCommandTests.cents(p["bank_charges"]), "\(p["name"] ?? "")")
            let worst = accounts.compactMap { $0["days_over_limit"] as? Int }.max()
            #expect(worst.map { $0 > 0 } == ((p["days_over_limit"] as? Int ?? 0) > 0))
        }
        let overdraftOnly = try #require(plans.first?["accounts"] as? [[String: Any]])
        #expect(overdraftOnly[1]["days_over_limit"] as? Int == 18 && overdraftOnly[1]["lowest_balance"] as? String == "-35042.78")
        let (table, _, _) = try run("treso compare examples/accounts")
        #expect(table.contains("      on account second") && table.contains("  on account second "))
        let (single, _, _) = try run("treso compare examples/credit-lines --format json")
        #expect(!single.contains("\"accounts\""))
    }
}
