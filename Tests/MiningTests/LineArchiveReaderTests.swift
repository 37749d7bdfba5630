import Foundation
import Testing
@testable import Mining

/// JSONL and CSV: records, line numbers and byte offsets, bad rows as
/// rejects (never the end of the run), resuming at an offset, gzip, GBK.
@Suite struct LineArchiveReaderTests {
    @Test func jsonl_readsObjectsFlattensNestedAndRejectsBadLines() throws {
        let text = """
        {"id": 1, "text": "下个月拿钥匙", "user": {"id": "c-1"}}

        not json
        {"text": ["a", "list"]}
        {"text": "最后一行"}
        """
        let records = try readAll(try JSONLRecordReader(source: InMemoryByteSource(text, chunkSize: 3)))
        #expect(records.map(\.number) == [1, 2, 3, 4])
        #expect(records.map(\.line) == [1, 3, 4, 5])
        let first = try records[0].content.get()
        #expect(first["text"] == "下个月拿钥匙")
        #expect(first["id"] == "1")
        #expect(first["user.id"] == "c-1")
        #expect(records[1].content == .failure(.notJSONObject))
        #expect(records[3].endOffset == Int64(text.utf8.count))
        let mapped = ArchiveRow.map(try records[2].content.get(), mapping: ArchiveMapping(), file: "f", line: 4, number: 3, maxTextBytes: 100)
        #expect(mapped == .failure(.notText(field: "text")))
    }

    @Test func jsonl_invalidUTF8AndOverlongLinesAreRejectedAndReadingGoesOn() throws {
        var bytes = Array("{\"text\": \"好\"}\n".utf8)
        bytes += [0x7B, 0x22, 0x74, 0xFF, 0xFE, 0x0A]
        bytes += Array(("{\"text\": \"" + String(repeating: "长", count: 400) + "\"}\n").utf8)
        bytes += Array("{\"text\": \"还在\"}\n".utf8)
        let records = try readAll(try JSONLRecordReader(source: InMemoryByteSource(bytes, chunkSize: 7), maxRecordBytes: 1000))
        #expect(records.count == 4)
        #expect(records[1].content == .failure(.invalidUTF8(byteOffset: 3)))
        #expect(records[2].content == .failure(.tooLarge(bytes: 1212, limit: 1000)))
        #expect(try records[3].content.get()["text"] == "还在")
    }

    @Test func jsonl_resumesAtAByteOffsetWithNumbersIntact() throws {
        let text = (1...6).map { "{\"text\": \"第\($0)行\"}" }.joined(separator: "\n") + "\n"
        let all = try readAll(try JSONLRecordReader(source: InMemoryByteSource(text)))
        let cut = all[2]
        let rest = Array(text.utf8)[Int(cut.endOffset)...]
        let resumed = try readAll(try JSONLRecordReader(source: InMemoryByteSource(Array(rest)),
                                                        resumeAt: ArchivePosition(records: cut.number, line: cut.endLine, offset: cut.endOffset)))
        #expect(resumed == Array(all[3...]))
    }

    @Test func csv_quotedFieldsEmbeddedNewlinesAndBOM() throws {
        let text = "\u{FEFF}id,text,customer_id\r\n1,\"他说：\"\"下个月拿钥匙\"\"，要装修\",c-1\r\n2,\"第一行\n第二行\",c-2\r\n3,普通,\r\n"
        let reader = try CSVRecordReader(source: InMemoryByteSource(text, chunkSize: 5))
        #expect(reader.header == ["id", "text", "customer_id"])
        let records = try readAll(reader)
        #expect(records.map(\.line) == [2, 3, 5])
        #expect(records[1].endLine == 4)
        #expect(try records[0].content.get()["text"] == "他说：\"下个月拿钥匙\"，要装修")
        #expect(try records[1].content.get()["text"] == "第一行\n第二行")
        #expect(try records[2].content.get()["customer_id"] == "")
    }

    @Test func csv_brokenQuotingCostsOneRowNotTheFile() throws {
        let text = """
        id,text
        1,"closed"then text
        2,"never closed
        3,ok
        4,"ok too"
        5,a,b
        """
        let records = try readAll(try CSVRecordReader(source: InMemoryByteSource(text + "\n", name: "memory"), maxRecordLines: 3))
        #expect(records[0].content == .failure(.brokenQuoting))
        #expect(records[1].content == .failure(.brokenQuoting))
        #expect(records[1].line == 3)
        #expect(try records[2].content.get()["text"] == "ok")
        #expect(try records[3].content.get()["text"] == "ok too")
        #expect(records[4].content == .failure(.wrongFieldCount(expected: 2, found: 3)))
        #expect(records.count == 5)
    }

