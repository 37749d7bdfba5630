/// Finds and masks personal data in normalised text: mainland mobile numbers
/// (`13912345678`, `+86 139 1052 7734`, `158-1732-5906`), resident ID numbers
/// (18 digits with a valid ISO 7064 check digit and birth date; 15-digit old
/// ones with a valid birth date), bank card numbers (16–19 digits passing the
/// Luhn check, with or without spaces) and e-mail addresses.
///
/// Values that fail these checks stay: amounts, dates, order numbers,
/// 6-digit verification codes. Digits may be grouped by single spaces or
/// hyphens; groups are tried together, longest first, so a phone number
/// followed by a card number is found as two values.
public struct PIIMasker: Sendable {
    /// Versioned id of this stage's behaviour.
    public static let version = "pii-masker.v1"

    public let kinds: Set<PIIKind>

    public init(kinds: Set<PIIKind> = Set(PIIKind.allCases)) {
        self.kinds = kinds
    }

    /// The PII values in `text`, as spans of its units, left to right.
    public func detect(in units: [UInt16]) -> [(kind: PIIKind, span: TextSpan)] {
        var found: [(kind: PIIKind, span: TextSpan)] = []
        var index = 0
        while index < units.count {
            let unit = units[index]
            if unit == 0x40, kinds.contains(.email), let span = emailSpan(in: units, at: index) {
                // Drop digit matches swallowed by the e-mail's local part.
                found.removeAll { $0.span.end > span.start }
                found.append((.email, span))
                index = span.end
                continue
            }
            if Self.isDigit(unit), index == 0 || !Self.isDigit(units[index - 1]) {
                let (matches, end) = digitValues(in: units, from: index)
                found.append(contentsOf: matches)
                index = max(end, index + 1)
                continue
            }
            index += 1
        }
        return found
    }

    /// `text` with each PII value replaced by its typed placeholder. Each
    /// placeholder unit maps to the value's whole original span.
    public func mask(_ text: AlignedText) -> MaskedText {
        let found = detect(in: text.units)
        if found.isEmpty { return MaskedText(text: text, entities: []) }
        var units: [UInt16] = []
        var starts: [Int32] = []
        var ends: [Int32] = []
        units.reserveCapacity(text.count)
        starts.reserveCapacity(text.count)
        ends.reserveCapacity(text.count)
        var entities: [PIIEntity] = []
        var cursor = 0
        for (kind, span) in found {
            units.append(contentsOf: text.units[cursor..<span.start])
            starts.append(contentsOf: text.sourceStarts[cursor..<span.start])
            ends.append(contentsOf: text.sourceEnds[cursor..<span.start])
            let source = text.sourceSpan(of: span)
            let placeholder = Array(kind.placeholder.utf16)
            let maskedStart = units.count
            units.append(contentsOf: placeholder)
            starts.append(contentsOf: repeatElement(Int32(source.start), count: placeholder.count))
            ends.append(contentsOf: repeatElement(Int32(source.end), count: placeholder.count))
            entities.append(PIIEntity(kind: kind, maskedSpan: TextSpan(start: maskedStart, end: units.count), sourceSpan: source))
            cursor = span.end
        }
        units.append(contentsOf: text.units[cursor...])
        starts.append(contentsOf: text.sourceStarts[cursor...])
        ends.append(contentsOf: text.sourceEnds[cursor...])
        return MaskedText(text: AlignedText(original: text.original, units: units, sourceStarts: starts, sourceEnds: ends),
                          entities: entities)
    }

    // MARK: Digit groups

    /// A group of digits (or a final `x` of an ID number) and its span.
    struct DigitGroup {
        var digits: [UInt8]
        var start: Int
        var end: Int
        var endsWithX: Bool
    }

