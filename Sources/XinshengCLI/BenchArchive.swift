import Analysis
import Foundation
import Mining

/// The archives `bench mine` measures: hand-written corpus texts, verbatim,
/// cycled to the size asked for, with the fields a real export carries.
enum BenchArchive {
    /// Every text of corpora/chat and corpora/comments, in file order.
    static func corpusTexts() throws -> [String] {
        var texts: [String] = []
        for folder in ["corpora/chat", "corpora/comments"] {
            guard let directory = ProjectPaths.projectFolder(folder) else { throw CLIError.notFound(what: folder, option: "a checkout") }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".jsonl") }.sorted()
            for file in files {
                let data = try Data(contentsOf: directory.appendingPathComponent(file))
                for line in data.split(separator: 0x0A) {
                    if let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any], let text = object["text"] as? String {
                        texts.append(text)
                    }
                }
            }
        }
        return texts
    }

    /// Rows per second of the analysis `mine` does (evidence for needs and emotions) on one core (best of two passes).
    static func singleCoreRowsPerSecond(_ analyzer: TurnAnalyzer, texts: [String]) -> Double {
        let best = BenchTiming.bestSeconds([{ for text in texts { _ = try? analyzer.analyzeTurn(text, turn: 1, speaker: .customer, evidenceFor: .needsAndEmotions) } }], rounds: 2)
        return Double(texts.count) / best[0]
    }

    static func write(_ format: ArchiveFormat, rows: Int, texts: [String], to url: URL) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = ""
        func flush(force: Bool = false) throws {
            if force || buffer.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(buffer.utf8))
                buffer = ""
            }
        }
        switch format {
        case .csv: buffer += "id,customer_id,time,text\n"
        case .xml: buffer += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n"
        case .jsonl: break
        }
        let start = 1_735_660_800 // 2025-01-01 00:00 China Standard Time
        for row in 0..<rows {
            let text = texts[row % texts.count]
            let customer = row % 10 < 7 ? "c-\(row * 7919 % 200_000)" : ""
            let time = RowTimeParser.month(of: Date(timeIntervalSince1970: Double(start + (row * 31_536_000 / rows))))
                + String(format: "-%02d", row % 28 + 1)
            switch format {
            case .jsonl:
                let fields: [String: String] = customer.isEmpty ? ["id": "g-\(row)", "time": time, "text": text]
                    : ["id": "g-\(row)", "customer_id": customer, "time": time, "text": text]
                buffer += String(decoding: try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]), as: UTF8.self) + "\n"
            case .csv:
                buffer += "g-\(row),\(customer),\(time),\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"\n"
            case .xml:
                buffer += "  <row id=\"g-\(row)\"\(customer.isEmpty ? "" : " customer_id=\"\(customer)\"") time=\"\(time)\"><text>\(ReportFormat.html(text))</text></row>\n"
            }
            try flush()
        }
        if format == .xml { buffer += "</feedback>\n" }
        try flush(force: true)
    }
}