    @Test func csv_badHeaderIsAFileError() throws {
        #expect(throws: ArchiveError.badHeader(file: "memory", reason: "duplicate column names")) {
            _ = try CSVRecordReader(source: InMemoryByteSource("text,text\n1,2\n", name: "memory"))
        }
    }

    @Test func gbkFile_isRefusedWithAClearError_andReadWithEncodingGBK() throws {
        // "id,text\n1,下个月拿钥匙\n" in GBK.
        let gbk: [UInt8] = Array("id,text\n1,".utf8) + [0xCF, 0xC2, 0xB8, 0xF6, 0xD4, 0xC2, 0xC4, 0xC3, 0xD4, 0xBF, 0xB3, 0xD7, 0x0A]
        #expect(throws: ArchiveError.looksGBK(file: "gbk.csv")) {
            _ = try CSVRecordReader(source: InMemoryByteSource(gbk, name: "gbk.csv"))
        }
        let records = try readAll(try CSVRecordReader(source: InMemoryByteSource(gbk), encoding: .gbk))
        #expect(try records[0].content.get()["text"] == "下个月拿钥匙")
    }

    @Test func gzip_isReadDirectlyAndResumesInTheDecompressedStream() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = (1...500).map { "{\"id\": \($0), \"text\": \"第\($0)条：信用卡额度太低了\"}" }.joined(separator: "\n") + "\n"
        let plain = try write(text, to: "a.jsonl", in: directory)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", plain.path]
        try gzip.run()
        gzip.waitUntilExit()
        let compressed = directory.appendingPathComponent("a.jsonl.gz")
        let source = try ByteSources.open(path: compressed.path)
        #expect(source is GzipByteSource)
        let all = try readAll(try JSONLRecordReader(source: source))
        #expect(all == (try readAll(try JSONLRecordReader(source: try ByteSources.open(path: plain.path)))))
        let cut = all[199]
        let resumed = try readAll(try JSONLRecordReader(source: try ByteSources.open(path: compressed.path, offset: cut.endOffset),
                                                        resumeAt: ArchivePosition(records: cut.number, line: cut.endLine, offset: cut.endOffset)))
        #expect(resumed == Array(all[200...]))
    }

    @Test func rowFields_areTrimmedOfUnicodeWhiteSpace_andBlankTextIsMissing() throws {
        #expect("  \t下个月拿钥匙\u{3000}\r\n".trimmedOfWhitespace() == "下个月拿钥匙")
        #expect("中 间 留 着".trimmedOfWhitespace() == "中 间 留 着")
        #expect("\u{a0} \n".trimmedOfWhitespace() == "")
        #expect("".trimmedOfWhitespace() == "")
        var mapping = ArchiveMapping()
        mapping.customerField = "cust"
        let row = try ArchiveRow.map(["text": "\n 装修贷怎么办 ", "id": " r-1\t", "cust": "\u{3000}"], mapping: mapping,
                                     file: "f", line: 1, number: 1, maxTextBytes: 100).get()
        #expect(row.text == "装修贷怎么办")
        #expect(row.id == "r-1")
        #expect(row.customerID == nil)
        #expect(ArchiveRow.map(["text": " \u{3000} "], mapping: mapping, file: "f", line: 2, number: 2, maxTextBytes: 100)
                == .failure(.missingText(field: "text")))
    }

    @Test func timeField_readsTheFormsArchivesUse() {
        let march = RowTimeParser.parse("2025-03-04T10:00:00Z")
        #expect(march.map(RowTimeParser.month) == "2025-03")
        #expect(RowTimeParser.parse("2025/3/31 23:30") .map(RowTimeParser.month) == "2025-03")
        #expect(RowTimeParser.parse("2025-03-31 20:00:00-08:00").map(RowTimeParser.month) == "2025-04")
        #expect(RowTimeParser.parse("1741082400").map(RowTimeParser.month) == "2025-03")
        #expect(RowTimeParser.parse("1741082400000").map(RowTimeParser.month) == "2025-03")
        #expect(RowTimeParser.parse("2025年3月4日").map(RowTimeParser.month) == "2025-03")
        #expect(RowTimeParser.parse("yesterday") == nil)
        #expect(RowTimeParser.parse("2025-13-01") == nil)
    }

    @Test func mappingFile_readsFieldsAndReportsEveryProblem() throws {
        let mapping = try ArchiveMapping.parse(yaml: """
            version: 1
            format: csv
            encoding: gbk
            fields: {text: content, customer: user_id}
            csv: {delimiter: ";"}
            """, file: "m.yaml")
        #expect(mapping.format == .csv && mapping.encoding == .gbk && mapping.textField == "content")
        #expect(mapping.customerField == "user_id" && mapping.idField == "id" && mapping.delimiter == ";")
        do {
            _ = try ArchiveMapping.parse(yaml: "version: 1\nformat: parquet\nfields: {txt: a}\ncsv: {delimiter: ab}\n", file: "bad.yaml")
            Issue.record("a bad mapping was accepted")
        } catch {
            #expect(error.problems.count == 3)
        }
    }
}
