import Foundation
import TextPipeline

/// The features of one processed text: a hashed key per occurrence, and for
/// occurrences that come from words of the text, the span of the masked text
/// they cover (evidence is built from those spans).
public struct FeatureOccurrences: Sendable {
    public internal(set) var keys: [UInt64] = []
    /// Start of the masked-text span (UTF-16) of each occurrence; -1 for
    /// features of the whole text (length, punctuation shape).
    public internal(set) var starts: [Int32] = []
    public internal(set) var ends: [Int32] = []

    public var count: Int { keys.count }

    mutating func append(_ key: UInt64, start: Int, end: Int) {
        keys.append(key)
        starts.append(Int32(start))
        ends.append(Int32(end))
    }

    mutating func appendGlobal(_ key: UInt64) {
        keys.append(key)
        starts.append(-1)
        ends.append(-1)
    }

    /// The distinct keys, sorted (what the linear models see: presence, not counts).
    public var distinctKeys: [UInt64] {
        Array(Set(keys)).sorted()
    }
}

/// Turns a processed (normalised, masked, segmented) text into features:
/// - character 1-, 2- and 3-grams of the masked text, digits folded to 0,
///   with start and end markers (so "在吗" and "人工" at the start are seen);
/// - tokens of the segmenter and adjacent token pairs;
/// - lexicon tags (`need:…`, `product:…`, `cue:…`, `slang:…`, `emotion:…`,
///   `polarity:…`) and the corrected form of typos;
/// - cue-scope features (see `CueScopeAnalyzer`): every token inside a
///   negation, completion, cancellation, hypothetical, third-person,
///   linked-person, past or future scope is also seen as `scope|token`, and
///   every need cue as `scope|need` or, outside all scopes, `plain|need`;
/// - the mood of each need cue's clause (a typed gap ends a clause too):
///   `ask|need` in a question (？, 吗, 怎么, 几多 … — 逾期怎么算 asks about a
///   rule) or `state|need` (今年交不起了, 退保能退多少 states it and then
///   asks), and `self|need` when the customer speaks of themselves in the
///   cue's sentence (我);
/// - polarity: every evaluative word (`polarity:…`, `slang:positive|negative`)
///   with its polarity turned round under a negation (不好用 is negative),
///   placed before or after the text's last contrast word (但是… weighs more
///   than what came before; 就是… is usually a smaller complaint), and the
///   net count of positive against negative words, overall and after it;
/// - amounts (present, order of magnitude) and the shape of the text
///   (length, !!!, ?, emoji, repeated characters, kinds of masked PII).
public struct FeatureExtractor: Sendable {
    /// Part of the model's metadata: changing any feature means a new version.
    public static let version = "xinsheng-features.v6"

    public init() {}

    /// The features of a text; `cues` is `CueScopeAnalyzer.read(text.tokens)`
    /// when the caller has it already (the conversation signals need it too).
    public func extract(_ text: ProcessedText, cues: CueReading? = nil) -> FeatureOccurrences {
        let cues = cues ?? CueScopeAnalyzer.read(text.tokens)
        var out = FeatureOccurrences()
        let units = text.masked.text.units
        out.keys.reserveCapacity(units.count * 5 + 32)
        out.starts.reserveCapacity(units.count * 5 + 32)
        out.ends.reserveCapacity(units.count * 5 + 32)
        addCharacterNGrams(units, to: &out)
        addTokens(text.tokens, units: units, cues: cues, to: &out)
        addPolarity(text.tokens, scopes: cues.scopes, shortWordKeys: cues.shortWordKeys, to: &out)
        addShape(text, to: &out)
        return out
    }

    // MARK: - Character n-grams

    static let beginMarker: UInt16 = 0x0002
    static let endMarker: UInt16 = 0x0003

    private func addCharacterNGrams(_ units: [UInt16], to out: inout FeatureOccurrences) {
        // Folded units and their positions, whitespace removed.
        var folded: [UInt16] = [Self.beginMarker]
        var positions: [Int] = [0]
        folded.reserveCapacity(units.count + 2)
        positions.reserveCapacity(units.count + 2)
        for (index, unit) in units.enumerated() {
            if unit == 0x20 || unit == 0x09 || unit == 0x0A || unit == 0x0D || unit == 0x3000 { continue }
            folded.append(unit >= 0x30 && unit <= 0x39 ? 0x30 : unit)
            positions.append(index)
        }
        folded.append(Self.endMarker)
        positions.append(units.count)
        let count = folded.count
        guard count > 2 else { return }
        for index in 0..<count {
            let isMarker = index == 0 || index == count - 1
            if !isMarker {
                var hasher = FeatureHasher(namespace: .charUnigram)
                hasher.combine(unit: folded[index])
                addSpanned(hasher.value, from: index, through: index, folded: folded, positions: positions, count: count, to: &out)
            }
            if index + 1 < count {
                var hasher = FeatureHasher(namespace: .charBigram)
                hasher.combine(unit: folded[index])
                hasher.combine(unit: folded[index + 1])
                addSpanned(hasher.value, from: index, through: index + 1, folded: folded, positions: positions, count: count, to: &out)
            }
            if index + 2 < count {
                var hasher = FeatureHasher(namespace: .charTrigram)
                hasher.combine(unit: folded[index])
                hasher.combine(unit: folded[index + 1])
                hasher.combine(unit: folded[index + 2])
                addSpanned(hasher.value, from: index, through: index + 2, folded: folded, positions: positions, count: count, to: &out)
            }
        }
    }

