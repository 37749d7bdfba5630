import Foundation

/// Reads lexicon files: `term<TAB>tag[<TAB>weight]`, `#` comments, blank lines ignored.
///
/// Terms are normalised with the same `TextNormalizer` as customer text, so
/// an entry written with a capital letter or a Traditional character still
/// matches. A term listed with several tags (on several lines) becomes one
/// entry with all of them and the highest weight. All problems in all files
/// are collected and thrown together as a `LexiconLoadError`.
public struct LexiconLoader: Sendable {
    let normalizer: TextNormalizer

    public init(normalizer: TextNormalizer = TextNormalizer()) {
        self.normalizer = normalizer
    }

    /// Loads every `*.tsv` file of a directory, in file-name order.
    /// - Throws: `LexiconLoadError` listing every problem with its `file:line`.
    public func load(directory: URL) throws -> Lexicon {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "tsv" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw LexiconLoadError(errors: [.unreadable(file: directory.path, reason: "directory cannot be listed")])
        }
        guard !files.isEmpty else { throw LexiconLoadError(errors: [.noLexiconFiles(directory: directory.path)]) }
        var sources: [(name: String, data: Data)] = []
        var errors: [LexiconError] = []
        for file in files {
            do {
                sources.append((file.lastPathComponent, try Data(contentsOf: file)))
            } catch {
                errors.append(.unreadable(file: file.lastPathComponent, reason: "read failed"))
            }
        }
        if !errors.isEmpty { throw LexiconLoadError(errors: errors) }
        return try load(sources: sources)
    }

    /// Loads lexicons from in-memory files (name, contents).
    public func load(sources: [(name: String, data: Data)]) throws -> Lexicon {
        var errors: [LexiconError] = []
        var order: [String] = []
        var byTerm: [String: (units: [UInt16], tags: [LexiconTag], weight: Double, origin: String)] = [:]
        var seen: [String: (file: String, line: Int)] = [:]
        for (name, data) in sources {
            guard let text = String(validating: data, as: UTF8.self) else {
                errors.append(.notUTF8(file: name))
                continue
            }
            var lineNumber = 0
            for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                var line = Substring(rawLine)
                if line.hasSuffix("\r") { line = line.dropLast() }
                if line.isEmpty || line.hasPrefix("#") { continue }
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                guard fields.count == 2 || fields.count == 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                    errors.append(.malformedLine(file: name, line: lineNumber, fields: fields.count))
                    continue
                }
                let raw = String(fields[0])
                if raw.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                    errors.append(.termHasWhitespace(file: name, line: lineNumber))
                    continue
                }
                let normalized = normalizer.normalize(raw).text
                guard normalized.unicodeScalars.count >= 2 else {
                    errors.append(.termTooShort(file: name, line: lineNumber))
                    continue
                }
                guard let tag = LexiconTag(rawValue: String(fields[1])), Self.isAllowed(tag) else {
                    errors.append(.unknownTag(file: name, line: lineNumber, tag: String(fields[1])))
                    continue
                }
                var weight = 1.0
                if fields.count == 3 {
                    guard let parsed = Double(fields[2]), parsed.isFinite, parsed > 0 else {
                        errors.append(.invalidWeight(file: name, line: lineNumber, weight: String(fields[2])))
                        continue
                    }
                    weight = parsed
                }
                let key = normalized + "\t" + tag.rawValue
                if let first = seen[key] {
                    errors.append(.duplicateEntry(file: name, line: lineNumber, firstFile: first.file, firstLine: first.line))
                    continue
                }
                seen[key] = (name, lineNumber)
                if var existing = byTerm[normalized] {
                    existing.tags.append(tag)
                    existing.weight = max(existing.weight, weight)
                    byTerm[normalized] = existing
                } else {
                    order.append(normalized)
                    byTerm[normalized] = (Array(normalized.utf16), [tag], weight, "\(name):\(lineNumber)")
                }
            }
        }
        if !errors.isEmpty { throw LexiconLoadError(errors: errors) }
        let entries = order.map { term -> Lexicon.Entry in
            let value = byTerm[term]!
            return Lexicon.Entry(term: term, units: value.units, tags: value.tags.sorted(), weight: value.weight,
                                 origin: value.origin)
        }
        return Lexicon(entries: entries)
    }

    static func isAllowed(_ tag: LexiconTag) -> Bool {
        guard let allowed = LexiconTag.closedValues[tag.category] else { return true }
        return allowed.contains(tag.value)
    }
}
