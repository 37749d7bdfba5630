import Testing
@testable import Mining

@Suite struct XMLPrologGuardTests {
    @Test func declarationCommentsAndInstructions_leadToTheRoot() {
        let prolog = "<?xml version=\"1.0\"?>\n<!-- a->b - -> c --><?pi a?b ?? > ?>\n \t<root>"
        #expect(verdict(Array(prolog.utf8)) == .rootReached)
    }

    @Test func doctype_isADeclarationOnItsLine() {
        #expect(verdict(Array("<?xml version=\"1.0\"?>\n\n<!DOCTYPE r>".utf8)) == .declaration(line: 3))
        #expect(verdict(Array("<!ENTITY e \"x\">".utf8)) == .declaration(line: 1))
        #expect(verdict(Array("<!-x".utf8)) == .declaration(line: 1))
    }

    @Test func doctypeInsideAComment_isOnlyText() {
        #expect(verdict(Array("<!-- <!DOCTYPE r> -->\n<r>".utf8)) == .rootReached)
    }

    @Test func byteOrderMarks_areSkipped() {
        #expect(verdict([0xEF, 0xBB, 0xBF] + Array("<!DOCTYPE r>".utf8)) == .declaration(line: 1))
        let utf16BE: [UInt8] = [0xFE, 0xFF] + "\n<!DOCTYPE r>".utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(verdict(utf16BE) == .declaration(line: 2))
    }

    @Test func textBeforeTheRoot_isUnexpected() {
        #expect(verdict(Array("\n\nx<r/>".utf8)) == .unexpectedContent(line: 3))
        #expect(verdict([0x00, 0x00, 0x00, 0x3C]) == .unexpectedContent(line: 1))
    }

    @Test func verdict_doesNotDependOnHowTheBytesAreCut() {
        let bytes = Array("<?xml version=\"1.0\"?>\n<!-- note -->\n<!DOCTYPE r>".utf8)
        for size in 1...7 {
            var prologGuard = XMLPrologGuard()
            var last = XMLPrologGuard.Verdict.watching
            for start in stride(from: 0, to: bytes.count, by: size) {
                last = bytes[start..<min(start + size, bytes.count)].withUnsafeBytes { prologGuard.scan($0) }
            }
            #expect(last == .declaration(line: 3))
        }
    }

    private func verdict(_ bytes: [UInt8]) -> XMLPrologGuard.Verdict {
        var prologGuard = XMLPrologGuard()
        return bytes.withUnsafeBytes { prologGuard.scan($0) }
    }
}