    /// The span of an n-gram's occurrence: its characters without the
    /// markers and without punctuation at either end (",装修" is evidence for
    /// 装修, not for the comma; a punctuation mark alone gets no span). An
    /// n-gram that reaches across punctuation (匙,装) is no word of the text
    /// and gets no span: evidence never joins two clauses into one highlight.
    @inline(__always)
    private func addSpanned(_ key: UInt64, from first: Int, through last: Int, folded: [UInt16], positions: [Int], count: Int,
                            to out: inout FeatureOccurrences) {
        var lower = first == 0 ? first + 1 : first
        var upper = last == count - 1 ? last - 1 : last
        while lower <= upper, Self.isPunctuation(folded[lower]) { lower += 1 }
        while upper >= lower, Self.isPunctuation(folded[upper]) { upper -= 1 }
        if lower > upper {
            out.appendGlobal(key)
            return
        }
        if upper - lower >= 2 {
            for middle in (lower + 1)..<upper where Self.isPunctuation(folded[middle]) {
                out.appendGlobal(key)
                return
            }
        }
        out.append(key, start: positions[lower], end: positions[upper] + 1)
    }

    /// Punctuation and symbols of the normalised text (ASCII after NFKC, CJK
    /// and full-width forms otherwise); Han characters never are.
    @inline(__always)
    static func isPunctuation(_ unit: UInt16) -> Bool {
        if unit < 0x80 {
            return (0x21...0x2F).contains(unit) || (0x3A...0x40).contains(unit) || (0x5B...0x60).contains(unit)
                || (0x7B...0x7E).contains(unit)
        }
        if (0x4E00...0x9FFF).contains(unit) || UTF16.isLeadSurrogate(unit) || UTF16.isTrailSurrogate(unit) { return false }
        guard let scalar = Unicode.Scalar(unit) else { return false }
        return scalar.properties.generalCategory.isPunctuation
    }

    // MARK: - Tokens, tags and scopes

    /// `units` is the masked text: a token's text is its units at the
    /// token's span (the segmenter cuts every token out of it), and hashing
    /// those units spares decoding each token's `String` again.
    private func addTokens(_ tokens: [Token], units: [UInt16], cues: CueReading, to out: inout FeatureOccurrences) {
        let scopes = cues.scopes, moods = cues.moods
        var previous: Int? = nil
        for (index, token) in tokens.enumerated() {
            let start = token.span.start, end = token.span.end
            let isContent = token.kind != .punctuation && token.kind != .symbol && token.kind != .other
            let tokenKey = tokenHash(token, units: units)
            if token.kind == .punctuation {
                out.appendGlobal(tokenKey)  // a comma or a question mark is never evidence
            } else {
                out.append(tokenKey, start: start, end: end)
            }

            if isContent {
                if let previous {
                    let before = tokens[previous]
                    var hasher = FeatureHasher(namespace: .tokenBigram)
                    combineUnits(of: before, units: units, into: &hasher)
                    hasher.combine(unit: 0x1f)
                    combineUnits(of: token, units: units, into: &hasher)
                    out.append(hasher.value, start: before.span.start, end: end)
                }
                previous = index
            } else {
                previous = nil
            }

            var needs: [String] = []
            for tag in token.tags {
                var hasher = FeatureHasher(namespace: .lexiconTag)
                hasher.combine(tag.category.rawValue)
                hasher.combine(tag.value)
                out.append(hasher.value, start: start, end: end)
                if tag.category == .need { needs.append(tag.value) }
                if tag.category == .typo {
                    var corrected = FeatureHasher(namespace: .token)
                    for unit in tag.value.utf16 { corrected.combine(unit: unit) }
                    out.append(corrected.value, start: start, end: end)
                }
            }
            if let amount = token.amount {
                addAmount(amount, start: start, end: end, to: &out)
            }

            // The mood of the need cue's sentence: asked about (逾期怎么算) or
            // stated (这个月逾期了), and whether the customer speaks of themselves.
            for need in needs {
                var hasher = FeatureHasher(namespace: .scopedNeedCue)
                hasher.combine(moods[index].question ? "ask" : "state")
                hasher.combine(need)
                out.append(hasher.value, start: start, end: end)
                if moods[index].firstPerson {
                    var person = FeatureHasher(namespace: .scopedNeedCue)
                    person.combine("self")
                    person.combine(need)
                    out.append(person.value, start: start, end: end)
                }
            }

            let scope = scopes[index]
            if scope.isEmpty {
                for need in needs {
                    var hasher = FeatureHasher(namespace: .plainNeedCue)
                    hasher.combine(need)
                    out.append(hasher.value, start: start, end: end)
                }
            } else if isContent {
                for (flag, name) in CueScope.named where scope.contains(flag) {
                    var scoped = FeatureHasher(namespace: .scopedToken)
                    scoped.combine(name)
                    combineUnits(of: token, units: units, into: &scoped)
                    out.append(scoped.value, start: start, end: end)
                    for need in needs {
                        var hasher = FeatureHasher(namespace: .scopedNeedCue)
                        hasher.combine(name)
                        hasher.combine(need)
                        out.append(hasher.value, start: start, end: end)
                    }
                }
            }
        }
    }