    /// Reads the run of digit groups starting at `start` and finds the values in it.
    func digitValues(in units: [UInt16], from start: Int) -> ([(kind: PIIKind, span: TextSpan)], Int) {
        var groups: [DigitGroup] = []
        var index = start
        while index < units.count {
            var digits: [UInt8] = []
            let groupStart = index
            while index < units.count, Self.isDigit(units[index]) {
                digits.append(UInt8(units[index] - 0x30))
                index += 1
            }
            var endsWithX = false
            if index < units.count, units[index] == 0x78 || units[index] == 0x58,
               digits.count == 17 || (groups.count > 0 && (groups.reduce(0) { $0 + $1.digits.count } + digits.count) == 17),
               index + 1 >= units.count || !Self.isASCIILetterOrDigit(units[index + 1]) {
                endsWithX = true
                index += 1
            }
            groups.append(DigitGroup(digits: digits, start: groupStart, end: index, endsWithX: endsWithX))
            // Continue only across one space or hyphen that is followed by a digit.
            guard !endsWithX, index + 1 < units.count, units[index] == 0x20 || units[index] == 0x2D,
                  Self.isDigit(units[index + 1]) else { break }
            index += 1
        }
        let runEnd = groups.last?.end ?? start
        // Digits glued to letters (order ids like "ab1391052773") are not values.
        if runEnd < units.count, Self.isASCIILetter(units[runEnd]) { return ([], runEnd) }
        if start > 0, Self.isASCIILetter(units[start - 1]) { return ([], runEnd) }

        var found: [(kind: PIIKind, span: TextSpan)] = []
        var first = 0
        while first < groups.count {
            var matched = false
            for last in stride(from: groups.count - 1, through: first, by: -1) {
                if groups[first...last].contains(where: { $0.endsWithX }) && !groups[last].endsWithX { continue }
                let digits = groups[first...last].flatMap(\.digits)
                let endsWithX = groups[last].endsWithX
                var spanStart = groups[first].start
                if let kind = classify(digits: digits, endsWithX: endsWithX) {
                    if kind == .mobilePhone, spanStart > 0, units[spanStart - 1] == 0x2B { spanStart -= 1 }
                    found.append((kind, TextSpan(start: spanStart, end: groups[last].end)))
                    first = last + 1
                    matched = true
                    break
                }
            }
            if !matched { first += 1 }
        }
        return (found, runEnd)
    }

    /// The kind of PII a digit string is, if any. ID numbers are tried before
    /// cards (an 18-digit ID may also pass Luhn), cards before phones.
    func classify(digits: [UInt8], endsWithX: Bool) -> PIIKind? {
        let count = digits.count + (endsWithX ? 1 : 0)
        if kinds.contains(.residentID) {
            if count == 18, Self.isValidResidentID(digits, endsWithX: endsWithX) { return .residentID }
            if count == 15, !endsWithX, Self.isValidOldResidentID(digits) { return .residentID }
        }
        if endsWithX { return nil }
        if kinds.contains(.bankCard), (16...19).contains(count), Self.passesLuhn(digits) { return .bankCard }
        if kinds.contains(.mobilePhone), Self.isMobileNumber(digits) { return .mobilePhone }
        return nil
    }

    // MARK: E-mail

    /// The e-mail address around the `@` at `at`: a local part before it, and
    /// a domain after it with at least one dot and a final label of 2+ letters.
    func emailSpan(in units: [UInt16], at: Int) -> TextSpan? {
        var start = at
        while start > 0, Self.isEmailLocal(units[start - 1]) { start -= 1 }
        while start < at, units[start] == 0x2E { start += 1 } // no leading dot
        guard start < at else { return nil }
        var end = at + 1
        while end < units.count, Self.isEmailDomain(units[end]) { end += 1 }
        while end > at + 1, units[end - 1] == 0x2E || units[end - 1] == 0x2D { end -= 1 } // trailing "." or "-"
        guard let lastDot = units[(at + 1)..<end].lastIndex(of: 0x2E), lastDot > at + 1, end - lastDot - 1 >= 2 else {
            return nil
        }
        for index in (lastDot + 1)..<end where !Self.isASCIILetter(units[index]) { return nil }
        return TextSpan(start: start, end: end)
    }
}
