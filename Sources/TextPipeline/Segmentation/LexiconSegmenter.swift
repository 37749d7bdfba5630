/// Segments normalised, masked text into tokens, with the domain lexicons
/// taking precedence over the general dictionary.
///
/// Precedence, in order (documented in the README):
/// 1. PII placeholders (`[手机号]`) are single tokens, always.
/// 2. Lexicon terms and amounts (`两万五`, `5w`) are single tokens, never
///    split. Where candidates overlap, the longer wins, then the higher
///    weight, then the one further left; a candidate that overlaps one
///    already chosen is dropped.
/// 3. What is left is segmented by character class: Han and kana runs by a
///    minimum-cost path over ICU's CJK word dictionary (the same dictionary
///    and costs ICU's word break iterator uses; unknown characters cost 255),
///    letters and digits into alphanumeric and number tokens, each
///    punctuation mark, symbol and emoji on its own; whitespace is dropped.
///
/// Because lexicon terms are placed before the dictionary runs, no
/// dictionary word can split a lexicon term: the complaint users of jieba
/// and HanLP raise most ("my user word still gets split") cannot happen.
public struct LexiconSegmenter: Sendable {
    /// Versioned id of this stage's behaviour.
    public static let version = "lexicon-segmenter.v1"

    public let lexicon: Lexicon
    let dictionary: WordDictionary?
    let amounts = AmountRecognizer()
    let table = CharacterTable.shared

    public init(lexicon: Lexicon, dictionary: WordDictionary? = WordDictionary.shared) {
        self.lexicon = lexicon
        self.dictionary = dictionary
    }

    /// The tokens of a masked text.
    public func segment(_ masked: MaskedText) -> [Token] {
        let text = masked.text
        let units = text.units
        if units.isEmpty { return [] }
        let fixed = chooseFixedTokens(units: units, entities: masked.entities)
        var tokens: [Token] = []
        tokens.reserveCapacity(units.count / 2 + 1)
        var cursor = 0
        units.withUnsafeBufferPointer { buffer in
            for fixedToken in fixed {
                if cursor < fixedToken.span.start {
                    segmentFree(buffer, from: cursor, to: fixedToken.span.start, text: text, into: &tokens)
                }
                tokens.append(Token(text: text.text(of: fixedToken.span), span: fixedToken.span,
                                    sourceSpan: text.sourceSpan(of: fixedToken.span), kind: fixedToken.kind,
                                    tags: fixedToken.tags, amount: fixedToken.amount, pii: fixedToken.pii))
                cursor = fixedToken.span.end
            }
            if cursor < buffer.count { segmentFree(buffer, from: cursor, to: buffer.count, text: text, into: &tokens) }
        }
        return mergingSplitCharacters(tokens, text: text)
    }

    /// Joins neighbouring tokens that came from the same original character
    /// (NFKC expands ℃ to °c and ㎡ to m2): a token boundary inside one
    /// character the customer typed could not be highlighted or printed.
    func mergingSplitCharacters(_ tokens: [Token], text: AlignedText) -> [Token] {
        guard tokens.count > 1 else { return tokens }
        var needsMerge = false
        for index in 1..<tokens.count where tokens[index].sourceSpan.start < tokens[index - 1].sourceSpan.end {
            needsMerge = true
            break
        }
        if !needsMerge { return tokens }
        var merged: [Token] = []
        merged.reserveCapacity(tokens.count)
        for token in tokens {
            if let last = merged.last, token.sourceSpan.start < last.sourceSpan.end {
                let span = last.span.union(token.span)
                let keep = last.kind == .word || last.kind == .character || last.kind == .symbol ? token : last
                merged[merged.count - 1] = Token(text: text.text(of: span), span: span,
                                                 sourceSpan: last.sourceSpan.union(token.sourceSpan), kind: keep.kind,
                                                 tags: keep.tags, amount: keep.amount, pii: keep.pii)
            } else {
                merged.append(token)
            }
        }
        return merged
    }

    /// A token placed before dictionary segmentation.
    struct FixedToken {
        var span: TextSpan
        var kind: TokenKind
        var weight: Double
        var tags: [LexiconTag] = []
        var amount: Amount? = nil
        var pii: PIIKind? = nil
    }

    /// PII placeholders, then lexicon terms and amounts by (length, weight, leftmost).
    func chooseFixedTokens(units: [UInt16], entities: [PIIEntity]) -> [FixedToken] {
        var candidates: [FixedToken] = []
        units.withUnsafeBufferPointer { buffer in
            for start in 0..<buffer.count {
                lexicon.forEachMatch(in: buffer, at: start, limit: buffer.count) { length, index in
                    let entry = lexicon.entries[index]
                    candidates.append(FixedToken(span: TextSpan(start: start, end: start + length), kind: .lexicon,
                                                 weight: entry.weight, tags: entry.tags))
                }
            }
        }
        for match in amounts.amounts(in: units) {
            candidates.append(FixedToken(span: match.span, kind: .amount, weight: 1.0, amount: match.amount))
        }
        var chosen = entities.map { FixedToken(span: $0.maskedSpan, kind: .pii, weight: .infinity, pii: $0.kind) }
        if candidates.isEmpty { return chosen }
        candidates.sort { a, b in
            if a.span.length != b.span.length { return a.span.length > b.span.length }
            if a.weight != b.weight { return a.weight > b.weight }
            if a.span.start != b.span.start { return a.span.start < b.span.start }
            return a.kind == .lexicon && b.kind != .lexicon
        }
        var taken = [Bool](repeating: false, count: units.count)
        for token in chosen { for index in token.span.range { taken[index] = true } }
        for candidate in candidates where !candidate.span.range.contains(where: { taken[$0] }) {
            // Never cut through a surrogate pair.
            if candidate.span.start > 0, UTF16.isTrailSurrogate(units[candidate.span.start]) { continue }
            if candidate.span.end < units.count, UTF16.isTrailSurrogate(units[candidate.span.end]) { continue }
            for index in candidate.span.range { taken[index] = true }
            chosen.append(candidate)
        }
        chosen.sort { $0.span.start < $1.span.start }
        return chosen
    }
}