    /// Hashes the units a token is known by: amounts and other numbers by
    /// kind only ("$", "#"), everything else by its text.
    @inline(__always)
    private func combineUnits(of token: Token, units: [UInt16], into hasher: inout FeatureHasher) {
        switch token.kind {
        case .amount: hasher.combine(unit: 0x24)
        case .number: hasher.combine(unit: 0x23)
        default: for index in token.span.start..<token.span.end { hasher.combine(unit: units[index]) }
        }
    }

    private func tokenHash(_ token: Token, units: [UInt16]) -> UInt64 {
        var hasher = FeatureHasher(namespace: .token)
        combineUnits(of: token, units: units, into: &hasher)
        return hasher.value
    }

    private func addAmount(_ amount: Amount, start: Int, end: Int, to out: inout FeatureOccurrences) {
        let value = NSDecimalNumber(decimal: amount.value).doubleValue
        let magnitude = value >= 1 ? min(9, Int(log10(value))) : 0
        var hasher = FeatureHasher(namespace: .amount)
        hasher.combine("magnitude")
        hasher.combine(byte: UInt8(magnitude))
        out.append(hasher.value, start: start, end: end)
        if amount.currency != "CNY" {
            var foreign = FeatureHasher(namespace: .amount)
            foreign.combine("foreign")
            out.append(foreign.value, start: start, end: end)
        }
    }

    // MARK: - Polarity and contrast

    /// Contrast words after which the writer's verdict usually follows.
    static let strongContrast: Set<String> = ["但是", "但", "可是", "然而", "可惜", "只可惜", "不料", "没想到"]
    /// Softer ones: "好用，就是有点卡" is still a positive review.
    static let softContrast: Set<String> = ["就是", "只是", "不过", "就是有点", "唯一"]

    private enum PolarityRegion: UInt8 {
        case whole = 0, beforeStrong, afterStrong, beforeSoft, afterSoft
    }

    private func addPolarity(_ tokens: [Token], scopes: [CueScope], shortWordKeys: [UInt64?], to out: inout FeatureOccurrences) {
        // The last contrast word of the text splits it into a head and a tail.
        let words = zip(tokens, shortWordKeys).map { Self.shortWords[$0.text, key: $1] }
        var contrastIndex = -1
        var contrastIsStrong = false
        for (index, word) in words.enumerated() where index > 0 {
            if word == .strongContrast {
                contrastIndex = index
                contrastIsStrong = true
            } else if word == .softContrast {
                contrastIndex = index
                contrastIsStrong = false
            }
        }
        var net = 0, tailNet = 0, polar = 0
        for (index, token) in tokens.enumerated() {
            guard let positive = Self.polarity(of: token, word: words[index]) else { continue }
            let effective = scopes[index].contains(.negation) ? !positive : positive
            let region: PolarityRegion
            if contrastIndex < 0 {
                region = .whole
            } else if index < contrastIndex {
                region = contrastIsStrong ? .beforeStrong : .beforeSoft
            } else {
                region = contrastIsStrong ? .afterStrong : .afterSoft
                tailNet += effective ? 1 : -1
            }
            var hasher = FeatureHasher(namespace: .polarity)
            hasher.combine(byte: region.rawValue)
            hasher.combine(byte: effective ? 1 : 0)
            out.append(hasher.value, start: token.span.start, end: token.span.end)
            net += effective ? 1 : -1
            polar += 1
        }
        guard polar > 0 else { return }
        out.appendGlobal(polarityCountKey("net", max(-3, min(3, net))))
        if contrastIndex >= 0 {
            out.appendGlobal(polarityCountKey(contrastIsStrong ? "tail-strong" : "tail-soft", max(-2, min(2, tailNet))))
        }
    }

