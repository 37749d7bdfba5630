import CLibXML2
import Foundation
import Testing
@testable import Mining

@Suite struct XMLRecordReaderTests {
    // MARK: - Records and fields

    @Test func rootChildren_areRecordsWithAttributesAndChildText() throws {
        let records = try readRecords(fixture("comments.xml"))
        #expect(records.map(\.number) == [1, 2, 3, 4])
        #expect(records.map(\.line) == [4, 9, 15, 16])
        #expect(try records[0].content.get() == [
            "id": "c1", "channel": "app", "customer": "C001", "time": "2024-05-01T09:30:00Z",
            "text": "The transfer failed twice.",
        ])
    }

    @Test func grandchildren_joinTheirTextIntoTheChild() throws {
        let fields = try readRecords(fixture("comments.xml"))[1].content.get()
        #expect(fields["text"] == "Card blocked after one wrong PIN")
    }

    @Test func repeatedChildName_keepsTheFirst_andAnEmptyChildIsEmptyText() throws {
        let fields = try readRecords(fixture("comments.xml"))[1].content.get()
        #expect(fields == ["id": "c2", "channel": "branch", "customer": "C002",
                           "text": "Card blocked after one wrong PIN", "note": ""])
    }

    @Test func attribute_winsOverChildOfTheSameName() throws {
        let fields = try readRecords(fixture("comments.xml"))[2].content.get()
        #expect(fields["text"] == "the attribute wins")
    }

    @Test func emptyRecordElement_isARecordOfItsAttributes() throws {
        #expect(try readRecords(fixture("comments.xml"))[3].content.get() == ["id": "c4"])
    }

    @Test func chineseNamesAndText_readUnchanged() throws {
        let records = try readRecords(fixture("chinese.xml"))
        #expect(try records[0].content.get() == [
            "编号": "1", "渠道": "手机银行", "内容": "转账失败了三次，客服电话一直打不通。", "客户": "张三",
        ])
        #expect(try records[1].content.get()["内容"] == "理财经理很专业，想了解大额存单。😀")
    }

    @Test func cdata_isPartOfTheText() throws {
        let records = try readRecords(fixture("cdata.xml"))
        #expect(try records[0].content.get()["text"] == #"Fees < 5 & "no" surprises"#)
        #expect(try records[1].content.get()["text"] == "before <inside> after & <escaped>")
    }

    @Test func recordElement_matchesTheLocalNameAtAnyDepth() throws {
        let records = try readRecords(fixture("named-records.xml"), recordElement: "row")
        #expect(records.map(\.line) == [5, 6, 9])
        #expect(try records.map { try $0.content.get() } == [
            ["id": "r1", "text": "first"],
            ["id": "r2", "text": "second", "row": "a row inside a row is a field of the outer one"],
            ["id": "r3", "text": "third"],
        ])
    }

    @Test func recordElement_withAPrefix_matchesTheQualifiedName() throws {
        let records = try readRecords(fixture("named-records.xml"), recordElement: "x:row")
        #expect(try records.map { try $0.content.get()["id"] } == ["r1"])
    }

    @Test func tooLargeRecord_isRejected_andTheNextOnesAreRead() throws {
        let records = try readRecords(fixture("too-large.xml"), maxRecordBytes: 64)
        #expect(records.map(\.number) == [1, 2, 3, 4])
        #expect(records.map(\.line) == [3, 4, 5, 6])
        #expect(try records[0].content.get() == ["id": "1", "text": "short"])
        guard case .failure(.tooLarge(let bytes, let limit)) = records[1].content else {
            Issue.record("record 2 should be too large")
            return
        }
        #expect(bytes > 64 && limit == 64)
        #expect(records[2].content == .failure(.tooLarge(bytes: 88, limit: 64)))
        #expect(try records[3].content.get() == ["id": "4", "text": "read again after the large ones"])
    }

    @Test func linesPast65535_areExact() throws {
        var document = "<?xml version=\"1.0\"?>\n<comments>\n"
        for index in 0..<20_000 {
            document += "  <comment id=\"\(index)\">\n    <text>t\(index)</text>\n    <more>m</more>\n  </comment>\n"
        }
        document += "</comments>\n"
        let records = try readRecords(Array(document.utf8))
        #expect(records.count == 20_000)
        #expect(records.allSatisfy { $0.line == 3 + 4 * ($0.number - 1) })
        #expect(records.last?.line == 79_999)
    }

    @Test func endOffset_andFileBytesRead_followTheSource() throws {
        let bytes = try fixture("comments.xml")
        let reader = try XMLRecordReader(source: InMemoryByteSource(bytes, chunkSize: 100), recordElement: nil)
        var offsets: [Int64] = []
        while let record = try reader.next() { offsets.append(record.endOffset) }
        #expect(offsets == offsets.sorted() && offsets.allSatisfy { $0 > 0 && $0 <= Int64(bytes.count) })
        #expect(reader.fileBytesRead == Int64(bytes.count))
    }

    @Test func utf16Document_isRead() throws {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<c><r id=\"1\"><text>你好</text></r></c>"
        let bytes: [UInt8] = [0xFF, 0xFE] + document.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(try readRecords(bytes).map { try $0.content.get() } == [["id": "1", "text": "你好"]])
    }

    @Test func emptyRoot_hasNoRecords() throws {
        #expect(try readRecords(Array("<comments/>".utf8)).isEmpty)
    }

    @Test func declaredEncoding_isHonoured() throws {
        let bytes = Array("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<c><r><t>".utf8) + [0xD6, 0xD0, 0xCE, 0xC4]
            + Array("</t></r></c>".utf8)
        #expect(try readRecords(bytes).map { try $0.content.get() } == [["t": "中文"]])
    }

    // MARK: - Resuming

    @Test func skipRecords_resumesAtTheNextRecord() throws {
        let all = try readRecords(fixture("comments.xml"))
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("comments.xml")), recordElement: nil)
        try reader.skip(records: 2)
        var rest: [ArchiveRecord] = []
        while let record = try reader.next() { rest.append(record) }
        #expect(rest.map(\.number) == [3, 4])
        #expect(rest.map(\.content) == all[2...].map(\.content))
        #expect(rest.map(\.line) == all[2...].map(\.line))
    }

    @Test func skipRecords_pastTooLargeRecords_keepsCounting() throws {
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("too-large.xml")), recordElement: nil,
                                         maxRecordBytes: 64)
        try reader.skip(records: 3)
        let record = try #require(try reader.next())
        #expect(record.number == 4 && record.line == 6)
        #expect(try reader.next() == nil)
    }

    @Test func skipRecords_pastTheEnd_cannotResume() throws {
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("comments.xml")), recordElement: nil)
        try reader.skip(records: 1)
        #expect(throws: ArchiveError.cannotResume(file: "test.xml", reason: "the file has 4 records, fewer than the 6 to skip")) {
            try reader.skip(records: 5)
        }
    }

    // MARK: - Safety

    @Test func parserOptions_neverExpandEntitiesLoadDTDsIncludeOrLiftLimits() {
        let options = UInt32(bitPattern: XMLRecordReader.parserOptions)
        for forbidden in [XML_PARSE_NOENT, XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID, XML_PARSE_XINCLUDE,
                          XML_PARSE_HUGE, XML_PARSE_RECOVER] {
            #expect(options & forbidden.rawValue == 0)
        }
        for required in [XML_PARSE_NONET, XML_PARSE_NOXINCNODE] {
            #expect(options & required.rawValue == required.rawValue)
        }
    }

    @Test func billionLaughs_isRejectedBeforeExpansion() throws {
        let start = ContinuousClock.now
        #expect(throws: ArchiveError.xmlDoctypeForbidden(file: "test.xml", line: 2)) {
            try readRecords(fixture("billion-laughs.xml"))
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func xxe_isRejected_andNoFieldEverHoldsTheFile() throws {
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("xxe.xml")), recordElement: nil)
        var fields: [String] = []
        var thrown: ArchiveError?
        do {
            while let record = try reader.next() { fields += (try? record.content.get().values.map { $0 }) ?? [] }
        } catch {
            thrown = error
        }
        #expect(thrown == .xmlDoctypeForbidden(file: "test.xml", line: 2))
        #expect(!fields.contains { $0.contains("root:") || $0.contains("/bin/") })
        #expect(!(thrown?.description.contains("root:") ?? true))
    }

    @Test func externalDTD_isRejectedWithoutANetworkRequest() throws {
        let start = ContinuousClock.now
        #expect(throws: ArchiveError.xmlDoctypeForbidden(file: "test.xml", line: 2)) {
            try readRecords(fixture("external-dtd.xml"))
        }
        #expect(ContinuousClock.now - start < .seconds(1))
    }

    @Test func doctypeAfterCommentsAndInstructions_isRejected() throws {
        #expect(throws: ArchiveError.xmlDoctypeForbidden(file: "test.xml", line: 5)) {
            try readRecords(fixture("doctype-after-comment.xml"))
        }
    }

    @Test(arguments: ["billion-laughs.xml", "xxe.xml", "external-dtd.xml", "doctype-after-comment.xml"])
    func doctype_isRejectedHoweverTheInputIsCut(file: String) throws {
        let bytes = try fixture(file)
        for chunkSize in [1, 2, 3, 5, 8, 13] {
            #expect(Self.error(readingAllOf: bytes, chunkSize: chunkSize)?.code == "archive.xml_doctype_forbidden")
        }
    }

    @Test func doctypeInUTF16_isRejected() throws {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<!DOCTYPE c [<!ENTITY e \"x\">]>\n<c><r>&e;</r></c>"
        let littleEndian: [UInt8] = [0xFF, 0xFE] + document.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let bigEndian: [UInt8] = document.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        for bytes in [littleEndian, bigEndian] {
            #expect(throws: ArchiveError.xmlDoctypeForbidden(file: "test.xml", line: 2)) { try readRecords(bytes) }
        }
    }

    @Test func doctypeAndEntities_areRejectedBehindTheGuardToo() throws {
        let documents = [
            "<!DOCTYPE c>\n<c><r><t>x</t></r></c>",
            "<!DOCTYPE c [<!ENTITY e \"expanded\">]>\n<c><r><t>&e;</t></r></c>",
            String(decoding: try fixture("billion-laughs.xml"), as: UTF8.self),
            String(decoding: try fixture("xxe.xml"), as: UTF8.self),
            String(decoding: try fixture("external-dtd.xml"), as: UTF8.self),
        ]
        for document in documents {
            let start = ContinuousClock.now
            let error = Self.error(readingAllOf: Array(document.utf8), guardsProlog: false)
            #expect(error?.code == "archive.xml_doctype_forbidden")
            #expect(ContinuousClock.now - start < .seconds(1))
        }
    }

    @Test func xinclude_isNotProcessed() throws {
        let document = """
            <c><r><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/></r></c>
            """
        #expect(try readRecords(Array(document.utf8)).map { try $0.content.get() } == [["include": ""]])
    }

    @Test func tooDeepNesting_isRefused() throws {
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("too-deep.xml")), recordElement: nil)
        #expect(try reader.next()?.number == 1)
        #expect(throws: ArchiveError.xmlTooDeep(file: "test.xml", line: 4, limit: 32)) { try reader.next() }
    }

    @Test func maxDepth_countsTheRootAsLevelOne() throws {
        let flat = "<c>\n<r><t>x</t></r>\n</c>"
        #expect(try readRecords(Array(flat.utf8), maxDepth: 3).count == 1)
        let deeper = "<c>\n<r><t><b>x</b></t></r>\n</c>"
        #expect(throws: ArchiveError.xmlTooDeep(file: "test.xml", line: 2, limit: 3)) {
            try readRecords(Array(deeper.utf8), maxDepth: 3)
        }
    }

    // MARK: - Broken files

    @Test func malformedXML_isReportedWithItsLine_andStaysReported() throws {
        let expected = ArchiveError.malformedXML(file: "test.xml", line: 4,
                                                 reason: "an end tag that does not match its start tag (libxml2 error 76)")
        #expect(Self.error(readingAllOf: try fixture("malformed.xml")) == expected)
        // libxml2 parses ahead in blocks of up to 512 bytes and stops at an error
        // in a block before handing out the records it parsed from it; fed 16
        // bytes at a time, it hands out record 1 first.
        let reader = try XMLRecordReader(source: InMemoryByteSource(try fixture("malformed.xml"), chunkSize: 16),
                                         recordElement: nil)
        #expect(try reader.next()?.content.get() == ["id": "1", "text": "fine"])
        #expect(throws: expected) { try reader.next() }
        #expect(throws: expected) { try reader.next() }
    }

    @Test func invalidUTF8_isMalformedXML() throws {
        let bytes = Array("<c>\n<r><t>ok</t></r>\n<r><t>bad ".utf8) + [0xC3, 0x28, 0xFF] + Array(" byte</t></r>\n</c>".utf8)
        let error = Self.error(readingAllOf: bytes)
        guard case .malformedXML(_, let line, let reason) = error else {
            Issue.record("expected malformedXML, got \(String(describing: error))")
            return
        }
        #expect(line == 3)
        #expect(reason.contains("UTF-8"))
    }

    @Test func contentBeforeTheRoot_isMalformed() throws {
        #expect(Self.error(readingAllOf: Array("\nnot xml <c/>".utf8))
                    == .malformedXML(file: "test.xml", line: 2,
                                     reason: "content before the root element that is neither markup nor whitespace"))
        #expect(Self.error(readingAllOf: [])?.code == "archive.malformed_xml")
    }

    @Test func sourceFailure_isReportedAsItself() throws {
        let bytes = try fixture("comments.xml")
        let source = InMemoryByteSource(bytes, chunkSize: 64, failAfter: (300, .corruptGzip(file: "test.xml", reason: "bad CRC")))
        let reader = try XMLRecordReader(source: source, recordElement: nil)
        #expect(throws: ArchiveError.corruptGzip(file: "test.xml", reason: "bad CRC")) { while try reader.next() != nil {} }
    }

    @Test func sourceFailureAtTheVeryEnd_isStillReported() throws {
        let bytes = try fixture("comments.xml")
        let source = InMemoryByteSource(bytes, failAfter: (bytes.count, .corruptGzip(file: "test.xml", reason: "bad CRC")))
        let reader = try XMLRecordReader(source: source, recordElement: nil)
        #expect(throws: ArchiveError.corruptGzip(file: "test.xml", reason: "bad CRC")) { while try reader.next() != nil {} }
    }

    @Test(arguments: [
        "<c>\n<r><secretword>x</secretwords></r></c>",
        "<c>\n<r><t>&secretword;</t></r></c>",
        "<c>\n<r secretword=\"1\" secretword=\"2\"/></c>",
        "<c>\n<r><t>secretword</t></r></c>\n<secretword/>",
        "<c>\n<r><t>secretword \u{1}</t></r></c>",
        "<c>\n<r><t>secretword",
        "<?xml version=\"1.0\" encoding=\"secretword\"?><c/>",
    ])
    func errors_carryNoDocumentText(document: String) throws {
        let error = try #require(Self.error(readingAllOf: Array(document.utf8)))
        #expect(error.code == "archive.malformed_xml")
        #expect(!error.description.contains("secretword"))
    }

    @Test func errors_carryNoDocumentBytes() throws {
        let undecodable = Array("<?xml version=\"1.0\" encoding=\"GBK\"?>\n<c><r><t>".utf8) + [0x81, 0x20, 0x81, 0x7F]
            + Array("</t></r></c>".utf8)
        let badUTF8 = Array("<c><r><t>".utf8) + [0xE4, 0xB8, 0x41, 0x42] + Array("</t></r></c>".utf8)
        for bytes in [undecodable, badUTF8] {
            let error = try #require(Self.error(readingAllOf: bytes))
            #expect(error.code == "archive.malformed_xml")
            #expect(!error.description.contains("0x"))
        }
    }

    @Test func tooLargeRejection_carriesNoRecordText() throws {
        let records = try readRecords(fixture("too-large.xml"), maxRecordBytes: 64)
        for case .failure(let error) in records.map(\.content) {
            #expect(!error.description.contains("longer"))
        }
    }

    // MARK: - Helpers

    private func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/xml"))
        return Array(try Data(contentsOf: url))
    }

    private func readRecords(_ bytes: [UInt8], recordElement: String? = nil, maxRecordBytes: Int = 1_048_576,
                         maxDepth: Int = 32) throws(ArchiveError) -> [ArchiveRecord] {
        let reader = try XMLRecordReader(source: InMemoryByteSource(bytes), recordElement: recordElement,
                                         maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        var records: [ArchiveRecord] = []
        while let record = try reader.next() { records.append(record) }
        return records
    }

    /// The error that stops reading `bytes`, if any.
    private static func error(readingAllOf bytes: [UInt8], chunkSize: Int = 65_536,
                              guardsProlog: Bool = true) -> ArchiveError? {
        do {
            let reader = try XMLRecordReader(source: InMemoryByteSource(bytes, chunkSize: chunkSize), recordElement: nil,
                                             maxRecordBytes: 1_048_576, maxDepth: 32, guardsProlog: guardsProlog)
            while try reader.next() != nil {}
            return nil
        } catch {
            return error
        }
    }
}
