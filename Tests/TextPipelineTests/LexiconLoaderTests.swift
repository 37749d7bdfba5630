import Foundation
import Testing
@testable import TextPipeline

@Suite struct LexiconLoaderTests {
    @Test func entries_areNormalisedAndMergedAcrossTags() throws {
        let lexicon = try makeLexicon("""
        # comment
        帳戶凍結\tproduct:service
        帳戶凍結\tcue:urgency\t2.5
        栓Q\tslang:negative

        """)
        let entry = try #require(lexicon.entry(for: "账户冻结"))
        #expect(entry.tags.map(\.rawValue) == ["cue:urgency", "product:service"])
        #expect(entry.weight == 2.5)
        #expect(lexicon.entry(for: "栓q")?.tags.first?.rawValue == "slang:negative")
        #expect(entry.origin == "test.tsv:2")
    }

    @Test func everyProblem_isReportedWithFileAndLine() {
        let tsv = "好\tcue:negation\n不打算\n买房\tneed:home_buying\n装修\tneed:home_renovation\tabc\n装修\tneed:home_renovation\n装修\tneed:home_renovation\n有 空\tcue:future\n"
        do {
            _ = try makeLexicon(tsv, name: "bad.tsv")
            Issue.record("expected errors")
        } catch let error as LexiconLoadError {
            #expect(error.errors.map(\.code) == [
                "lexicon.term_too_short", "lexicon.malformed_line", "lexicon.unknown_tag", "lexicon.invalid_weight",
                "lexicon.duplicate_entry", "lexicon.term_has_whitespace",
            ])
            #expect(error.errors[0].description.hasPrefix("bad.tsv:1:"))
            #expect(error.errors[2].description.contains("bad.tsv:3: unknown tag 'need:home_buying'"))
            #expect(error.errors[4].description.contains("bad.tsv:6: same term and tag as bad.tsv:5"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func intentTags_takeTaxonomyIntentIds() throws {
        let lexicon = try makeLexicon("闪退\tintent:app_issue\n盗刷\tintent:fraud_security\n")
        #expect(lexicon.entry(for: "闪退")?.tags.map(\.rawValue) == ["intent:app_issue"])
        do {
            _ = try makeLexicon("闪退\tintent:app_problem\n", name: "intents.tsv")
            Issue.record("expected an unknown-tag error")
        } catch let error as LexiconLoadError {
            #expect(error.errors.map(\.code) == ["lexicon.unknown_tag"])
            #expect(error.errors[0].description.contains("intents.tsv:1: unknown tag 'intent:app_problem'"))
        }
    }

    @Test func invalidUTF8_isReportedByFile() {
        #expect(throws: LexiconLoadError.self) {
            _ = try LexiconLoader().load(sources: [("broken.tsv", Data([0xE4, 0xBD, 0x0A, 0x09]))])
        }
    }

    @Test func missingDirectory_isAnError() {
        #expect(throws: LexiconLoadError.self) {
            _ = try LexiconLoader().load(directory: URL(fileURLWithPath: "/nonexistent/lexicons"))
        }
    }

    @Test func fingerprint_changesWithContent() throws {
        let a = try makeLexicon("装修分期\tproduct:installment\n")
        let b = try makeLexicon("装修分期\tproduct:installment\t2\n")
        #expect(a.fingerprint != b.fingerprint)
        #expect(a.fingerprint == (try makeLexicon("装修分期\tproduct:installment\n")).fingerprint)
    }
}