    /// Evaluative single characters. The lexicons hold terms of two characters
    /// or more, yet reviews judge with one: 房间太旧, 送得快, 菜咸了, 价格贵.
    /// Only a character the segmenter left on its own counts (旧 in 太旧了,
    /// not in 旧房改造).
    static let positiveCharacters: Set<String> = [
        "好", "棒", "赞", "香", "美", "帅", "爽", "快", "净", "甜", "鲜", "嫩", "酥", "脆", "值", "稳",
        "靓", "暖", "酷", "顺", "亮", "省", "靠谱", "妙", "绝", "优", "舒", "热情",
    ]
    static let negativeCharacters: Set<String> = [
        "差", "烂", "脏", "旧", "贵", "吵", "慢", "臭", "破", "坑", "黑", "假", "坏", "糟", "乱", "咸",
        "腻", "硬", "挤", "闷", "潮", "霉", "丑", "渣", "坑人", "凉", "馊", "腥", "油", "卡", "小", "少",
        "难", "累", "烦", "骗", "蠢", "贱",
    ]

    /// The contrast words and evaluative characters above in one table, so a
    /// token is hashed once — and only when it is short enough to be one.
    enum ShortWord { case strongContrast, softContrast, positive, negative }
    static let shortWords: ShortWordSet<ShortWord> = ShortWordSet(
        positiveCharacters.map { ($0, .positive) } + negativeCharacters.map { ($0, .negative) }
            + softContrast.map { ($0, .softContrast) } + strongContrast.map { ($0, .strongContrast) })

    /// true for a positive evaluative word, false for a negative one, nil
    /// otherwise; `word` is the token's entry in `shortWords`.
    static func polarity(of token: Token, word: ShortWord?) -> Bool? {
        if token.kind == .word || token.kind == .character {
            if word == .positive { return true }
            if word == .negative { return false }
        }
        for tag in token.tags where tag.category == .polarity || tag.category == .slang {
            if tag.value == "positive" { return true }
            if tag.value == "negative" { return false }
        }
        return nil
    }

    private func polarityCountKey(_ name: String, _ value: Int) -> UInt64 {
        var hasher = FeatureHasher(namespace: .polarity)
        hasher.combine(name)
        hasher.combine(byte: UInt8(bitPattern: Int8(value)))
        return hasher.value
    }

    // MARK: - Shape of the whole text

    private func addShape(_ text: ProcessedText, to out: inout FeatureOccurrences) {
        let units = text.masked.text.units
        let length = units.count
        let bucket = length <= 4 ? 0 : length <= 8 ? 1 : length <= 16 ? 2 : length <= 32 ? 3 : length <= 64 ? 4 : length <= 128 ? 5 : 6
        out.appendGlobal(shapeKey("length", bucket))

        var exclamations = 0, longestExclamationRun = 0, run = 0
        var questions = 0, repeatedRun = 1, longestRepeat = 1
        for (index, unit) in units.enumerated() {
            if unit == 0x21 || unit == 0xFF01 {
                exclamations += 1
                run += 1
                longestExclamationRun = max(longestExclamationRun, run)
            } else {
                run = 0
            }
            if unit == 0x3F || unit == 0xFF1F { questions += 1 }
            if index > 0, unit == units[index - 1], unit >= 0x4E00 {
                repeatedRun += 1
                longestRepeat = max(longestRepeat, repeatedRun)
            } else {
                repeatedRun = 1
            }
        }
        if exclamations > 0 { out.appendGlobal(shapeKey("exclamation", longestExclamationRun >= 3 ? 2 : longestExclamationRun)) }
        if questions > 0 { out.appendGlobal(shapeKey("question", min(questions, 2))) }
        if longestRepeat >= 3 { out.appendGlobal(shapeKey("repeated", 1)) }
        if text.tokens.contains(where: { $0.kind == .emoji }) { out.appendGlobal(shapeKey("emoji", 1)) }
        for entity in text.masked.entities {
            var hasher = FeatureHasher(namespace: .shape)
            hasher.combine("pii")
            hasher.combine(entity.kind.rawValue)
            out.appendGlobal(hasher.value)
        }
    }

    private func shapeKey(_ name: String, _ value: Int) -> UInt64 {
        var hasher = FeatureHasher(namespace: .shape)
        hasher.combine(name)
        hasher.combine(byte: UInt8(truncatingIfNeeded: value))
        return hasher.value
    }
}

extension Unicode.GeneralCategory {
    /// The seven punctuation categories (Pc, Pd, Ps, Pe, Pi, Pf, Po); shared
    /// with the evidence trimming in `Analysis`.
    package var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: true
        default: false
        }
    }
}
