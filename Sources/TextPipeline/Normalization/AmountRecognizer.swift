import Foundation

/// Finds sums of money in normalised text and reads their values.
///
/// A number counts as an amount when something says it is money or a
/// magnitude: a currency sign or word (`¥150`, `50000元`, `三块五`, `200美元`)
/// or a magnitude (`5w`, `5万`, `10个w`, `3k`, `八千`, `两万五`, `1.2亿`).
/// Bare numbers (`2024`, `一九九八`, verification codes) and idioms that
/// contain numerals (`万一`, `千万别`, `十分`, `百万医疗`) are not amounts:
/// a Chinese amount must start with a digit or 十, and 分 is never read as a
/// currency unit. Works on the output of `TextNormalizer` (half-width,
/// lower-case, Simplified).
public struct AmountRecognizer: Sendable {
    public init() {}

    /// All amounts in `units`, left to right, non-overlapping.
    public func amounts(in units: [UInt16]) -> [AmountMatch] {
        var result: [AmountMatch] = []
        var index = 0
        while index < units.count {
            if let match = match(in: units, at: index) {
                result.append(match)
                index = match.span.end
            } else {
                index += 1
            }
        }
        return result
    }

    /// The amount starting exactly at `start`, if any.
    public func match(in units: [UInt16], at start: Int) -> AmountMatch? {
        let unit = units[start]
        if unit == Self.yen {
            guard start + 1 < units.count, Self.isASCIIDigit(units[start + 1]) else { return nil }
            return arabic(in: units, at: start + 1, prefixStart: start, currency: "CNY")
        }
        if unit == Self.dollar {
            guard start + 1 < units.count, Self.isASCIIDigit(units[start + 1]) else { return nil }
            return arabic(in: units, at: start + 1, prefixStart: start, currency: "USD")
        }
        if Self.isASCIIDigit(unit) {
            if start > 0, Self.isASCIIDigit(units[start - 1]) || Self.isASCIILetter(units[start - 1]) || units[start - 1] == 0x2E {
                return nil
            }
            return arabic(in: units, at: start, prefixStart: nil, currency: nil)
        }
        if ChineseNumeral.digit(unit) != nil || unit == ChineseNumeral.ten {
            if start > 0, ChineseNumeral.isNumeral(units[start - 1]) { return nil }
            return chinese(in: units, at: start)
        }
        return nil
    }

    // MARK: Arabic numerals

    private func arabic(in units: [UInt16], at start: Int, prefixStart: Int?, currency prefixCurrency: String?) -> AmountMatch? {
        var index = start
        var significand: UInt64 = 0
        var exponent = 0
        var significantDigits = 0
        while index < units.count {
            let unit = units[index]
            if Self.isASCIIDigit(unit) {
                if significantDigits < 18 {
                    significand = significand * 10 + UInt64(unit - 0x30)
                    if significand > 0 { significantDigits += 1 }
                } else {
                    exponent += 1 // beyond 18 digits: keep the magnitude, drop precision
                }
                index += 1
            } else if unit == 0x2C, Self.threeDigitsFollow(units, index + 1) {
                index += 1 // thousands separator
            } else {
                break
            }
        }
        if index < units.count, units[index] == 0x2E, index + 1 < units.count, Self.isASCIIDigit(units[index + 1]) {
            index += 1
            while index < units.count, Self.isASCIIDigit(units[index]) {
                if significantDigits < 18 {
                    significand = significand * 10 + UInt64(units[index] - 0x30)
                    significantDigits += 1
                    exponent -= 1
                }
                index += 1
            }
        }
        var value = Decimal(sign: .plus, exponent: exponent, significand: Decimal(significand))
        var hasMagnitude = false
        if let (multiplier, length) = Self.multiplier(in: units, at: index) {
            value *= multiplier
            index += length
            hasMagnitude = true
            if let (tail, tailLength) = Self.tailDigit(in: units, at: index, multiplier: multiplier) {
                value += tail
                index += tailLength
            }
        }
        var currency = prefixCurrency
        if let (code, length) = Self.currencySuffix(in: units, at: index) {
            currency = currency ?? code
            index += length
            if let (fraction, fractionLength) = Self.smallUnits(in: units, at: index) {
                value += fraction
                index += fractionLength
            }
        }
        guard hasMagnitude || currency != nil else { return nil }
        return AmountMatch(span: TextSpan(start: prefixStart ?? start, end: index),
                           amount: Amount(value: value, currency: currency ?? "CNY"))
    }

    // MARK: Chinese numerals

    private func chinese(in units: [UInt16], at start: Int) -> AmountMatch? {
        guard let parsed = ChineseNumeral.parse(units, from: start) else { return nil }
        var index = parsed.end
        var value = parsed.value
        var currency: String?
        if let (code, length) = Self.currencySuffix(in: units, at: index) {
            currency = code
            index += length
            if let (fraction, fractionLength) = Self.smallUnits(in: units, at: index) {
                value += fraction
                index += fractionLength
            }
        } else if parsed.hasMagnitudeFromHundred == false, let (fraction, length) = Self.smallUnitsOnly(in: units, at: index, whole: value) {
            // 五毛 / 三毛五: jiao without yuan.
            return AmountMatch(span: TextSpan(start: start, end: index + length), amount: Amount(value: fraction))
        }
        guard parsed.hasMagnitudeFromHundred || currency != nil else { return nil }
        return AmountMatch(span: TextSpan(start: start, end: index), amount: Amount(value: value, currency: currency ?? "CNY"))
    }
}

