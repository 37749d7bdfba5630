import Foundation
import Testing
@testable import XinshengCLI

@Suite struct LineReaderTests {
    func lines(_ bytes: [UInt8], maxBytes: Int = 100) throws -> [Result<String, InputLineError>] {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data(bytes))
        try pipe.fileHandleForWriting.close()
        let reader = LineReader(handle: pipe.fileHandleForReading, maxBytes: maxBytes)
        var result: [Result<String, InputLineError>] = []
        while let line = reader.next() { result.append(line.content) }
        return result
    }

    @Test func badLines_areReportedAndTheRestRead() throws {
        var bytes = Array("\u{FEFF}第一行\r\n".utf8)
        bytes += [0xE4, 0xBD, 0x20, 0x0A]                  // invalid UTF-8
        bytes += Array(String(repeating: "长", count: 50).utf8) + [0x0A] // 150 bytes > 100
        bytes += Array("最后一行".utf8)                     // no final newline
        let read = try lines(bytes)
        #expect(read.count == 4)
        #expect(try read[0].get() == "第一行")
        guard case .failure(.text(.invalidUTF8(let offset))) = read[1] else { Issue.record("expected invalid UTF-8"); return }
        #expect(offset == 0)
        guard case .failure(.lineTooLong(let size, 100)) = read[2] else { Issue.record("expected too long"); return }
        #expect(size == 150)
        #expect(try read[3].get() == "最后一行")
    }

    @Test func jsonlLines_areParsedOrRefused() {
        let good = JSONLInput.parse(#"{"id": 7, "text": "在吗"}"#, line: 1)
        #expect(good.id == "7")
        #expect((try? good.content.get()) == "在吗")
        guard case .failure(.notJSONObject) = JSONLInput.parse("[1,2]", line: 2).content else { Issue.record("array"); return }
        guard case .failure(.missingText) = JSONLInput.parse(#"{"id":"a"}"#, line: 3).content else { Issue.record("text"); return }
        guard case .failure(.notJSONObject) = JSONLInput.parse("{broken", line: 4).content else { Issue.record("broken"); return }
    }
}
