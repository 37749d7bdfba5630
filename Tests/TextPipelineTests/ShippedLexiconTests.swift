import Foundation
import Testing
@testable import TextPipeline

/// Pins down the lexicons in `lexicons/`: they load, they follow the file
/// conventions, and no entry is ever split by the segmenter.
@Suite struct ShippedLexiconTests {
    static var files: [URL] {
        (try? FileManager.default.contentsOfDirectory(at: packageRoot.appendingPathComponent("lexicons"),
                                                      includingPropertiesForKeys: nil))?
            .filter { $0.pathExtension == "tsv" }.sorted { $0.path < $1.path } ?? []
    }

    @Test func lexicons_loadWithHundredsOfEntries() {
        #expect(Self.files.count >= 5)
        #expect(shippedLexicon.entries.count >= 500)
    }

    @Test func dataLines_areSortedInByteOrderAndNFC() throws {
        for file in Self.files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
            for (previous, next) in zip(lines, lines.dropFirst()) {
                #expect(Array(previous.utf8).lexicographicallyPrecedes(Array(next.utf8)),
                        "\(file.lastPathComponent): '\(next)' is out of order")
            }
            for line in lines {
                #expect(line == line.precomposedStringWithCanonicalMapping, "\(file.lastPathComponent): not NFC")
            }
        }
    }

    @Test func everyEntry_isOneTokenOnItsOwn() {
        let processor = TextProcessor(lexicon: shippedLexicon)
        for entry in shippedLexicon.entries {
            let tokens = processor.process(entry.term).tokens
            #expect(tokens.count == 1 && tokens[0].text == entry.term && tokens[0].kind == .lexicon,
                    "'\(entry.term)' (\(entry.origin)) became \(tokens.map(\.text))")
        }
    }

    @Test func everyEntry_isNeverSplitInsideASentence() {
        let processor = TextProcessor(lexicon: shippedLexicon)
        let contexts = [("我想问一下", "的事情"), ("请问", "怎么办理"), ("他说", "。"), ("", "吗"), ("客服你好，", "")]
        for entry in shippedLexicon.entries {
            for (before, after) in contexts {
                let tokens = processor.process(before + entry.term + after).tokens
                let start = (before as NSString).length
                let end = start + (entry.term as NSString).length
                // The term is one token; or a lexicon term that wins by the stated
                // precedence (longer, then heavier, then further left) overlaps it.
                // Never does a dictionary word split it.
                let whole = tokens.contains { $0.span.start == start && $0.span.end == end }
                let beaten = tokens.contains { token in
                    guard token.kind == .lexicon, token.span.start < end, token.span.end > start,
                          let winner = shippedLexicon.entry(for: token.text) else { return false }
                    if token.span.length != entry.units.count { return token.span.length > entry.units.count }
                    if winner.weight != entry.weight { return winner.weight > entry.weight }
                    return token.span.start < start
                }
                #expect(whole || beaten, "'\(entry.term)' (\(entry.origin)) split in '\(before)…\(after)': \(tokens.map(\.text))")
            }
        }
    }
}