extension AmountRecognizer {
    static let yen: UInt16 = 0x00A5
    static let dollar: UInt16 = 0x24

    static func isASCIIDigit(_ unit: UInt16) -> Bool { unit >= 0x30 && unit <= 0x39 }
    static func isASCIILetter(_ unit: UInt16) -> Bool { (unit >= 0x61 && unit <= 0x7A) || (unit >= 0x41 && unit <= 0x5A) }

    static func threeDigitsFollow(_ units: [UInt16], _ index: Int) -> Bool {
        guard index + 2 < units.count else { return false }
        let next = index + 3
        return isASCIIDigit(units[index]) && isASCIIDigit(units[index + 1]) && isASCIIDigit(units[index + 2])
            && (next >= units.count || !isASCIIDigit(units[next]))
    }

    static func hasPrefix(_ units: [UInt16], at index: Int, _ word: [UInt16]) -> Bool {
        guard index + word.count <= units.count else { return false }
        for offset in 0..<word.count where units[index + offset] != word[offset] { return false }
        return true
    }

    /// Multipliers after an Arabic number, longest first: `个w`, `千万`, `百万`, `万`, `w`, `k`, `千`, `百`, `亿`.
    static let multipliers: [([UInt16], Decimal)] = [
        (Array("个万".utf16), 10_000), (Array("个w".utf16), 10_000), (Array("千万".utf16), 10_000_000),
        (Array("百万".utf16), 1_000_000), (Array("万亿".utf16), 1_000_000_000_000), (Array("kw".utf16), 10_000_000),
        (Array("亿".utf16), 100_000_000), (Array("万".utf16), 10_000), (Array("w".utf16), 10_000),
        (Array("千".utf16), 1_000), (Array("k".utf16), 1_000), (Array("百".utf16), 100),
    ]

    static func multiplier(in units: [UInt16], at index: Int) -> (Decimal, Int)? {
        for (word, value) in multipliers where hasPrefix(units, at: index, word) {
            let after = index + word.count
            // `3kg`, `5wifi`: a Latin multiplier must not run into more letters.
            if isASCIILetter(word[word.count - 1]), after < units.count, isASCIILetter(units[after]) { continue }
            return (value, word.count)
        }
        return nil
    }

    /// `2万5`, `两万五`, `3千2`: a lone digit after 万/千/百 counts in the next lower unit.
    static func tailDigit(in units: [UInt16], at index: Int, multiplier: Decimal) -> (Decimal, Int)? {
        guard index < units.count, multiplier == 10_000 || multiplier == 1_000 || multiplier == 100 else { return nil }
        let digit: Int?
        if isASCIIDigit(units[index]) { digit = Int(units[index] - 0x30) } else { digit = ChineseNumeral.digit(units[index]) }
        guard let digit, digit > 0 else { return nil }
        let next = index + 1
        if next < units.count {
            let unit = units[next]
            if isASCIIDigit(unit) || ChineseNumeral.isNumeral(unit) || unit == 0x2E || isASCIILetter(unit) { return nil }
        }
        return (Decimal(digit) * multiplier / 10, 1)
    }

    static let currencies: [([UInt16], String)] = [
        (Array("块钱".utf16), "CNY"), (Array("元钱".utf16), "CNY"), (Array("人民币".utf16), "CNY"),
        (Array("rmb".utf16), "CNY"), (Array("美元".utf16), "USD"), (Array("美金".utf16), "USD"),
        (Array("港币".utf16), "HKD"), (Array("港元".utf16), "HKD"), (Array("欧元".utf16), "EUR"),
        (Array("日元".utf16), "JPY"), (Array("英镑".utf16), "GBP"), (Array("usd".utf16), "USD"),
        (Array("元".utf16), "CNY"), (Array("块".utf16), "CNY"), (Array("刀".utf16), "USD"),
    ]

    static func currencySuffix(in units: [UInt16], at index: Int) -> (String, Int)? {
        for (word, code) in currencies where hasPrefix(units, at: index, word) {
            let after = index + word.count
            if isASCIILetter(word[word.count - 1]), after < units.count, isASCIILetter(units[after]) { continue }
            return (code, word.count)
        }
        return nil
    }

    /// After 元/块: `五`, `五毛`, `5毛`, `五角`, `五毛五`: tenths (and hundredths) of a yuan.
    static func smallUnits(in units: [UInt16], at index: Int) -> (Decimal, Int)? {
        guard index < units.count else { return nil }
        let digit: Int?
        if isASCIIDigit(units[index]) { digit = Int(units[index] - 0x30) } else { digit = ChineseNumeral.digit(units[index]) }
        guard let digit else { return nil }
        var length = 1
        if index + 1 < units.count, units[index + 1] == ChineseNumeral.mao || units[index + 1] == ChineseNumeral.jiao {
            length = 2
        } else if index + 1 < units.count, isASCIIDigit(units[index + 1]) || ChineseNumeral.isNumeral(units[index + 1]) {
            return nil
        }
        return (Decimal(digit) / 10, length)
    }

    /// `五毛`, `五毛五` with no yuan before.
    static func smallUnitsOnly(in units: [UInt16], at index: Int, whole: Decimal) -> (Decimal, Int)? {
        guard index < units.count, units[index] == ChineseNumeral.mao || units[index] == ChineseNumeral.jiao,
              whole < 10 else { return nil }
        var value = whole / 10
        var length = 1
        if index + 1 < units.count, let digit = ChineseNumeral.digit(units[index + 1]) {
            value += Decimal(digit) / 100
            length = 2
        }
        return (value, length)
    }
}
