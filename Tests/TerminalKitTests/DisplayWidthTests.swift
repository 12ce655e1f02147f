import Testing
@testable import TerminalKit

@Suite("Display width")
struct DisplayWidthTests {
    @Test func asciiIsOneColumnPerCharacter() {
        #expect(displayWidth("") == 0)
        #expect(displayWidth("abc XYZ 123 !?") == 14)
    }

    @Test func accentedLettersComposedAndDecomposedAreOneColumn() {
        let composed = "\u{E9}"  // é
        let decomposed = "e\u{301}"  // e + combining acute
        #expect(displayWidth(composed) == 1)
        #expect(displayWidth(decomposed) == 1)
        #expect(displayWidth("Cre\u{301}ance") == 7)
        #expect(displayWidth("a\u{301}\u{302}\u{303}") == 1)  // several combining marks stack
    }

    @Test func cjkHangulKanaAndFullwidthAreTwoColumns() {
        #expect(displayWidth("漢字") == 4)
        #expect(displayWidth("한국어") == 6)
        #expect(displayWidth("カナ") == 4)
        #expect(displayWidth("ＡＢ") == 4)  // fullwidth forms
        #expect(displayWidth("\u{1100}\u{1161}\u{11A8}") == 2)  // decomposed Hangul syllable: one cluster
        #expect(displayWidth("a漢b") == 4)
    }

    @Test func emojiAreTwoColumns() {
        #expect(displayWidth("🙂") == 2)
        #expect(displayWidth("🇫🇷") == 2)  // flag: two regional indicators
        #expect(displayWidth("👨‍👩‍👧‍👦") == 2)  // ZWJ family is one cluster
        #expect(displayWidth("👍🏽") == 2)  // skin tone modifier
        #expect(displayWidth("❤️") == 2)  // text-default heart upgraded by U+FE0F
        #expect(displayWidth("1️⃣") == 2)  // keycap
        #expect(displayWidth("❤") == 1)  // without the selector the heart is text
        #expect(displayWidth("1") == 1)
    }

    @Test func zeroWidthClustersTakeNoColumn() {
        #expect(displayWidth("\u{301}") == 0)  // lone combining mark
        #expect(displayWidth("\u{200D}") == 0)  // lone ZWJ
        #expect(displayWidth("\u{FE0F}") == 0)  // lone variation selector
        #expect(displayWidth("\u{200B}") == 0)  // zero width space
        #expect(displayWidth("a\u{200B}b") == 2)
    }

    @Test func controlsAreDrawnAsTheirEscapes() {
        #expect(sanitized("a\u{1B}[31mb") == "a\\e[31mb")
        #expect(sanitized("x\ty\r\nz\u{7F}\u{85}") == "x\\ty\\r\\nz\\x7F\\x85")
        #expect(displayWidth("a\u{1B}b") == 4)
        #expect(displayWidth("\u{7}") == 4)
        #expect(displayWidth("\r\n") == 4)  // one cluster, two escapes
        #expect(sanitized("a\u{202E}b") == "a\\u{202E}b")  // bidi override shown, never sent raw
        #expect(displayWidth("a\u{202E}b") == 10)
        #expect(sanitized("e\u{301}") == "e\u{301}")
        // One convention: what the grid draws is what the headless commands print.
        for text in ["F-1\u{1B}]0;pwned\u{7}", "a\u{2028}b\u{2066}c", "\u{0}\u{9F}"] {
            #expect(sanitized(text) == escapingControls(text))
            #expect(displayWidth(text) == displayWidth(escapingControls(text)))
        }
    }

    @Test func characterAndStringWidthsAgree() {
        for text in ["é", "漢", "🙂", "🇫🇷", "👨‍👩‍👧", "a", "\u{1}", "\u{1B}", "\r\n", "\u{202E}"] {
            let character = Character(text)
            #expect(displayWidth(character) == displayWidth(text), "\(text)")
        }
    }

    @Test func eastAsianTableIsSortedAndDisjoint() {
        let table = eastAsianWideRanges
        #expect(table.count % 2 == 0)
        for i in stride(from: 0, to: table.count, by: 2) {
            #expect(table[i] <= table[i + 1])
            if i + 2 < table.count { #expect(table[i + 1] < table[i + 2]) }
        }
    }
}

@Suite("Truncation and padding")
struct TruncationTests {
    @Test func shortTextIsUnchanged() {
        #expect(truncate("Loyer", toWidth: 5) == "Loyer")
        #expect(truncate("Loyer", toWidth: 10) == "Loyer")
    }

    @Test func longTextEndsWithEllipsis() {
        #expect(truncate("Fournisseur", toWidth: 6) == "Fourn…")
        #expect(truncate("Fournisseur", toWidth: 1) == "…")
        #expect(truncate("Fournisseur", toWidth: 0) == "")
        #expect(truncate("Fournisseur", toWidth: -3) == "")
        #expect(truncate("Fournisseur", toWidth: 6, ellipsis: "...") == "Fou...")
        #expect(truncate("Fournisseur", toWidth: 2, ellipsis: "...") == "Fo")
    }

    @Test func wideCharacterIsNeverSplit() {
        // 漢字漢字 is 8 columns; 5 columns leave 4 before the ellipsis: two CJK characters fit exactly.
        #expect(truncate("漢字漢字", toWidth: 5) == "漢字…")
        // 4 columns leave 3: one CJK character, then a space where half of the next one would go.
        #expect(truncate("漢字漢字", toWidth: 4) == "漢 …")
        #expect(truncate("🙂🙂🙂", toWidth: 2) == " …")
    }

    @Test func truncatedWidthIsAlwaysTheRequestedWidth() {
        let samples = ["漢字漢字", "a漢b字c", "🇫🇷🙂é", "e\u{301}e\u{301}漢", "plain ascii text"]
        for text in samples {
            for width in 0...12 {
                let out = truncate(text, toWidth: width)
                #expect(displayWidth(out) == min(width, displayWidth(text)), "\(text) @\(width): \(out)")
            }
        }
    }

    @Test func padAlignsAndFits() {
        #expect(pad("42", toWidth: 5, alignment: .right) == "   42")
        #expect(pad("42", toWidth: 5, alignment: .left) == "42   ")
        #expect(pad("42", toWidth: 5, alignment: .center) == " 42  ")
        #expect(pad("漢", toWidth: 3, alignment: .right) == " 漢")
        #expect(pad("123456", toWidth: 4) == "123…")
        #expect(pad("x", toWidth: -1) == "")
    }
}
