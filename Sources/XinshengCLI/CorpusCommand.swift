import ArgumentParser
import Classifiers
import Foundation
import Taxonomy

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Check the hand-written corpora and count what they hold.",
        discussion: """
        Examples:
          xinsheng corpus check
          xinsheng corpus stats --format markdown
        """,
        subcommands: [CorpusCheckCommand.self, CorpusStatsCommand.self]
    )
}

struct CorpusCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every corpus file; exit 1 on any problem.",
        discussion: """
        Checks every *.jsonl under DIR (default: corpora/): valid JSON lines with
        id and text, ids unique across all files, sentiment / emotions / intent /
        needs / channel from the taxonomy, emotions only on negative lines, needs
        distinct and in taxonomy order, hard-case types from corpora/GUIDE.md,
        agent turns with no labels, conversations numbered 1…n with alternating
        speakers, 6–14 turns and exactly one line in a .ends.jsonl file, and no
        two customer texts that are near-duplicates (Jaccard similarity of
        character trigrams ≥ --threshold; identical texts always count).
        Problems are printed as file:line: message [code]; texts never are.

        Examples:
          xinsheng corpus check
          xinsheng corpus check corpora --threshold 0.5
        """
    )

    @Argument(help: ArgumentHelp("Corpus folder.", valueName: "dir"))
    var directory: String?

    @Option(name: .long, help: "Near-duplicate threshold on character-trigram Jaccard similarity.")
    var threshold = NearDuplicateFinder.defaultThreshold

    func validate() throws {
        guard threshold > 0 && threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1]") }
    }

    func run() throws {
        let url = try CorpusPaths.directory(directory)
        let report = try CorpusChecker(nearDuplicates: NearDuplicateFinder(threshold: threshold)).check(directory: url)
        for problem in report.problems { print(problem) }
        let summary = "\(report.files) files, \(report.lines) lines (\(report.customerLines) customer lines, \(report.conversations) conversations): "
        if report.problems.isEmpty {
            print(summary + "no problems (语料检查通过)")
        } else {
            print(summary + "\(report.problems.count) problems (语料检查未通过)")
            throw ExitCode(1)
        }
    }
}

struct CorpusStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count lines per channel, label and hard case (the datasheet's tables).",
        discussion: """
        Examples:
          xinsheng corpus stats
          xinsheng corpus stats --format markdown > /tmp/datasheet-tables.md
        """
    )

    @Argument(help: ArgumentHelp("Corpus folder.", valueName: "dir"))
    var directory: String?

    @Option(name: .long, help: "text or markdown.")
    var format: String = "text"

    func validate() throws {
        guard ["text", "markdown"].contains(format) else { throw ValidationError("--format is text or markdown") }
    }

    func run() throws {
        let url = try CorpusPaths.directory(directory)
        let lines = try CorpusReader.readAll(url)
        print(CorpusStatistics(lines.map(\.line), ends: try CorpusReader.endFiles(in: url).flatMap {
            try CorpusReader.readEnds($0).map(\.end)
        }).render(markdown: format == "markdown"))
    }
}

enum CorpusPaths {
    static func directory(_ explicit: String?) throws -> URL {
        if let explicit { return URL(fileURLWithPath: explicit) }
        guard let url = ProjectPaths.projectFolder("corpora") else {
            throw CLIError.notFound(what: "the corpora folder", option: "a folder argument")
        }
        return url
    }

    /// FNV-1a over every corpus file's relative path and bytes, in path order.
    static func fingerprint(_ directory: URL) throws -> (fingerprint: String, files: Int) {
        let files = try CorpusReader.jsonlFiles(in: directory)
        var hash = FNV1a()
        for file in files {
            hash.combine(CorpusReader.relative(file, to: directory))
            hash.combine(bytes: FileManager.default.contents(atPath: file.path) ?? Data())
        }
        return (hash.hex, files.count)
    }
}
