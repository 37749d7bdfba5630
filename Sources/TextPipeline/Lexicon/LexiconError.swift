/// A problem in a lexicon file, located by `file:line`. Never carries more
/// of the file than the offending tag or weight (lexicons are not customer
/// text, but the rule is the same everywhere).
public enum LexiconError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case notUTF8(file: String)
    case malformedLine(file: String, line: Int, fields: Int)
    case termTooShort(file: String, line: Int)
    case termHasWhitespace(file: String, line: Int)
    case unknownTag(file: String, line: Int, tag: String)
    case invalidWeight(file: String, line: Int, weight: String)
    case duplicateEntry(file: String, line: Int, firstFile: String, firstLine: Int)
    case noLexiconFiles(directory: String)

    /// A stable code for logs and APIs.
    public var code: String {
        switch self {
        case .unreadable: "lexicon.unreadable"
        case .notUTF8: "lexicon.not_utf8"
        case .malformedLine: "lexicon.malformed_line"
        case .termTooShort: "lexicon.term_too_short"
        case .termHasWhitespace: "lexicon.term_has_whitespace"
        case .unknownTag: "lexicon.unknown_tag"
        case .invalidWeight: "lexicon.invalid_weight"
        case .duplicateEntry: "lexicon.duplicate_entry"
        case .noLexiconFiles: "lexicon.no_files"
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot be read (\(reason)) [\(code)]"
        case .notUTF8(let file):
            return "\(file): is not valid UTF-8 [\(code)]"
        case .malformedLine(let file, let line, let fields):
            return "\(file):\(line): expected term<TAB>tag[<TAB>weight], found \(fields) field(s) [\(code)]"
        case .termTooShort(let file, let line):
            return "\(file):\(line): a term must have at least 2 characters after normalisation, since a one-character term would split ordinary words [\(code)]"
        case .termHasWhitespace(let file, let line):
            return "\(file):\(line): a term cannot contain whitespace [\(code)]"
        case .unknownTag(let file, let line, let tag):
            let categories = LexiconTag.Category.allCases.map(\.rawValue).joined(separator: ", ")
            return "\(file):\(line): unknown tag '\(tag)'; tags are category:value with category one of \(categories) [\(code)]"
        case .invalidWeight(let file, let line, let weight):
            return "\(file):\(line): weight '\(weight)' is not a positive number [\(code)]"
        case .duplicateEntry(let file, let line, let firstFile, let firstLine):
            return "\(file):\(line): same term and tag as \(firstFile):\(firstLine) [\(code)]"
        case .noLexiconFiles(let directory):
            return "\(directory): no *.tsv lexicon files found [\(code)]"
        }
    }
}

/// Every problem found while loading lexicons, so they can all be fixed at once.
public struct LexiconLoadError: Error, Sendable, CustomStringConvertible {
    public let errors: [LexiconError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
