import Foundation
import Testing
import TestSupport

/// `treso report`: a self-contained HTML page, readable without JavaScript.
@Suite struct ReportTests {
    static var chromium: String? {
        // Debian's /usr/bin/chromium is a shell wrapper that can fail on large-memory hosts: the binary itself first.
        for p in ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        return nil
    }

    func report(_ dir: String) throws -> String {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let (_, err, code) = try run("treso report examples/demo --plan \"overdraft only\" --output \(dir)/report.html")
        #expect(code == 0, "\(err)")
        return readText(dir + "/report.html") ?? ""
    }

    @Test func theReportIsSelfContainedAndSaysWhatMatters() throws {
        let dir = NSTemporaryDirectory() + "treso-report-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let html = try report(dir)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"))
        #expect(html.contains("<svg") && html.contains("<polyline"))
        #expect(html.contains("13-week cash table") && html.contains("Plans compared") && html.contains("Assumptions"))
        // 13 week columns, the breach and the cash missing on the worst day.
        let header = html.components(separatedBy: "<tr><th>Week of</th>").last?.components(separatedBy: "</tr>").first ?? ""
        #expect(header.components(separatedBy: "<th>").count - 1 == 13)
        #expect(html.contains("15 828.24 missing on 28/12/2026"))
        let (_, missing, code) = try run("treso report examples/demo")
        #expect(code == 64 && missing.contains("--output"))
    }

    /// Rendered by headless Chromium with JavaScript off: the page must paint its chart and tables.
    /// scripts/setup installs Chromium (Debian's, without recommends), so CI runs this; elsewhere, without it, the test is skipped.
    @Test(.enabled(if: ReportTests.chromium != nil, "chromium is not installed (apt-get install chromium): the screenshot check is skipped"))
    func headlessChromiumRendersTheReport() throws {
        let dir = NSTemporaryDirectory() + "treso-report-shot-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try report(dir)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try #require(Self.chromium))
        p.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-zygote",
                       "--user-data-dir=\(dir)/profile", "--disable-javascript", "--window-size=1200,1800", "--screenshot=\(dir)/report.png", "file://\(dir)/report.html"]
        let log = Pipe()
        p.standardOutput = log
        p.standardError = log
        try p.run()
        let said = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let png = try #require(FileManager.default.contents(atPath: dir + "/report.png"), "chromium said: \(said.suffix(800))")
        #expect(png.count > 20_000, "a blank page compresses to a few KB")
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        if let keep = ProcessInfo.processInfo.environment["TRESO_KEEP_REPORT_PNG"] { try? png.write(to: URL(fileURLWithPath: keep)) }
    }
}
