import Analysis
import Classifiers
import Foundation
import Profiles
import ProfilesSQLite
import TextPipeline
@testable import Mining

let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The shipped lexicons and bundled model, loaded once.
let bundledAnalyzer: TurnAnalyzer = {
    let processor = TextProcessor(lexicon: try! LexiconLoader().load(directory: packageRoot.appendingPathComponent("lexicons")))
    let model = try! ModelArtifact.load(from: packageRoot.appendingPathComponent("models/bundled"),
                                        lexiconFingerprint: processor.segmenter.lexicon.fingerprint)
    return TurnAnalyzer(processor: processor, model: model)
}()

let tagPolicy: TagPolicy = try! TagPolicy.load(packageRoot.appendingPathComponent("config/tags.yaml"))

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("xinsheng-mining-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `text` to a file in `directory`.
@discardableResult
func write(_ text: String, to name: String, in directory: URL) throws -> URL {
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url
}

/// Every record of a line-based file.
func readAll(_ reader: any ArchiveRecordReader) throws -> [ArchiveRecord] {
    var records: [ArchiveRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
}
