import Foundation
@testable import TextPipeline

/// The package root, from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The lexicons shipped in `lexicons/`, loaded once.
let shippedLexicon: Lexicon = {
    do {
        return try LexiconLoader().load(directory: packageRoot.appendingPathComponent("lexicons"))
    } catch {
        fatalError("shipped lexicons do not load: \(error)")
    }
}()

/// A lexicon from inline TSV text.
func makeLexicon(_ tsv: String, name: String = "test.tsv") throws -> Lexicon {
    try LexiconLoader().load(sources: [(name, Data(tsv.utf8))])
}

func fixture(_ name: String) throws -> String {
    guard let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
        ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile)
    }
    return try String(contentsOf: url, encoding: .utf8)
}
